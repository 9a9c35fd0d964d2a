package com.answerline.dispatch.topology;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

import org.apache.avro.specific.SpecificRecord;

import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.HeldAnswer;
import com.answerline.avro.OutcomeReason;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.ReplyCommand;
import com.answerline.avro.SendRequest;
import com.answerline.avro.SendStep;
import com.answerline.avro.SessionState;
import com.answerline.dispatch.decision.ChannelDecider;
import com.answerline.dispatch.decision.Decision;
import com.answerline.dispatch.decision.Explanation;
import com.answerline.dispatch.decision.ReplyRequest;
import com.answerline.dispatch.decision.SessionSnapshot;
import com.answerline.dispatch.decision.TenantRules;
import com.answerline.dispatch.wire.WireMapping;
import com.answerline.schemas.conversation.ConversationId;

/**
 * Runs the decider on wire types: a SendRequest to send (step HOLD_INVITATION with {@code holdExpiresAt} when the
 * agent's answer is to be held), or a final REJECTED DispatchOutcome; and the held answers' release and ends.
 */
final class ReplyDecisions {

    private final ChannelDecider decider;
    private final Function<String, TenantRules> tenants;
    private final Clock clock;
    private final Duration holdExpireAfter;

    ReplyDecisions(ChannelDecider decider, Function<String, TenantRules> tenants, Clock clock, Duration holdExpireAfter) {
        this.decider = decider;
        this.tenants = tenants;
        this.clock = clock;
        this.holdExpireAfter = holdExpireAfter;
    }

    ChannelDecider.Wait waitFor(ReplyCommand command, SessionState session) {
        return decider.waitFor(WireMapping.reply(command), WireMapping.session(session), tenants.apply(command.getTenantId()));
    }

    boolean mustWait(ReplyCommand command, SessionState session) {
        return waitFor(command, session) != ChannelDecider.Wait.NOTHING;
    }

    SpecificRecord decide(ReplyCommand command, SessionState state) {
        ReplyRequest reply = WireMapping.reply(command);
        SessionSnapshot session = WireMapping.session(state);
        TenantRules tenant = tenants.apply(command.getTenantId());
        Decision decision = tenant == null
                ? decider.unknownTenant(reply, session)
                : decider.decide(reply, session, tenant);
        return toWire(command, tenant, decision);
    }

    /** Non-final PENDING outcome: the command waits for the session version the agent saw, or for any session. */
    SpecificRecord waiting(ReplyCommand command, SessionState state, ChannelDecider.Wait wait) {
        ReplyRequest reply = WireMapping.reply(command);
        TenantRules tenant = tenants.apply(command.getTenantId());
        // WAITING_FOR_CONVERSATION_SESSION: no session state yet, it may still arrive within the grace period;
        // WAITING_FOR_SESSION: the session is older than the version the agent saw.
        OutcomeReason reason = wait == ChannelDecider.Wait.CONVERSATION_SESSION
                ? OutcomeReason.WAITING_FOR_CONVERSATION_SESSION : OutcomeReason.WAITING_FOR_SESSION;
        return WireMapping.outcome(command, OutcomeStatus.PENDING, null, reason,
                        WireMapping.explanation(decider.explanation(reply, WireMapping.session(state), tenant)),
                        false, clock.instant())
                .build();
    }

    SpecificRecord sessionNotCaughtUp(ReplyCommand command, SessionState state) {
        ReplyRequest reply = WireMapping.reply(command);
        TenantRules tenant = tenants.apply(command.getTenantId());
        return toWire(command, tenant, decider.sessionNotCaughtUp(reply, WireMapping.session(state), tenant));
    }

    /**
     * The held answer as WhatsApp free-form (step HELD_ANSWER), when its customer wrote after it was held and the
     * window is open with more than the safety margin; empty while it must keep waiting.
     *
     * <p>"Wrote after it was held" is read from the window, not from clocks: the window end the hold was decided on
     * (last customer message + 24 h, null when none) against the session's now. It only moves when session-service
     * folds a newer customer WhatsApp message. Comparing the message's send time with dispatch's clock instead
     * would miss a reply sent within the same second (WhatsApp timestamps are whole seconds) or from a phone
     * whose clock is behind.
     */
    Optional<SendRequest> release(HeldAnswer held, SessionState session) {
        if (held.getInvitationMessageId() == null || session == null || session.getWindowExpiresAt() == null) {
            return Optional.empty();
        }
        Instant heldOn = held.getExplanation().getWindowExpiresAt();
        if (heldOn != null && !session.getWindowExpiresAt().isAfter(heldOn)) {
            return Optional.empty();
        }
        ReplyCommand command = held.getCommand();
        return decider.releaseHeld(WireMapping.reply(command), WireMapping.explanation(held.getExplanation()),
                        WireMapping.session(session))
                .map(send -> {
                    SendRequest request = WireMapping.sendRequest(command,
                            ConversationId.parse(command.getConversationId()).phoneNumberId(), send, clock.instant());
                    request.setStep(SendStep.HELD_ANSWER);
                    return request;
                });
    }

    /**
     * Final outcome of a hold that ends without its answer being sent (EXPIRED, CANCELLED). Step HOLD_INVITATION:
     * it ends what the invitation step began (its HELD outcome), and the answer's own step never happened.
     */
    DispatchOutcome holdEnded(HeldAnswer held, OutcomeStatus status, OutcomeReason reason, String chainStep) {
        ReplyCommand command = held.getCommand();
        Explanation explanation = WireMapping.explanation(held.getExplanation()).withSteps(chainStep);
        return WireMapping.outcome(command, status, null, reason, WireMapping.explanation(explanation), true,
                        clock.instant())
                .setStep(SendStep.HOLD_INVITATION)
                .setHoldExpiresAt(held.getExpiresAt())
                .build();
    }

    private SpecificRecord toWire(ReplyCommand command, TenantRules tenant, Decision decision) {
        if (decision instanceof Decision.Send send) {
            return WireMapping.sendRequest(command, tenant.phoneNumberId(), send, clock.instant());
        }
        if (decision instanceof Decision.Hold hold) {
            Instant now = clock.instant();
            SendRequest invitation = WireMapping.sendRequest(command, tenant.phoneNumberId(), hold.invitation(), now);
            invitation.setStep(SendStep.HOLD_INVITATION);
            invitation.setHoldExpiresAt(now.plus(holdExpireAfter));
            // The invitation's outcome is the hold's: HELD, WINDOW_CLOSED_ANSWER_HELD.
            invitation.setOutcomeReason(hold.reason());
            return invitation;
        }
        return WireMapping.rejected(command, decision.reason(), decision.explanation(), clock.instant());
    }
}
