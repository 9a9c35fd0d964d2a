package com.answerline.dispatch.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.answerline.avro.Channel;
import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.FallbackPolicy;
import com.answerline.avro.OutcomeReason;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.ReplyCommand;
import com.answerline.avro.SendRequest;
import com.answerline.avro.SessionState;
import com.answerline.avro.TemplateRef;
import com.answerline.avro.WindowState;
import com.answerline.dispatch.decision.ChannelDecider;
import com.answerline.dispatch.support.MutableClock;
import com.answerline.dispatch.support.ProductionConfig;

/** The production topology with the production Streams settings, over an in-memory registry. */
class DecisionTopologyTest {

    static final String REGISTRY_SCOPE = "dispatch-topology-test";
    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    static final String CONVERSATION = "100000000000001:4915112345678";

    @TempDir
    Path stateDir;

    final MutableClock clock = new MutableClock(NOW);
    DecisionTopologyDriver topology;
    TopologyTestDriver driver;
    TestInputTopic<String, SessionState> sessions;
    TestInputTopic<String, ReplyCommand> commands;
    TestOutputTopic<String, SendRequest> sendRequests;
    TestOutputTopic<String, DispatchOutcome> outcomes;

    @BeforeEach
    void startDriver() {
        topology = new DecisionTopologyDriver(stateDir, clock, NOW, REGISTRY_SCOPE);
        driver = topology.driver;
        sessions = topology.sessions;
        commands = topology.commands;
        sendRequests = topology.sendRequests;
        outcomes = topology.outcomes;
    }

    @AfterEach
    void closeDriver() {
        topology.close();
    }

    @Test
    void shouldTurnAReplyIntoAWhatsAppSendRequestWhileTheWindowIsOpen() {
        // Given a session whose window closes in three hours
        sessions.pipeInput(CONVERSATION, session(7, NOW.plus(Duration.ofHours(3))), NOW);

        // When the agent replies
        commands.pipeInput(CONVERSATION, command("cmd-1", FallbackPolicy.AUTO, 7L), NOW);

        // Then one SendRequest for WhatsApp free-form leaves, keyed by the conversation, and no outcome yet
        var record = sendRequests.readRecord();
        assertThat(record.key()).isEqualTo(CONVERSATION);
        SendRequest request = record.value();
        assertThat(request.getCommandId()).isEqualTo("cmd-1");
        assertThat(request.getChannel()).isEqualTo(Channel.WHATSAPP);
        assertThat(request.getPhoneNumberId()).isEqualTo("100000000000001");
        assertThat(request.getRecipientPhone()).isEqualTo("4915112345678");
        assertThat(request.getText()).isEqualTo("Your parcel left today.");
        assertThat(request.getExplanation().getWindowState()).isEqualTo(WindowState.OPEN);
        assertThat(request.getExplanation().getTimeLeftMillis()).isEqualTo(Duration.ofHours(3).toMillis());
        assertThat(request.getExplanation().getSessionVersion()).isEqualTo(7L);
        assertThat(request.getExplanation().getPolicy()).isEqualTo(FallbackPolicy.SMS);
        assertThat(request.getDecidedAt()).isEqualTo(NOW);
        assertThat(request.getOutcomeReason()).isEqualTo(OutcomeReason.WINDOW_OPEN);
        assertThat(request.getAgentId()).isEqualTo("agent-7");
        assertThat(sendRequests.isEmpty()).isTrue();
        assertThat(outcomes.isEmpty()).isTrue();
    }

    @Test
    void shouldDecideAnSmsWithTheContinueLinkWhenTheDemoTenantsWindowIsClosed() {
        sessions.pipeInput(CONVERSATION, session(7, NOW.minus(Duration.ofHours(1))), NOW);

        commands.pipeInput(CONVERSATION, command("cmd-2", FallbackPolicy.AUTO, null), NOW);

        SendRequest request = sendRequests.readValue();
        assertThat(request.getChannel()).isEqualTo(Channel.SMS);
        assertThat(request.getText()).startsWith("Your parcel left today.\n\n").contains("https://wa.me/15550000001?text=");
        assertThat(request.getExplanation().getFallbackChain()).containsExactly("AUTO->SMS", "SMS");
        // The decision's reason travels with the request: the sender does not infer it again
        assertThat(request.getOutcomeReason()).isEqualTo(OutcomeReason.WINDOW_CLOSED_SMS_FALLBACK);
    }

    @Test
    void shouldSendAUtilityReplyThroughDirectSendForTheDemoNumberOnceTheWindowIsClosed() {
        // Given demo's number with Direct Send enabled (application.yml) and a window closed an hour ago
        sessions.pipeInput(CONVERSATION, session(7, NOW.minus(Duration.ofHours(1))), NOW);

        // When the agent marks the reply UTILITY and asks for Direct Send
        commands.pipeInput(CONVERSATION, ReplyCommand.newBuilder(command("cmd-ds", FallbackPolicy.DIRECT_SEND, 7L))
                .setCategory(com.answerline.avro.ContentCategory.UTILITY).build(), NOW);

        // Then the agent's own text leaves for WhatsApp Direct Send, with its reason and chain
        SendRequest request = sendRequests.readValue();
        assertThat(request.getChannel()).isEqualTo(Channel.WHATSAPP_DIRECT_SEND);
        assertThat(request.getText()).isEqualTo("Your parcel left today.");
        assertThat(request.getOutcomeReason()).isEqualTo(OutcomeReason.WINDOW_CLOSED_DIRECT_SEND);
        assertThat(request.getExplanation().getPolicy()).isEqualTo(FallbackPolicy.DIRECT_SEND);
        assertThat(request.getExplanation().getFallbackChain()).containsExactly("DIRECT_SEND");
    }

    @Test
    void shouldRejectAtOnceWithAFinalOutcomeWhenTheWindowIsClosedAndFallbackIsNone() {
        sessions.pipeInput(CONVERSATION, session(7, NOW.minus(Duration.ofHours(1))), NOW);

        commands.pipeInput(CONVERSATION, command("cmd-3", FallbackPolicy.NONE, 7L), NOW);

        assertThat(sendRequests.isEmpty()).isTrue();
        DispatchOutcome outcome = outcomes.readValue();
        assertThat(outcome.getCommandId()).isEqualTo("cmd-3");
        assertThat(outcome.getAgentId()).isEqualTo("agent-7");
        assertThat(outcome.getTemplate()).isNull();
        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.REJECTED);
        assertThat(outcome.getOutcomeReason()).isEqualTo(OutcomeReason.WINDOW_CLOSED);
        assertThat(outcome.getFinal$()).isTrue();
        assertThat(outcome.getExplanation().getAlternatives()).containsExactly("TEMPLATE:customer_care_reopen", "SMS");
        assertThat(outcome.getExplanation().getWindowState()).isEqualTo(WindowState.CLOSED);
    }

    @Test
    void shouldHoldAFreeFormReplyUntilTheConversationsFirstSessionArrives() {
        // Given no session state for the conversation yet (e.g. this task has not read it since a rebalance)
        // When a free-form reply without an observed version arrives
        commands.pipeInput(CONVERSATION, command("cmd-4", FallbackPolicy.SMS, null), NOW);

        // Then it is not rejected: a non-final PENDING says it waits for the conversation's session
        DispatchOutcome pending = outcomes.readValue();
        assertThat(pending.getCommandId()).isEqualTo("cmd-4");
        assertThat(pending.getStatus()).isEqualTo(OutcomeStatus.PENDING);
        assertThat(pending.getOutcomeReason()).isEqualTo(OutcomeReason.WAITING_FOR_CONVERSATION_SESSION);
        assertThat(pending.getAgentId()).isEqualTo("agent-7");
        assertThat(pending.getFinal$()).isFalse();
        assertThat(sendRequests.isEmpty()).isTrue();
        KeyValueStore<String, ValueAndTimestamp<ReplyCommand>> waiting =
                driver.getTimestampedKeyValueStore(DecisionTopology.PENDING_STORE);
        // parked at the wall-clock time, which the grace counts from
        assertThat(waiting.get(DecisionTopology.pendingKey(CONVERSATION, "cmd-4")).timestamp()).isEqualTo(NOW.toEpochMilli());

        // When the session arrives, window open
        sessions.pipeInput(CONVERSATION, session(1, NOW.plus(Duration.ofHours(23))), NOW);

        // Then the reply goes out as WhatsApp free-form, decided on that session, and no longer waits
        SendRequest request = sendRequests.readValue();
        assertThat(request.getCommandId()).isEqualTo("cmd-4");
        assertThat(request.getChannel()).isEqualTo(Channel.WHATSAPP);
        assertThat(request.getExplanation().getSessionVersion()).isEqualTo(1L);
        assertThat(waiting.get(DecisionTopology.pendingKey(CONVERSATION, "cmd-4"))).isNull();
        assertThat(outcomes.isEmpty()).isTrue();
    }

    @Test
    void shouldRejectAnUnknownConversationOnlyOnceTheGraceHasPassed() {
        Duration grace = ProductionConfig.dispatchProperties().unknownConversationGrace();
        commands.pipeInput(CONVERSATION, command("cmd-4", FallbackPolicy.SMS, null), NOW);
        assertThat(outcomes.readValue().getStatus()).isEqualTo(OutcomeStatus.PENDING);

        // When the wall clock moves to just before the grace ends, nothing is decided yet
        advanceWallClock(grace.minusSeconds(1));
        assertThat(outcomes.isEmpty()).isTrue();

        // When the grace has passed without any session
        advanceWallClock(Duration.ofSeconds(2));

        // Then the reply ends explicitly: REJECTED UNKNOWN_CONVERSATION, final, with the template as alternative
        DispatchOutcome outcome = outcomes.readValue();
        assertThat(outcome.getCommandId()).isEqualTo("cmd-4");
        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.REJECTED);
        assertThat(outcome.getOutcomeReason()).isEqualTo(OutcomeReason.UNKNOWN_CONVERSATION);
        assertThat(outcome.getFinal$()).isTrue();
        assertThat(outcome.getExplanation().getAlternatives()).containsExactly("TEMPLATE:customer_care_reopen");
        assertThat(sendRequests.isEmpty()).isTrue();
        assertThat(outcomes.isEmpty()).isTrue();

        // And a session arriving later does not decide it a second time
        sessions.pipeInput(CONVERSATION, session(1, NOW.plus(Duration.ofHours(23))), NOW);
        assertThat(sendRequests.isEmpty()).isTrue();
    }

    @Test
    void shouldSendAChosenTemplateToAnUnknownConversationAtOnce() {
        ReplyCommand template = ReplyCommand.newBuilder(command("cmd-8", FallbackPolicy.SMS, null))
                .setText(null)
                .setTemplate(TemplateRef.newBuilder().setName("customer_care_reopen").setLanguage("en_US")
                        .setParameters(List.of("Ada", "Grace")).build())
                .build();

        commands.pipeInput(CONVERSATION, template, NOW);

        SendRequest request = sendRequests.readValue();
        assertThat(request.getCommandId()).isEqualTo("cmd-8");
        assertThat(request.getChannel()).isEqualTo(Channel.WHATSAPP_TEMPLATE);
        assertThat(request.getExplanation().getWindowState()).isEqualTo(WindowState.NEVER_OPENED);
        assertThat(outcomes.isEmpty()).isTrue();
        KeyValueStore<String, ValueAndTimestamp<ReplyCommand>> waiting =
                driver.getTimestampedKeyValueStore(DecisionTopology.PENDING_STORE);
        assertThat(waiting.get(DecisionTopology.pendingKey(CONVERSATION, "cmd-8"))).isNull();
    }

    @Test
    void shouldHoldAReplyUntilTheSessionReachesTheVersionTheAgentSaw() {
        // Given the table still holds version 4 while the agent saw version 5 (window reopened by a new message)
        sessions.pipeInput(CONVERSATION, session(4, NOW.minus(Duration.ofHours(1))), NOW);

        // When the reply arrives first
        commands.pipeInput(CONVERSATION, command("cmd-5", FallbackPolicy.NONE, 5L), NOW);

        // Then nothing is decided on the stale state: a non-final PENDING outcome, and the command waits
        DispatchOutcome pending = outcomes.readValue();
        assertThat(pending.getStatus()).isEqualTo(OutcomeStatus.PENDING);
        assertThat(pending.getFinal$()).isFalse();
        assertThat(sendRequests.isEmpty()).isTrue();
        KeyValueStore<String, ValueAndTimestamp<ReplyCommand>> waiting =
                driver.getTimestampedKeyValueStore(DecisionTopology.PENDING_STORE);
        assertThat(waiting.get(DecisionTopology.pendingKey(CONVERSATION, "cmd-5"))).isNotNull();

        // When version 5 arrives with the open window
        sessions.pipeInput(CONVERSATION, session(5, NOW.plus(Duration.ofHours(24))), NOW);

        // Then the reply goes out on WhatsApp, decided on version 5, and no longer waits
        SendRequest request = sendRequests.readValue();
        assertThat(request.getChannel()).isEqualTo(Channel.WHATSAPP);
        assertThat(request.getExplanation().getSessionVersion()).isEqualTo(5L);
        assertThat(waiting.get(DecisionTopology.pendingKey(CONVERSATION, "cmd-5"))).isNull();
        assertThat(outcomes.isEmpty()).isTrue();
    }

    @Test
    void shouldRejectAWaitingReplyWhenTheSessionNeverCatchesUp() {
        sessions.pipeInput(CONVERSATION, session(4, NOW.plus(Duration.ofHours(1))), NOW);
        commands.pipeInput(CONVERSATION, command("cmd-6", FallbackPolicy.SMS, 9L), NOW);
        assertThat(outcomes.readValue().getStatus()).isEqualTo(OutcomeStatus.PENDING);

        // When the catch-up timeout passes on the wall clock
        Duration timeout = ProductionConfig.dispatchProperties().sessionCatchUpTimeout();
        advanceWallClock(timeout.plusSeconds(1));

        // Then the command ends explicitly, never silently
        DispatchOutcome outcome = outcomes.readValue();
        assertThat(outcome.getCommandId()).isEqualTo("cmd-6");
        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.REJECTED);
        assertThat(outcome.getOutcomeReason()).isEqualTo(OutcomeReason.SESSION_NOT_CAUGHT_UP);
        assertThat(outcome.getFinal$()).isTrue();
        assertThat(sendRequests.isEmpty()).isTrue();
    }

    @Test
    void shouldKeepTheLatestSessionInItsNamedStore() {
        sessions.pipeInput(CONVERSATION, session(1, NOW), NOW);
        sessions.pipeInput(CONVERSATION, session(2, NOW.plus(Duration.ofHours(24))), NOW);

        KeyValueStore<String, SessionState> store = driver.getKeyValueStore(DecisionTopology.SESSION_STORE);
        assertThat(store.get(CONVERSATION).getVersion()).isEqualTo(2L);
    }

    @Test
    void shouldDeadLetterACommandOfATenantThatDoesNotOwnTheConversationsNumberAndDecideTheNextOne() {
        sessions.pipeInput(CONVERSATION, session(1, NOW.plus(Duration.ofHours(2))), NOW);
        ReplyCommand foreign = ReplyCommand.newBuilder(command("cmd-7", FallbackPolicy.SMS, null)).setTenantId("nobody").build();

        commands.pipeInput(CONVERSATION, foreign, NOW);
        commands.pipeInput(CONVERSATION, command("cmd-8", FallbackPolicy.SMS, null), NOW);

        // No outcome under another tenant's conversation: the command is a dead letter with the rule
        var dead = topology.deadCommands.readRecord();
        assertThat(dead.value().getCommandId()).isEqualTo("cmd-7");
        assertThat(DecisionTopologyDriver.rule(dead)).isEqualTo("TENANT_DOES_NOT_OWN_NUMBER");
        assertThat(sendRequests.readValuesToList()).extracting(SendRequest::getCommandId).containsExactly("cmd-8");
        assertThat(outcomes.readValuesToList()).extracting(DispatchOutcome::getCommandId).doesNotContain("cmd-7");
    }

    /** The decider's clock and the driver's wall clock (which fires the punctuator) move together. */
    private void advanceWallClock(Duration by) {
        clock.advance(by);
        driver.advanceWallClockTime(by);
    }

    static SessionState session(long version, Instant windowExpiresAt) {
        return SessionState.newBuilder()
                .setTenantId("demo")
                .setConversationId(CONVERSATION)
                .setPhoneNumberId("100000000000001")
                .setVersion(version)
                .setCustomerPhone("4915112345678")
                .setCustomerProfileName("Ada")
                .setLastCustomerMessageAt(windowExpiresAt.minus(Duration.ofHours(24)))
                .setWindowExpiresAt(windowExpiresAt)
                .setUpdatedAt(NOW)
                .build();
    }

    static ReplyCommand command(String commandId, FallbackPolicy fallback, Long observedVersion) {
        return ReplyCommand.newBuilder()
                .setCommandId(commandId)
                .setTenantId("demo")
                .setConversationId(CONVERSATION)
                .setAgentId("agent-7")
                .setAgentName("Grace")
                .setText("Your parcel left today.")
                .setFallback(fallback)
                .setObservedSessionVersion(observedVersion)
                .setIssuedAt(NOW)
                .build();
    }
}
