package com.answerline.session.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.kafka.support.KafkaHeaders;

import com.answerline.avro.AssignmentChanged;
import com.answerline.avro.Channel;
import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.InboundMessage;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.Referral;
import com.answerline.avro.SessionState;
import com.answerline.schemas.topic.Topics;
import com.answerline.platform.upstream.UpstreamGuard;

/** The production topology with the production Streams configuration, in {@link ProductionTopologyDriver}. */
class SessionTopologyTest {

    private static final String REGISTRY_SCOPE = "session-test";
    private static final String CONVERSATION = "100000000000001:15551230001";
    private static final Instant T0 = Instant.parse("2026-11-20T09:15:30.123Z");
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    @TempDir
    Path dataDir;

    private ProductionTopologyDriver topology;
    private TestInputTopic<String, InboundMessage> inbound;
    private TestInputTopic<String, byte[]> rawInbound;
    private TestInputTopic<String, DispatchOutcome> outcomes;
    private TestInputTopic<String, AssignmentChanged> assignments;
    private TestOutputTopic<String, SessionState> sessions;
    private KeyValueStore<String, SessionState> store;
    private final MockProducer<byte[], byte[]> deadLetterProducer =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());

    @BeforeEach
    void startDriver() {
        topology = new ProductionTopologyDriver(dataDir, REGISTRY_SCOPE, deadLetterProducer,
                Clock.fixed(NOW, ZoneOffset.UTC), new SimpleMeterRegistry(), NOW);
        inbound = topology.input(Topics.INBOUND_MESSAGES);
        rawInbound = topology.driver().createInputTopic(Topics.INBOUND_MESSAGES.name(), new StringSerializer(),
                new ByteArraySerializer());
        outcomes = topology.input(Topics.DISPATCH_OUTCOMES);
        assignments = topology.input(Topics.ASSIGNMENT_CHANGES);
        sessions = topology.output(Topics.CONVERSATION_SESSIONS);
        store = topology.driver().getKeyValueStore(SessionTopology.SESSION_STORE);
    }

    @AfterEach
    void closeDriver() {
        topology.close();
    }

    @Test
    void shouldOpenTheWindowUntilExactlyTheSendTimePlus24HoursAndPublishIt() {
        // Given a first customer message whose webhook reached ingest three hours after it was sent
        // When it is folded
        inbound.pipeInput(CONVERSATION, whatsApp("wamid.1", T0).setReceivedAt(T0.plus(Duration.ofHours(3))).build());

        // Then the published session's window ends at sentAt + 24h to the millisecond, never from ingest time
        List<SessionState> published = sessions.readValuesToList();
        assertThat(published).hasSize(1);
        SessionState session = published.get(0);
        assertThat(session.getWindowExpiresAt()).isEqualTo(Instant.parse("2026-11-21T09:15:30.123Z"));
        assertThat(session.getWindowExpiresAt().toEpochMilli() - T0.toEpochMilli()).isEqualTo(86_400_000L);
        assertThat(session.getWindowOpenedAt()).isEqualTo(T0);
        assertThat(session.getVersion()).isEqualTo(1);
        assertThat(session.getUpdatedAt()).isEqualTo(NOW);
        assertThat(session.getCustomerPhone()).isEqualTo("15551230001");
        // And the store holds the same state under the conversation id
        assertThat(store.get(CONVERSATION)).isEqualTo(session);
    }

    @Test
    void shouldRenewTheWindowWithEachNewerCustomerMessage() {
        // Given an open window
        inbound.pipeInput(CONVERSATION, whatsApp("wamid.1", T0).build());

        // When the customer writes again 6 hours later
        inbound.pipeInput(CONVERSATION, whatsApp("wamid.2", T0.plus(Duration.ofHours(6))).build());

        // Then version 2 ends 30 h after T0
        List<SessionState> published = sessions.readValuesToList();
        assertThat(published).extracting(SessionState::getVersion).containsExactly(1L, 2L);
        assertThat(published.get(1).getWindowExpiresAt()).isEqualTo(T0.plus(Duration.ofHours(30)));
        assertThat(store.get(CONVERSATION).getWindowExpiresAt()).isEqualTo(T0.plus(Duration.ofHours(30)));
    }

    @Test
    void shouldNotMoveTheWindowBackForAnOlderMessageArrivingLate() {
        // Given the newer message folded first
        inbound.pipeInput(CONVERSATION, whatsApp("wamid.2", T0.plus(Duration.ofHours(6))).build());

        // When the older one arrives afterwards
        inbound.pipeInput(CONVERSATION, whatsApp("wamid.1", T0).build());

        // Then it counts, but the window still ends 24 h after the newest send time
        SessionState latest = store.get(CONVERSATION);
        assertThat(latest.getWindowExpiresAt()).isEqualTo(T0.plus(Duration.ofHours(30)));
        assertThat(latest.getLastCustomerMessageAt()).isEqualTo(T0.plus(Duration.ofHours(6)));
        assertThat(latest.getInboundCount()).isEqualTo(2);
        assertThat(sessions.readValuesToList()).extracting(SessionState::getWindowExpiresAt)
                .containsOnly(T0.plus(Duration.ofHours(30)));
    }

    @Test
    void shouldChangeNothingForARedeliveredWamid() {
        // Given a folded message
        inbound.pipeInput(CONVERSATION, whatsApp("wamid.1", T0).build());
        assertThat(sessions.readValuesToList()).hasSize(1);

        // When Meta redelivers the same webhook, received later
        inbound.pipeInput(CONVERSATION, whatsApp("wamid.1", T0).setReceivedAt(T0.plus(Duration.ofHours(2))).build());

        // Then nothing is published and neither version nor counters move
        assertThat(sessions.isEmpty()).isTrue();
        assertThat(store.get(CONVERSATION).getVersion()).isEqualTo(1);
        assertThat(store.get(CONVERSATION).getInboundCount()).isEqualTo(1);
    }

    @Test
    void shouldFoldAnSmsOnceWhenTwilioRedeliversItWithALaterReceiptTime() {
        // Given an SMS folded (Twilio sends no send time: sentAt is ingest's receipt time)
        inbound.pipeInput(CONVERSATION, whatsApp("wamid.1", T0).build());
        inbound.pipeInput(CONVERSATION, sms("SM0000000000000000000000000000aa01", T0.plus(Duration.ofHours(1))).build());
        assertThat(sessions.readValuesToList()).hasSize(2);

        // When Twilio redelivers it (same MessageSid) 20 seconds and then 3 hours later, each copy timed at its receipt
        inbound.pipeInput(CONVERSATION, sms("SM0000000000000000000000000000aa01",
                T0.plus(Duration.ofHours(1)).plusSeconds(20)).build());
        inbound.pipeInput(CONVERSATION, sms("SM0000000000000000000000000000aa01", T0.plus(Duration.ofHours(4))).build());

        // Then nothing is published and the message counts once
        assertThat(sessions.isEmpty()).isTrue();
        assertThat(store.get(CONVERSATION).getInboundCount()).isEqualTo(2);
        assertThat(store.get(CONVERSATION).getVersion()).isEqualTo(2);

        // And another SMS (another MessageSid) still counts
        inbound.pipeInput(CONVERSATION, sms("SM0000000000000000000000000000aa02", T0.plus(Duration.ofHours(5))).build());
        assertThat(store.get(CONVERSATION).getInboundCount()).isEqualTo(3);
    }

    @Test
    void shouldNotRenewTheWindowForAnInboundSms() {
        // Given an open window
        inbound.pipeInput(CONVERSATION, whatsApp("wamid.1", T0).build());

        // When the customer sends an SMS later
        inbound.pipeInput(CONVERSATION, whatsApp("SM00000000000000000000000000000001", T0.plus(Duration.ofHours(5)))
                .setChannel(Channel.SMS).build());

        // Then the SMS is recorded as inbound but the window end stays
        SessionState latest = store.get(CONVERSATION);
        assertThat(latest.getWindowExpiresAt()).isEqualTo(T0.plus(Duration.ofHours(24)));
        assertThat(latest.getLastInboundChannel()).isEqualTo(Channel.SMS);
        assertThat(latest.getInboundCount()).isEqualTo(2);
        assertThat(latest.getVersion()).isEqualTo(2);
    }

    @Test
    void shouldStartANewWindowForAMessageSentExactlyWhenTheOldOneEnds() {
        // Given a window ending at T0 + 24h
        inbound.pipeInput(CONVERSATION, whatsApp("wamid.1", T0).build());
        Instant end = T0.plus(Duration.ofHours(24));

        // When the next message is sent at that very millisecond
        inbound.pipeInput(CONVERSATION, whatsApp("wamid.2", end).build());

        // Then a new window opened at the boundary
        SessionState latest = store.get(CONVERSATION);
        assertThat(latest.getWindowOpenedAt()).isEqualTo(end);
        assertThat(latest.getWindowExpiresAt()).isEqualTo(end.plus(Duration.ofHours(24)));
    }

    @Test
    void shouldRecordAnAdReferralAsFreeEntryPoint() {
        // When the opening message came from a click-to-WhatsApp ad
        inbound.pipeInput(CONVERSATION, whatsApp("wamid.1", T0)
                .setReferral(Referral.newBuilder().setSourceType("ad").setSourceId("ad-1").build()).build());

        // Then the session says so (pricing only: the window is still 24 h)
        assertThat(store.get(CONVERSATION).getFreeEntryPoint()).isTrue();
        assertThat(store.get(CONVERSATION).getWindowExpiresAt()).isEqualTo(T0.plus(Duration.ofHours(24)));
    }

    @Test
    void shouldFoldRepliesAndAssignmentsWithoutTouchingTheWindow() {
        // Given a waiting customer
        inbound.pipeInput(CONVERSATION, whatsApp("wamid.1", T0).build());

        // When an agent takes the conversation and the reply goes out (and its outcome is redelivered)
        assignments.pipeInput(CONVERSATION, AssignmentChanged.newBuilder().setTenantId("demo")
                .setConversationId(CONVERSATION).setAssigneeId("agent-7").setChangedBy("agent-7")
                .setChangedAt(T0.plusSeconds(30)).build());
        DispatchOutcome sent = DispatchOutcome.newBuilder().setCommandId("cmd-1").setTenantId("demo")
                .setConversationId(CONVERSATION).setStatus(OutcomeStatus.SENT).setChannel(Channel.WHATSAPP)
                .setReason("WINDOW_OPEN").setFinal$(true).setOccurredAt(T0.plusSeconds(120)).build();
        outcomes.pipeInput(CONVERSATION, sent);
        outcomes.pipeInput(CONVERSATION, sent);

        // Then assignment and answer are recorded once; the window is where the customer left it
        SessionState latest = store.get(CONVERSATION);
        assertThat(latest.getAssigneeId()).isEqualTo("agent-7");
        assertThat(latest.getUnansweredSince()).isNull();
        assertThat(latest.getFirstResponseMillis()).isEqualTo(120_000L);
        assertThat(latest.getOutboundCount()).isEqualTo(1);
        assertThat(latest.getVersion()).isEqualTo(3);
        assertThat(latest.getWindowExpiresAt()).isEqualTo(T0.plus(Duration.ofHours(24)));
        assertThat(sessions.readValuesToList()).hasSize(3);
    }

    @Test
    void shouldSendPoisonBytesToTheDeadLetterTopicAndKeepFolding() {
        // Given bytes that are not in the Confluent wire format
        byte[] poison = "not avro".getBytes(StandardCharsets.UTF_8);

        // When they arrive on the inbound topic, followed by a good message
        rawInbound.pipeInput(CONVERSATION, poison);
        inbound.pipeInput(CONVERSATION, whatsApp("wamid.1", T0).build());

        // Then the raw record went to the dead-letter twin with its cause, and processing went on
        assertThat(deadLetterProducer.history()).hasSize(1);
        ProducerRecord<byte[], byte[]> dead = deadLetterProducer.history().get(0);
        assertThat(dead.topic()).isEqualTo("inbound-messages-dlt");
        assertThat(dead.value()).isEqualTo(poison);
        assertThat(new String(dead.key(), StandardCharsets.UTF_8)).isEqualTo(CONVERSATION);
        assertThat(header(dead, KafkaHeaders.DLT_EXCEPTION_MESSAGE)).contains("magic byte");
        assertThat(header(dead, KafkaHeaders.DLT_ORIGINAL_TOPIC)).isEqualTo("inbound-messages");
        assertThat(store.get(CONVERSATION).getVersion()).isEqualTo(1);
    }

    @Test
    void shouldDeadLetterUpstreamRecordsThatBreakARuleWithoutFoldingThemAndFoldTheOneBehind() {
        // Given a record with a malformed conversation id and one for a business number no tenant owns (issue 15)
        String unowned = "999999999999999:15551230001";
        inbound.pipeInput("not-a-conversation-id", whatsApp("wamid.x", T0).setConversationId("not-a-conversation-id").build());
        inbound.pipeInput(unowned, whatsApp("wamid.y", T0).setConversationId(unowned).setPhoneNumberId("999999999999999").build());
        // and a good message behind them
        inbound.pipeInput(CONVERSATION, whatsApp("wamid.1", T0).build());

        // Then both went to the dead-letter twin with the rule and the field, and neither became state
        TestOutputTopic<String, InboundMessage> deadLetters = topology.driver().createOutputTopic(
                Topics.INBOUND_MESSAGES.deadLetter(), Topics.INBOUND_MESSAGES.keySerde().deserializer(),
                Topics.INBOUND_MESSAGES.valueSerde(java.util.Map.of(
                        com.answerline.schemas.serde.AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + REGISTRY_SCOPE))
                        .deserializer());
        List<org.apache.kafka.streams.test.TestRecord<String, InboundMessage>> dead = deadLetters.readRecordsToList();
        assertThat(dead).extracting(record -> new String(record.headers().lastHeader(UpstreamGuard.RULE_HEADER).value(),
                StandardCharsets.UTF_8)).containsExactly("MALFORMED_CONVERSATION_ID", "UNKNOWN_BUSINESS_NUMBER");
        assertThat(dead).extracting(record -> new String(record.headers().lastHeader(UpstreamGuard.FIELD_HEADER).value(),
                StandardCharsets.UTF_8)).containsExactly("conversationId", "conversationId");
        assertThat(store.get("not-a-conversation-id")).isNull();
        assertThat(store.get(unowned)).isNull();
        assertThat(sessions.readKeyValuesToList()).extracting(kv -> kv.key).containsExactly(CONVERSATION);
    }

    @Test
    void shouldRebuildTheSameStateWhenTheInputsAreReplayedFromScratch() {
        // Given a live run over redelivered, out-of-order and mixed-channel input
        Runnable inputs = () -> {
            inbound.pipeInput(CONVERSATION, whatsApp("wamid.2", T0.plus(Duration.ofHours(6))).build());
            inbound.pipeInput(CONVERSATION, whatsApp("wamid.1", T0).build());
            inbound.pipeInput(CONVERSATION, whatsApp("wamid.2", T0.plus(Duration.ofHours(6))).build());
            inbound.pipeInput(CONVERSATION, whatsApp("SM1", T0.plus(Duration.ofHours(7))).setChannel(Channel.SMS).build());
        };
        inputs.run();
        SessionState live = store.get(CONVERSATION);

        // When a fresh instance (empty state directory) folds the same topics from the beginning
        closeDriver();
        dataDir = dataDir.resolve("rebuild");
        startDriver();
        inputs.run();

        // Then it arrives at the same state, version included
        assertThat(store.get(CONVERSATION)).isEqualTo(live);
        assertThat(live.getVersion()).isEqualTo(3);
    }

    private static String header(ProducerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static InboundMessage.Builder whatsApp(String wamid, Instant sentAt) {
        return ProductionTopologyDriver.whatsApp(CONVERSATION, wamid, sentAt);
    }

    /** An inbound SMS as ingest writes it: the MessageSid as message id, sent and received at the receipt time. */
    private static InboundMessage.Builder sms(String messageSid, Instant receivedAt) {
        return whatsApp(messageSid, receivedAt).setChannel(Channel.SMS).setCustomerBsuid(null).setReceivedAt(receivedAt);
    }
}
