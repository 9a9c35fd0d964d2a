package com.answerline.dispatch.topology;

import java.time.Clock;
import java.util.function.Function;

import org.apache.avro.specific.SpecificRecord;

import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.ReplyCommand;
import com.answerline.avro.SessionState;
import com.answerline.dispatch.decision.ChannelDecider;
import com.answerline.dispatch.decision.Decision;
import com.answerline.dispatch.decision.ReplyRequest;
import com.answerline.dispatch.decision.SessionSnapshot;
import com.answerline.dispatch.decision.TenantRules;
import com.answerline.dispatch.wire.WireMapping;

/** Runs the decider on wire types: a SendRequest to send, or a final REJECTED DispatchOutcome. */
final class ReplyDecisions {

    /** PENDING reason: the session is older than the version the agent saw. */
    static final String WAITING_FOR_SESSION = "WAITING_FOR_SESSION";
    /** PENDING reason: no session state for the conversation yet; it may still arrive within the grace period. */
    static final String WAITING_FOR_CONVERSATION_SESSION = "WAITING_FOR_CONVERSATION_SESSION";

    private final ChannelDecider decider;
    private final Function<String, TenantRules> tenants;
    private final Clock clock;

    ReplyDecisions(ChannelDecider decider, Function<String, TenantRules> tenants, Clock clock) {
        this.decider = decider;
        this.tenants = tenants;
        this.clock = clock;
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
        String reason = wait == ChannelDecider.Wait.CONVERSATION_SESSION
                ? WAITING_FOR_CONVERSATION_SESSION : WAITING_FOR_SESSION;
        return WireMapping.outcome(command.getCommandId(), command.getTenantId(), command.getConversationId(),
                        OutcomeStatus.PENDING, null, reason,
                        WireMapping.explanation(decider.explanation(reply, WireMapping.session(state), tenant)),
                        false, clock.instant())
                .build();
    }

    SpecificRecord sessionNotCaughtUp(ReplyCommand command, SessionState state) {
        ReplyRequest reply = WireMapping.reply(command);
        TenantRules tenant = tenants.apply(command.getTenantId());
        return toWire(command, tenant, decider.sessionNotCaughtUp(reply, WireMapping.session(state), tenant));
    }

    private SpecificRecord toWire(ReplyCommand command, TenantRules tenant, Decision decision) {
        if (decision instanceof Decision.Send send) {
            return WireMapping.sendRequest(command, tenant.phoneNumberId(), send, clock.instant());
        }
        return WireMapping.rejected(command.getCommandId(), command.getTenantId(), command.getConversationId(),
                decision.reason(), decision.explanation(), clock.instant());
    }
}
