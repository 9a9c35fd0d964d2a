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

import io.micrometer.core.instrument.MeterRegistry;

import com.answerline.avro.Channel;
import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.SendRequest;
import com.answerline.dispatch.send.KafkaSendLedgerLog;
import com.answerline.dispatch.send.SendLedger;
import com.answerline.dispatch.support.DispatchItStack;
import com.answerline.dispatch.support.RecordingHttpServer;
import com.answerline.schemas.testing.LoopbackKafkaBroker;
import com.answerline.schemas.topic.Topics;

/**
 * The send ledger on a real broker across a restart: send requests published straight to {@code send-requests}
 * (as the decision topology would), a counting HTTP stand-in for WhatsApp, and the application context closed and
 * started again between deliveries.
 */
class SendLedgerIT {

    static final String REGISTRY = "mock://dispatch-ledger-it";
    static final String LEDGER_TOPIC = "dispatch-send-ledger";
    static final int PARTITION = 1;

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
        stateDir = Files.createTempDirectory("dispatch-ledger-it-streams");
        app = startApp();
        producer = DispatchItStack.avroProducer(broker, REGISTRY);
        outcomeConsumer = DispatchItStack.outcomeConsumer(broker, REGISTRY);
    }

    static ConfigurableApplicationContext startApp() {
        ConfigurableApplicationContext context = DispatchItStack.startApp(broker, REGISTRY, provider, stateDir);
        DispatchItStack.awaitSenderAssigned(context);
        return context;
    }

    @AfterAll
    static void stopStack() {
        DispatchItStack.closeAll(producer, outcomeConsumer, app, provider, broker);
    }

    @Test
    void shouldCallTheProviderOnceAcrossADuplicateAndARestart() {
        // Given a send request delivered twice (a duplicate on the topic)
        SendRequest request = DispatchItStack.openWindowRequest("4915100000101");
        publish(Topics.SEND_REQUESTS.name(), request.getConversationId(), request);
        publish(Topics.SEND_REQUESTS.name(), request.getConversationId(), request);
        await().atMost(Duration.ofSeconds(60)).until(() -> finalOutcomesOf(request.getCommandId()).size() == 2);

        // (the gap - provider answer until the result is acknowledged - is measured)
        assertThat(app.getBean(MeterRegistry.class).get(KafkaSendLedgerLog.APPEND_TIMER).tag("entry", "result").timer().count())
                .isPositive();

        // When the service restarts (memory gone) and the same request arrives again
        app.close();
        app = startApp();
        publish(Topics.SEND_REQUESTS.name(), request.getConversationId(), request);
        await().atMost(Duration.ofSeconds(60)).until(() -> finalOutcomesOf(request.getCommandId()).size() == 3);

        // Then the customer's number reached the provider exactly once, and every published final outcome is the
        // one logged the first time (same provider message id, same instant)
        assertThat(provider.requests()).filteredOn(r -> r.body().contains("\"to\":\"4915100000101\"")).hasSize(1);
        List<DispatchOutcome> finals = finalOutcomesOf(request.getCommandId());
        assertThat(finals).allSatisfy(outcome -> assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.SENT));
        assertThat(finals.stream().distinct()).hasSize(1);
        assertThat(finals.get(0).getProviderMessageId()).startsWith("wamid.");
    }

    @Test
    void shouldNotResendACommandLeftSendingButEndItAsSendStateUnknown() {
        // Given a process that logged SENDING and died before logging the provider's answer
        SendRequest request = DispatchItStack.openWindowRequest("4915100000102");
        publish(LEDGER_TOPIC, request.getCommandId(), DispatchOutcome.newBuilder()
                .setCommandId(request.getCommandId()).setTenantId("demo").setConversationId(request.getConversationId())
                .setStatus(OutcomeStatus.PENDING).setChannel(Channel.WHATSAPP).setReason(SendLedger.SENDING)
                .setFinal$(false).setOccurredAt(Instant.now()).build());

        // When the request is redelivered
        publish(Topics.SEND_REQUESTS.name(), request.getConversationId(), request);

        // Then nothing reaches the provider, and the agent gets a final FAILED SEND_STATE_UNKNOWN
        await().atMost(Duration.ofSeconds(60)).until(() -> finalOutcomesOf(request.getCommandId()).size() == 1);
        DispatchOutcome outcome = finalOutcomesOf(request.getCommandId()).get(0);
        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.FAILED);
        assertThat(outcome.getReason()).isEqualTo(SendLedger.SEND_STATE_UNKNOWN);
        assertThat(provider.requests()).noneMatch(r -> r.body().contains("4915100000102"));
    }

    /** Everything on one partition number, as the ledger pairs send-requests partition p with its partition p. */
    private static void publish(String topic, String key, Object value) {
        try {
            producer.send(new ProducerRecord<>(topic, PARTITION, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static synchronized List<DispatchOutcome> finalOutcomesOf(String commandId) {
        outcomeConsumer.poll(Duration.ofMillis(200)).forEach(record -> outcomes.add((DispatchOutcome) record.value()));
        return outcomes.stream().filter(o -> o.getCommandId().equals(commandId) && o.getFinal$()).toList();
    }
}
