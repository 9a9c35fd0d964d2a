package com.answerline.dispatch.topology;

import static com.answerline.dispatch.topology.DecisionTopologyTest.CONVERSATION;
import static com.answerline.dispatch.topology.DecisionTopologyTest.NOW;
import static com.answerline.dispatch.topology.DecisionTopologyTest.command;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.answerline.avro.Channel;
import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.FallbackPolicy;
import com.answerline.avro.HeldAnswer;
import com.answerline.avro.OutcomeReason;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.ReplyCancellation;
import com.answerline.avro.SendRequest;
import com.answerline.avro.SendStep;
import com.answerline.avro.SessionState;
import com.answerline.avro.WindowState;
import com.answerline.dispatch.decision.ChannelDecider;
import com.answerline.dispatch.support.MutableClock;

/**
 * TEMPLATE_THEN_HOLD on the production topology: the invitation and the held answer, its release by the customer's
 * next message, the invitation's outcome, expiry and cancellation. The sender is simulated by piping its outcomes
 * into {@code dispatch-outcomes}; the topology's own outcomes on that topic are read back too, as in production.
 */
class HeldAnswersTopologyTest {

    static final String REGISTRY_SCOPE = "dispatch-held-answers-test";
    static final String INVITATION_WAMID = "wamid.invitation-1";

    @TempDir
    Path stateDir;

    final MutableClock clock = new MutableClock(NOW);
    DecisionTopologyDriver topology;
    Duration expireAfter;

    @BeforeEach
    void startDriver() {
        topology = new DecisionTopologyDriver(stateDir, clock, NOW, REGISTRY_SCOPE);
        expireAfter = topology.hold.expireAfter();
    }

    @AfterEach
    void closeDriver() {
        topology.close();
    }

    @Test
    void shouldSendTheInvitationAndHoldTheAnswerWhenTheWindowIsClosed() {
        // Given a window that closed an hour ago
        topology.sessions.pipeInput(CONVERSATION, closedSession(3), NOW);

        // When the agent replies with TEMPLATE_THEN_HOLD
        topology.commands.pipeInput(CONVERSATION, command("cmd-1", FallbackPolicy.TEMPLATE_THEN_HOLD, 3L), NOW);

        // Then the invitation template leaves as step HOLD_INVITATION, with the hold's expiry
        SendRequest invitation = topology.sendRequests.readValue();
        assertThat(invitation.getCommandId()).isEqualTo("cmd-1");
        assertThat(invitation.getStep()).isEqualTo(SendStep.HOLD_INVITATION);
        assertThat(invitation.getChannel()).isEqualTo(Channel.WHATSAPP_TEMPLATE);
        assertThat(invitation.getTemplate().getName()).isEqualTo("customer_care_reopen");
        assertThat(invitation.getHoldExpiresAt()).isEqualTo(NOW.plus(expireAfter));
        assertThat(invitation.getExplanation().getFallbackChain()).containsExactly("TEMPLATE", "HOLD");
        assertThat(invitation.getOutcomeReason()).isEqualTo(OutcomeReason.WINDOW_CLOSED_ANSWER_HELD);
        assertThat(topology.sendRequests.isEmpty()).isTrue();
        assertThat(topology.outcomes.isEmpty()).isTrue();

        // And the agent's answer is held, keyed like the waiting replies
        HeldAnswer held = heldStore().get(DecisionTopology.pendingKey(CONVERSATION, "cmd-1"));
        assertThat(held.getCommand().getText()).isEqualTo("Your parcel left today.");
        assertThat(held.getHeldAt()).isEqualTo(NOW);
        assertThat(held.getExpiresAt()).isEqualTo(NOW.plus(expireAfter));
        assertThat(held.getInvitationMessageId()).isNull();
        assertThat(held.getExplanation().getFallbackChain()).containsExactly("TEMPLATE", "HOLD");
        assertThat(heldGauge()).isEqualTo(1.0);
    }

    @Test
    void shouldReleaseTheHeldAnswerWhenTheCustomerWritesAfterTheInvitationWasSent() {
        holdCmd1();
        invitationHeld("cmd-1");
        assertThat(heldStore().get(DecisionTopology.pendingKey(CONVERSATION, "cmd-1")).getInvitationMessageId())
                .isEqualTo(INVITATION_WAMID);
        assertThat(topology.sendRequests.isEmpty()).isTrue();
        assertThat(topology.outcomes.isEmpty()).isTrue();

        // When the customer writes back two hours later (window re-opened)
        clock.advance(Duration.ofHours(2));
        topology.sessions.pipeInput(CONVERSATION, customerWrote(4, clock.instant()), clock.instant());

        // Then the agent's own text goes out as WhatsApp free-form, step HELD_ANSWER, the chain extended
        SendRequest answer = topology.sendRequests.readValue();
        assertThat(answer.getCommandId()).isEqualTo("cmd-1");
        assertThat(answer.getStep()).isEqualTo(SendStep.HELD_ANSWER);
        assertThat(answer.getOutcomeReason()).isEqualTo(OutcomeReason.HELD_ANSWER_RELEASED);
        assertThat(answer.getAgentId()).isEqualTo("agent-7");
        assertThat(answer.getChannel()).isEqualTo(Channel.WHATSAPP);
        assertThat(answer.getText()).isEqualTo("Your parcel left today.");
        assertThat(answer.getRecipientPhone()).isEqualTo("4915112345678");
        assertThat(answer.getPhoneNumberId()).isEqualTo("100000000000001");
        assertThat(answer.getExplanation().getWindowState()).isEqualTo(WindowState.OPEN);
        assertThat(answer.getExplanation().getSessionVersion()).isEqualTo(4L);
        assertThat(answer.getExplanation().getFallbackChain())
                .containsExactly("TEMPLATE", "HOLD", "customer returned", "WHATSAPP");
        assertThat(topology.outcomes.isEmpty()).isTrue();
        assertThat(heldStore().get(DecisionTopology.pendingKey(CONVERSATION, "cmd-1"))).isNull();
        assertThat(heldGauge()).isZero();

        // And it is released once: the next message of the customer sends nothing more
        topology.sessions.pipeInput(CONVERSATION, customerWrote(5, clock.instant().plusSeconds(30)), clock.instant());
        assertThat(topology.sendRequests.isEmpty()).isTrue();
    }

    @Test
    void shouldReleaseSeveralHeldAnswersInTheOrderTheyWereHeld() {
        topology.sessions.pipeInput(CONVERSATION, closedSession(3), NOW);
        // cmd-b is held first, cmd-a a minute later: key order and hold order differ
        topology.commands.pipeInput(CONVERSATION, command("cmd-b", FallbackPolicy.TEMPLATE_THEN_HOLD, 3L), NOW);
        clock.advance(Duration.ofMinutes(1));
        topology.commands.pipeInput(CONVERSATION, command("cmd-a", FallbackPolicy.TEMPLATE_THEN_HOLD, 3L), NOW);
        topology.sendRequests.readValuesToList();
        invitationHeld("cmd-a");
        invitationHeld("cmd-b");

        clock.advance(Duration.ofHours(1));
        topology.sessions.pipeInput(CONVERSATION, customerWrote(4, clock.instant()), clock.instant());

        assertThat(topology.sendRequests.readValuesToList()).extracting(SendRequest::getCommandId)
                .containsExactly("cmd-b", "cmd-a");
        assertThat(heldGauge()).isZero();
    }

    @Test
    void shouldNotReleaseBeforeTheInvitationWasSentAndReleaseWhenItsOutcomeArrives() {
        holdCmd1();

        // When the customer writes back before the sender reported the invitation
        clock.advance(Duration.ofMinutes(5));
        topology.sessions.pipeInput(CONVERSATION, customerWrote(4, clock.instant()), clock.instant());

        // Then nothing is released yet: the answer must not overtake its invitation
        assertThat(topology.sendRequests.isEmpty()).isTrue();
        assertThat(heldStore().get(DecisionTopology.pendingKey(CONVERSATION, "cmd-1"))).isNotNull();

        // When the invitation's HELD outcome arrives
        invitationHeld("cmd-1");

        // Then the answer is released at once: the customer already wrote after it was held
        SendRequest answer = topology.sendRequests.readValue();
        assertThat(answer.getStep()).isEqualTo(SendStep.HELD_ANSWER);
        assertThat(answer.getText()).isEqualTo("Your parcel left today.");
        assertThat(heldStore().get(DecisionTopology.pendingKey(CONVERSATION, "cmd-1"))).isNull();
    }

    @Test
    void shouldNotReleaseForAMessageTheCustomerSentBeforeTheHold() {
        holdCmd1();
        invitationHeld("cmd-1");

        // A session update (e.g. the outbound invitation folded) whose last customer message predates the hold
        topology.sessions.pipeInput(CONVERSATION, closedSession(4), NOW.plusSeconds(5));

        assertThat(topology.sendRequests.isEmpty()).isTrue();
        assertThat(heldGauge()).isEqualTo(1.0);
    }

    @Test
    void shouldReleaseForAReplySentInTheSameSecondAsTheHoldOrFromAPhoneWhoseClockIsBehind() {
        // Given an answer held at NOW (dispatch's clock)
        holdCmd1();
        invitationHeld("cmd-1");

        // When the customer's reply carries a send time before NOW (WhatsApp timestamps are whole seconds, and
        // phones' clocks drift), but it is newer than the message the hold was decided on
        topology.sessions.pipeInput(CONVERSATION, customerWrote(4, NOW.minusMillis(900)), NOW.plusSeconds(1));

        // Then it is the customer's return all the same: the held answer goes out
        assertThat(topology.sendRequests.readValue().getStep()).isEqualTo(SendStep.HELD_ANSWER);
        assertThat(heldGauge()).isZero();
    }

    @Test
    void shouldDropTheHoldWithoutASecondFinalOutcomeWhenTheInvitationFails() {
        holdCmd1();

        // When the sender reports the invitation FAILED (final: the command ends there)
        topology.senderOutcomes.pipeInput(CONVERSATION, senderOutcome("cmd-1", OutcomeStatus.FAILED, true, null), NOW);

        // Then the held answer is gone and the topology adds no outcome of its own
        assertThat(heldStore().get(DecisionTopology.pendingKey(CONVERSATION, "cmd-1"))).isNull();
        assertThat(heldGauge()).isZero();
        assertThat(topology.outcomes.isEmpty()).isTrue();

        // Not released by the customer's message, and never expired
        topology.sessions.pipeInput(CONVERSATION, customerWrote(4, NOW.plusSeconds(60)), NOW);
        advanceWallClock(expireAfter.plusMinutes(2));
        assertThat(topology.sendRequests.isEmpty()).isTrue();
        assertThat(topology.outcomes.isEmpty()).isTrue();
    }

    @Test
    void shouldIgnoreOutcomesOfOtherStepsAndOfCommandsNotHeld() {
        holdCmd1();

        // The REPLY step of the same command id (not the invitation), and a HELD for a command that is not held
        DispatchOutcome reply = senderOutcome("cmd-1", OutcomeStatus.FAILED, true, null);
        reply.setStep(SendStep.REPLY);
        topology.senderOutcomes.pipeInput(CONVERSATION, reply, NOW);
        topology.senderOutcomes.pipeInput(CONVERSATION, senderOutcome("cmd-9", OutcomeStatus.HELD, false, "wamid.x"), NOW);
        // and a status the invitation step does not act on
        topology.senderOutcomes.pipeInput(CONVERSATION, senderOutcome("cmd-1", OutcomeStatus.SENT, true, "wamid.y"), NOW);

        assertThat(heldStore().get(DecisionTopology.pendingKey(CONVERSATION, "cmd-1")).getInvitationMessageId()).isNull();
        assertThat(topology.outcomes.isEmpty()).isTrue();
        assertThat(topology.sendRequests.isEmpty()).isTrue();
    }

    @Test
    void shouldExpireAHeldAnswerExactlyOnce() {
        holdCmd1();
        invitationHeld("cmd-1");

        // Just before its expiry nothing happens
        advanceWallClock(expireAfter.minusMinutes(2));
        assertThat(topology.outcomes.isEmpty()).isTrue();

        // When the wall clock passes the expiry
        advanceWallClock(Duration.ofMinutes(3));

        // Then one final EXPIRED outcome, and the answer is gone
        DispatchOutcome expired = topology.outcomes.readValue();
        assertThat(expired.getCommandId()).isEqualTo("cmd-1");
        assertThat(expired.getStatus()).isEqualTo(OutcomeStatus.EXPIRED);
        assertThat(expired.getAgentId()).isEqualTo("agent-7");
        assertThat(expired.getOutcomeReason()).isEqualTo(OutcomeReason.HOLD_EXPIRED);
        assertThat(expired.getFinal$()).isTrue();
        assertThat(expired.getStep()).isEqualTo(SendStep.HOLD_INVITATION);
        assertThat(expired.getChannel()).isNull();
        assertThat(expired.getHoldExpiresAt()).isEqualTo(NOW.plus(expireAfter));
        assertThat(expired.getExplanation().getFallbackChain()).containsExactly("TEMPLATE", "HOLD", "HOLD expired");
        assertThat(heldGauge()).isZero();

        // And never again, nor released by a late message
        advanceWallClock(Duration.ofMinutes(5));
        topology.sessions.pipeInput(CONVERSATION, customerWrote(4, clock.instant()), clock.instant());
        assertThat(topology.outcomes.isEmpty()).isTrue();
        assertThat(topology.sendRequests.isEmpty()).isTrue();
    }

    @Test
    void shouldCancelAHeldAnswerAtOnceOnceItsInvitationWasSent() {
        holdCmd1();
        invitationHeld("cmd-1");

        topology.cancellations.pipeInput(CONVERSATION, cancellation("cmd-1", "demo"), NOW);

        DispatchOutcome cancelled = topology.outcomes.readValue();
        assertThat(cancelled.getCommandId()).isEqualTo("cmd-1");
        assertThat(cancelled.getStatus()).isEqualTo(OutcomeStatus.CANCELLED);
        assertThat(cancelled.getOutcomeReason()).isEqualTo(OutcomeReason.HOLD_CANCELLED);
        assertThat(cancelled.getAgentId()).isEqualTo("agent-7");
        assertThat(cancelled.getFinal$()).isTrue();
        assertThat(cancelled.getStep()).isEqualTo(SendStep.HOLD_INVITATION);
        assertThat(cancelled.getExplanation().getFallbackChain()).containsExactly("TEMPLATE", "HOLD", "HOLD cancelled");
        assertThat(topology.outcomes.isEmpty()).isTrue();
        assertThat(cancellations("cancelled")).isEqualTo(1.0);
        assertThat(heldGauge()).isZero();

        // The customer's message afterwards releases nothing
        topology.sessions.pipeInput(CONVERSATION, customerWrote(4, NOW.plusSeconds(60)), NOW);
        assertThat(topology.sendRequests.isEmpty()).isTrue();
    }

    @Test
    void shouldCancelAHeldAnswerWhoseInvitationIsInFlightWhenTheInvitationsOutcomeArrives() {
        holdCmd1();

        // When the agent cancels before the sender reported the invitation
        topology.cancellations.pipeInput(CONVERSATION, cancellation("cmd-1", "demo"), NOW);

        // Then nothing ends yet: the invitation is on its way and its outcome decides
        assertThat(topology.outcomes.isEmpty()).isTrue();
        assertThat(heldStore().get(DecisionTopology.pendingKey(CONVERSATION, "cmd-1")).getCancelledBy()).isEqualTo("agent-7");
        assertThat(cancellations("cancelled")).isEqualTo(1.0);

        // When the customer writes and then the invitation is reported sent
        topology.sessions.pipeInput(CONVERSATION, customerWrote(4, NOW.plusSeconds(30)), NOW);
        invitationHeld("cmd-1");

        // Then it ends CANCELLED, and the answer is never sent
        DispatchOutcome cancelled = topology.outcomes.readValue();
        assertThat(cancelled.getStatus()).isEqualTo(OutcomeStatus.CANCELLED);
        assertThat(cancelled.getFinal$()).isTrue();
        assertThat(topology.outcomes.isEmpty()).isTrue();
        assertThat(topology.sendRequests.isEmpty()).isTrue();
        assertThat(heldGauge()).isZero();
    }

    @Test
    void shouldEndOnlyWithTheInvitationsFailureWhenCancelledWhileItWasInFlight() {
        holdCmd1();
        topology.cancellations.pipeInput(CONVERSATION, cancellation("cmd-1", "demo"), NOW);

        topology.senderOutcomes.pipeInput(CONVERSATION, senderOutcome("cmd-1", OutcomeStatus.REJECTED, true, null), NOW);

        assertThat(topology.outcomes.isEmpty()).isTrue();
        assertThat(heldGauge()).isZero();
    }

    @Test
    void shouldIgnoreTheCancellationOfACommandThatIsNotHeld() {
        holdCmd1();

        // Unknown command, and the held command named by another tenant
        topology.cancellations.pipeInput(CONVERSATION, cancellation("cmd-unknown", "demo"), NOW);
        topology.cancellations.pipeInput(CONVERSATION, cancellation("cmd-1", "other"), NOW);

        assertThat(topology.outcomes.isEmpty()).isTrue();
        assertThat(cancellations("not_held")).isEqualTo(1.0);
        // Another tenant's cancellation never reaches the held answers: the upstream guard dead-letters it
        assertThat(DecisionTopologyDriver.rule(topology.deadCancellations.readRecord())).isEqualTo("TENANT_DOES_NOT_OWN_NUMBER");
        assertThat(cancellations("cancelled")).isZero();
        HeldAnswer held = heldStore().get(DecisionTopology.pendingKey(CONVERSATION, "cmd-1"));
        assertThat(held.getCancelledBy()).isNull();
    }

    @Test
    void shouldHoldNothingWhileTheWindowIsOpen() {
        topology.sessions.pipeInput(CONVERSATION, customerWrote(3, NOW.minus(Duration.ofHours(1))), NOW);

        topology.commands.pipeInput(CONVERSATION, command("cmd-1", FallbackPolicy.TEMPLATE_THEN_HOLD, 3L), NOW);

        SendRequest request = topology.sendRequests.readValue();
        assertThat(request.getStep()).isEqualTo(SendStep.REPLY);
        assertThat(request.getChannel()).isEqualTo(Channel.WHATSAPP);
        assertThat(request.getHoldExpiresAt()).isNull();
        assertThat(heldStore().get(DecisionTopology.pendingKey(CONVERSATION, "cmd-1"))).isNull();
        assertThat(heldGauge()).isZero();
    }

    @Test
    void shouldHoldTheAnswerToAnUnknownConversationAfterTheGraceAndReleaseItWhenTheCustomerWrites() {
        // Given no session at all: the reply first waits for one
        topology.commands.pipeInput(CONVERSATION, command("cmd-1", FallbackPolicy.TEMPLATE_THEN_HOLD, null), NOW);
        assertThat(topology.outcomes.readValue().getOutcomeReason()).isEqualTo(OutcomeReason.WAITING_FOR_CONVERSATION_SESSION);

        // When the grace passes without a session: only a template may start it, and the answer is held
        advanceWallClock(topology.properties.unknownConversationGrace().plusSeconds(1));
        SendRequest invitation = topology.sendRequests.readValue();
        assertThat(invitation.getStep()).isEqualTo(SendStep.HOLD_INVITATION);
        assertThat(invitation.getChannel()).isEqualTo(Channel.WHATSAPP_TEMPLATE);
        assertThat(invitation.getExplanation().getWindowState()).isEqualTo(WindowState.NEVER_OPENED);
        assertThat(invitation.getExplanation().getFallbackChain()).containsExactly("TEMPLATE", "HOLD");
        HeldAnswer held = heldStore().get(DecisionTopology.pendingKey(CONVERSATION, "cmd-1"));
        assertThat(held.getHeldAt()).isEqualTo(clock.instant());

        // When the invitation went out and the customer answers it
        invitationHeld("cmd-1");
        clock.advance(Duration.ofMinutes(1));
        topology.sessions.pipeInput(CONVERSATION, customerWrote(1, clock.instant()), clock.instant());

        // Then the held answer follows
        SendRequest answer = topology.sendRequests.readValue();
        assertThat(answer.getStep()).isEqualTo(SendStep.HELD_ANSWER);
        assertThat(answer.getText()).isEqualTo("Your parcel left today.");
    }

    private void holdCmd1() {
        topology.sessions.pipeInput(CONVERSATION, closedSession(3), NOW);
        topology.commands.pipeInput(CONVERSATION, command("cmd-1", FallbackPolicy.TEMPLATE_THEN_HOLD, 3L), NOW);
        assertThat(topology.sendRequests.readValue().getStep()).isEqualTo(SendStep.HOLD_INVITATION);
    }

    /** The sender reports the invitation template sent, the answer held (what h-sender's sender publishes). */
    private void invitationHeld(String commandId) {
        topology.senderOutcomes.pipeInput(CONVERSATION, senderOutcome(commandId, OutcomeStatus.HELD, false,
                INVITATION_WAMID), clock.instant());
    }

    private KeyValueStore<String, HeldAnswer> heldStore() {
        return topology.driver.getKeyValueStore(DecisionTopology.HELD_STORE);
    }

    private double heldGauge() {
        return topology.meters.get(HoldMetrics.HELD_ANSWERS).gauge().value();
    }

    private double cancellations(String result) {
        return topology.meters.get(HoldMetrics.CANCELLATIONS).tag("result", result).counter().count();
    }

    private void advanceWallClock(Duration by) {
        clock.advance(by);
        topology.driver.advanceWallClockTime(by);
    }

    /** The customer's last message 25 h ago: window closed an hour ago. */
    static SessionState closedSession(long version) {
        return DecisionTopologyTest.session(version, NOW.minus(Duration.ofHours(1)));
    }

    /** The customer wrote at {@code at}: window open for 24 h from then. */
    static SessionState customerWrote(long version, Instant at) {
        return DecisionTopologyTest.session(version, at.plus(Duration.ofHours(24)));
    }

    static DispatchOutcome senderOutcome(String commandId, OutcomeStatus status, boolean isFinal, String wamid) {
        return DispatchOutcome.newBuilder()
                .setCommandId(commandId)
                .setTenantId("demo")
                .setConversationId(CONVERSATION)
                .setStatus(status)
                .setChannel(Channel.WHATSAPP_TEMPLATE)
                .setOutcomeReason(status == OutcomeStatus.HELD ? OutcomeReason.WINDOW_CLOSED_ANSWER_HELD : OutcomeReason.WHATSAPP_ERROR)
                .setReason(status == OutcomeStatus.HELD ? "WINDOW_CLOSED_ANSWER_HELD" : "WHATSAPP_ERROR")
                .setProviderMessageId(wamid)
                .setStep(SendStep.HOLD_INVITATION)
                .setFinal$(isFinal)
                .setOccurredAt(NOW)
                .build();
    }

    static ReplyCancellation cancellation(String commandId, String tenantId) {
        return ReplyCancellation.newBuilder()
                .setCommandId(commandId)
                .setTenantId(tenantId)
                .setConversationId(CONVERSATION)
                .setAgentId("agent-7")
                .setRequestedAt(NOW)
                .build();
    }
}
