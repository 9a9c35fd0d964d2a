package com.answerline.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import com.answerline.avro.Channel;
import com.answerline.avro.DeliveryState;
import com.answerline.avro.DeliveryStatus;
import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.OutcomeReason;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.ProviderError;
import com.answerline.avro.SendRequest;
import com.answerline.avro.SendStep;
import com.answerline.dispatch.decision.ChannelDecider;
import com.answerline.dispatch.support.DispatchItStack;
import com.answerline.dispatch.support.RecordingHttpServer;
import com.answerline.schemas.testing.LoopbackKafkaBroker;
import com.answerline.schemas.topic.Topics;

/**
 * The asynchronous failover on a real broker with real HTTP: a reply WhatsApp accepted, then a FAILED 131047 status
 * for its wamid on {@code delivery-statuses} (as ingest publishes it from the status webhook), produces exactly one
 * SMS and one FAILOVER outcome, also when the status comes twice.
 */
class FailoverIT {

    static final String REGISTRY = "mock://dispatch-failover-it";
    static final String PHONE = "4915100000201";
    static final String CONVERSATION = "100000000000001:" + PHONE;

    static LoopbackKafkaBroker broker;
    static RecordingHttpServer provider;
    static Path stateDir;
    static ConfigurableApplicationContext app;
    static KafkaProducer<String, Object> producer;
    static KafkaConsumer<String, Object> outcomeConsumer;
    static final List<DispatchOutcome> outcomes = new ArrayList<>();

    @BeforeAll
    static void startStack() throws Exception {
        broker = LoopbackKafkaBroker.start();
        provider = new RecordingHttpServer();
        provider.answer(DispatchItStack::accepted);
        stateDir = Files.createTempDirectory("dispatch-failover-it-streams");
        app = DispatchItStack.startApp(broker, REGISTRY, provider, stateDir);
        DispatchItStack.awaitSenderAssigned(app);
        producer = DispatchItStack.avroProducer(broker, REGISTRY);
        outcomeConsumer = DispatchItStack.outcomeConsumer(broker, REGISTRY);
    }

    @AfterAll
    static void stopStack() {
        DispatchItStack.closeAll(producer, outcomeConsumer, app, provider, broker);
    }

    @Test
    void shouldSendOneSmsWithTheLinkWhenASentReplyLaterFailsWith131047() {
        // Given a free-form reply WhatsApp accepted
        SendRequest request = DispatchItStack.openWindowRequest(PHONE);
        publish(Topics.SEND_REQUESTS.name(), request);
        await().atMost(Duration.ofSeconds(60)).until(() -> outcomesOf(request.getCommandId(), SendStep.REPLY).size() == 1);
        DispatchOutcome sent = outcomesOf(request.getCommandId(), SendStep.REPLY).get(0);
        assertThat(sent.getStatus()).isEqualTo(OutcomeStatus.SENT);

        // When WhatsApp reports its delivery FAILED with 131047 - twice, as a redelivered webhook would
        DeliveryStatus failed = failedStatus(sent.getProviderMessageId());
        publish(Topics.DELIVERY_STATUSES.name(), failed);
        publish(Topics.DELIVERY_STATUSES.name(), failed);
        await().atMost(Duration.ofSeconds(60)).until(() -> outcomesOf(request.getCommandId(), SendStep.FAILOVER).size() == 2);

        // Then the customer got exactly one SMS, with the agent's text and the wa.me link
        List<RecordingHttpServer.Request> sms = provider.requests().stream()
                .filter(r -> r.path().endsWith("/Messages.json")).toList();
        assertThat(sms).singleElement().satisfies(r -> assertThat(r.body())
                .contains("To=%2B" + PHONE)
                .contains("Body=Your+parcel+left+today.")
                .contains("https%3A%2F%2Fwa.me%2F15550000001%3Ftext%3D"));
        // And one FAILOVER outcome (the second is the same one republished), carrying the SMS MessageSid
        List<DispatchOutcome> failovers = outcomesOf(request.getCommandId(), SendStep.FAILOVER);
        assertThat(failovers.stream().distinct()).hasSize(1);
        DispatchOutcome failover = failovers.get(0);
        assertThat(failover.getStatus()).isEqualTo(OutcomeStatus.SENT);
        assertThat(failover.getChannel()).isEqualTo(Channel.SMS);
        assertThat(failover.getOutcomeReason()).isEqualTo(OutcomeReason.DELIVERY_FAILED_SMS_FALLBACK);
        assertThat(failover.getProviderMessageId()).startsWith("SM");
        assertThat(failover.getSmsSegments()).isEqualTo(1);
        assertThat(failover.getFinal$()).isTrue();
        assertThat(failover.getExplanation().getFallbackChain())
                .containsExactly("WHATSAPP delivery failed: 131047 window closed", "SMS");
    }

    private static DeliveryStatus failedStatus(String wamid) {
        Instant now = Instant.now();
        return DeliveryStatus.newBuilder()
                .setTenantId("demo")
                .setConversationId(CONVERSATION)
                .setPhoneNumberId("100000000000001")
                .setChannel(Channel.WHATSAPP)
                .setProviderMessageId(wamid)
                .setStatus(DeliveryState.FAILED)
                .setRecipientPhone(PHONE)
                .setErrors(List.of(ProviderError.newBuilder().setCode(131047).setTitle("Re-engagement message").build()))
                .setOccurredAt(now)
                .setReceivedAt(now)
                .build();
    }

    /** Keyed by conversation id with the default partitioner, as the decision topology and ingest publish. */
    private static void publish(String topic, Object value) {
        try {
            producer.send(new ProducerRecord<>(topic, CONVERSATION, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static synchronized List<DispatchOutcome> outcomesOf(String commandId, SendStep step) {
        outcomeConsumer.poll(Duration.ofMillis(200)).forEach(record -> outcomes.add((DispatchOutcome) record.value()));
        return outcomes.stream().filter(o -> o.getCommandId().equals(commandId) && o.getStep() == step).toList();
    }
}
