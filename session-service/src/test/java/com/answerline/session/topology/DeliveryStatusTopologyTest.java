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
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.answerline.avro.Channel;
import com.answerline.avro.DeliveryState;
import com.answerline.avro.DeliveryStatus;
import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.InboundMessage;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.OutboundStatus;
import com.answerline.avro.ProviderError;
import com.answerline.avro.SessionState;
import com.answerline.schemas.topic.Topics;

/** Delivery statuses through the production topology ({@link ProductionTopologyDriver}). */
class DeliveryStatusTopologyTest {

    private static final String REGISTRY_SCOPE = "delivery-status-test";
    private static final String CONVERSATION = "100000000000001:15551230001";
    private static final Instant T0 = Instant.parse("2026-11-20T09:15:30.123Z");
    private static final Instant REPLY_AT = T0.plusSeconds(120);
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    @TempDir
    Path dataDir;

    private ProductionTopologyDriver topology;
    private TestInputTopic<String, InboundMessage> inbound;
    private TestInputTopic<String, DispatchOutcome> outcomes;
    private TestInputTopic<String, DeliveryStatus> statuses;
    private TestOutputTopic<String, SessionState> sessions;
    private KeyValueStore<String, SessionState> store;
    private final MockProducer<byte[], byte[]> deadLetterProducer =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());

    @BeforeEach
    void startDriver() {
        topology = new ProductionTopologyDriver(dataDir, REGISTRY_SCOPE, deadLetterProducer,
                Clock.fixed(NOW, ZoneOffset.UTC), new SimpleMeterRegistry(), NOW);
        inbound = topology.input(Topics.INBOUND_MESSAGES);
        outcomes = topology.input(Topics.DISPATCH_OUTCOMES);
        statuses = topology.input(Topics.DELIVERY_STATUSES);
        sessions = topology.output(Topics.CONVERSATION_SESSIONS);
        store = topology.driver().getKeyValueStore(SessionTopology.SESSION_STORE);
    }

    @AfterEach
    void closeDriver() {
        topology.close();
    }

    @Test
    void shouldFoldDeliveredAndReadOnceEachAndNeverBackwards() {
        // Given a customer answered by a reply WhatsApp accepted as wamid.out
        answered();

        // When its statuses arrive: delivered twice (redelivered webhook), read, then a late delivered
        statuses.pipeInput(CONVERSATION, status("wamid.out", DeliveryState.DELIVERED, REPLY_AT.plusSeconds(2)).build());
        statuses.pipeInput(CONVERSATION, status("wamid.out", DeliveryState.DELIVERED, REPLY_AT.plusSeconds(2)).build());
        statuses.pipeInput(CONVERSATION, status("wamid.out", DeliveryState.READ, REPLY_AT.plusSeconds(30)).build());
        statuses.pipeInput(CONVERSATION, status("wamid.out", DeliveryState.DELIVERED, REPLY_AT.plusSeconds(3)).build());

        // Then two changes were published: DELIVERED, then READ; the window and the answer did not move
        List<SessionState> published = sessions.readValuesToList();
        assertThat(published).extracting(state -> state.getLastOutbound().getStatus())
                .containsExactly(OutboundStatus.DELIVERED, OutboundStatus.READ);
        SessionState latest = store.get(CONVERSATION);
        assertThat(latest.getVersion()).isEqualTo(4);
        assertThat(latest.getWindowExpiresAt()).isEqualTo(T0.plus(Duration.ofHours(24)));
        assertThat(latest.getUnansweredSince()).isNull();
        assertThat(latest.getFirstResponseMillis()).isEqualTo(120_000L);
        assertThat(latest.getLastOutbound().getAt()).isEqualTo(REPLY_AT);
        assertThat(latest.getLastOutbound().getProviderMessageId()).isEqualTo("wamid.out");
        // The deprecated fields are no longer written
        assertThat(latest.getLastOutboundOutcome()).isNull();
        assertThat(latest.getLastOutboundAt()).isNull();
    }

    @Test
    void shouldShowALate131047AndWaitForTheSmsFallbackToAnswer() {
        // Given a customer answered by a WhatsApp reply
        answered();

        // When WhatsApp later reports it failed: the window had closed when it processed it (DOMAIN 1, 3)
        statuses.pipeInput(CONVERSATION, status("wamid.out", DeliveryState.FAILED, REPLY_AT.plusSeconds(4))
                .setErrors(List.of(ProviderError.newBuilder().setCode(131047).setTitle("Re-engagement message")
                        .build()))
                .build());

        // Then the session shows the failure with its code and the customer as unanswered since their message
        SessionState failed = store.get(CONVERSATION);
        assertThat(failed.getLastOutbound().getStatus()).isEqualTo(OutboundStatus.FAILED);
        assertThat(failed.getLastOutbound().getErrorCode()).isEqualTo(131047);
        assertThat(failed.getLastOutbound().getAnsweredSince()).isEqualTo(T0);
        assertThat(failed.getUnansweredSince()).isEqualTo(T0);
        assertThat(failed.getFirstResponseMillis()).isNull();
        assertThat(failed.getVersion()).isEqualTo(3);

        // When dispatch's SMS fallback of the same command goes out (a new provider message)
        Instant smsAt = REPLY_AT.plusSeconds(10);
        outcomes.pipeInput(CONVERSATION, sent("cmd-1", "SM0123", Channel.SMS, smsAt));

        // Then that answers the customer, with the true response time
        SessionState fallback = store.get(CONVERSATION);
        assertThat(fallback.getLastOutbound().getStatus()).isEqualTo(OutboundStatus.SENT);
        assertThat(fallback.getLastOutbound().getChannel()).isEqualTo(Channel.SMS);
        assertThat(fallback.getLastOutbound().getErrorCode()).isNull();
        assertThat(fallback.getUnansweredSince()).isNull();
        assertThat(fallback.getFirstResponseMillis()).isEqualTo(Duration.between(T0, smsAt).toMillis());
        assertThat(fallback.getVersion()).isEqualTo(4);

        // And the Twilio callback of that SMS is folded like any status
        statuses.pipeInput(CONVERSATION, status("SM0123", DeliveryState.DELIVERED, smsAt.plusSeconds(5))
                .setChannel(Channel.SMS).build());
        assertThat(store.get(CONVERSATION).getLastOutbound().getStatus()).isEqualTo(OutboundStatus.DELIVERED);
    }

    @Test
    void shouldIgnoreStatusesOfOlderOrUnknownMessages() {
        // Given a customer answered twice: wamid.out, then wamid.out2
        answered();
        outcomes.pipeInput(CONVERSATION, sent("cmd-2", "wamid.out2", Channel.WHATSAPP, REPLY_AT.plusSeconds(60)));
        sessions.readValuesToList();

        // When the first reply's failure and a status of a message we never sent arrive
        statuses.pipeInput(CONVERSATION, status("wamid.out", DeliveryState.FAILED, REPLY_AT.plusSeconds(61)).build());
        statuses.pipeInput(CONVERSATION, status("wamid.other", DeliveryState.READ, REPLY_AT.plusSeconds(62)).build());

        // Then nothing changes
        assertThat(sessions.isEmpty()).isTrue();
        assertThat(store.get(CONVERSATION).getLastOutbound().getStatus()).isEqualTo(OutboundStatus.SENT);
        assertThat(store.get(CONVERSATION).getLastOutbound().getProviderMessageId()).isEqualTo("wamid.out2");
    }

    @Test
    void shouldSendPoisonStatusBytesToTheDeadLetterTopic() {
        // When bytes that are not Avro arrive on delivery-statuses
        topology.driver().createInputTopic(Topics.DELIVERY_STATUSES.name(), new StringSerializer(),
                new ByteArraySerializer()).pipeInput(CONVERSATION, "not avro".getBytes(StandardCharsets.UTF_8));

        // Then they go to the dead-letter twin
        assertThat(deadLetterProducer.history()).singleElement()
                .satisfies(dead -> assertThat(dead.topic()).isEqualTo("delivery-statuses-dlt"));
    }

    private void answered() {
        inbound.pipeInput(CONVERSATION, ProductionTopologyDriver.whatsApp(CONVERSATION, "wamid.1", T0).build());
        outcomes.pipeInput(CONVERSATION, sent("cmd-1", "wamid.out", Channel.WHATSAPP, REPLY_AT));
        assertThat(store.get(CONVERSATION).getUnansweredSince()).isNull();
        sessions.readValuesToList();
    }

    private static DispatchOutcome sent(String commandId, String providerMessageId, Channel channel, Instant at) {
        return DispatchOutcome.newBuilder().setCommandId(commandId).setTenantId("demo").setConversationId(CONVERSATION)
                .setStatus(OutcomeStatus.SENT).setChannel(channel).setReason("WINDOW_OPEN")
                .setProviderMessageId(providerMessageId).setFinal$(true).setOccurredAt(at).build();
    }

    private static DeliveryStatus.Builder status(String providerMessageId, DeliveryState state, Instant at) {
        return DeliveryStatus.newBuilder().setTenantId("demo").setConversationId(CONVERSATION)
                .setPhoneNumberId("100000000000001").setChannel(Channel.WHATSAPP)
                .setProviderMessageId(providerMessageId).setStatus(state).setOccurredAt(at)
                .setReceivedAt(at.plusSeconds(1));
    }
}
