package com.answerline.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import io.micrometer.core.instrument.MeterRegistry;

import com.answerline.avro.Channel;
import com.answerline.avro.DeliveryState;
import com.answerline.avro.DeliveryStatus;
import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.OutcomeReason;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.SendLedgerEntry;
import com.answerline.avro.SendRequest;
import com.answerline.avro.SendState;
import com.answerline.avro.SendStep;
import com.answerline.dispatch.send.KafkaSendLedgerLog;
import com.answerline.dispatch.send.SendLedger;
import com.answerline.dispatch.send.SendReconciler;
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
    /** The ledger of the release before SendLedgerEntry, read once at start-up. */
    static final String LEGACY_LEDGER_TOPIC = "dispatch-send-ledger";
    static final int PARTITION = 1;
    /** The in-doubt deadline of this IT (production: 5 minutes), checked every idle half second. */
    static final Duration RECONCILE_DEADLINE = Duration.ofSeconds(3);
    static final Duration READ_TIMEOUT = Duration.ofMillis(700);
    /** Customers whose sends WhatsApp accepts but answers after the sender's read timeout: the answer is lost. */
    static final String LOST_ANSWER_SETTLED = "4915100000105";
    static final String LOST_ANSWER_UNSETTLED = "4915100000106";

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
        provider.answer(request -> {
            if (request.body().contains(LOST_ANSWER_SETTLED) || request.body().contains(LOST_ANSWER_UNSETTLED)) {
                LockSupport.parkNanos(READ_TIMEOUT.multipliedBy(2).toNanos());
                return new RecordingHttpServer.Response(200,
                        "{\"messaging_product\":\"whatsapp\",\"messages\":[{\"id\":\"wamid.LOST\"}]}");
            }
            return DispatchItStack.accepted(request);
        });
        stateDir = Files.createTempDirectory("dispatch-ledger-it-streams");
        app = startApp();
        producer = DispatchItStack.avroProducer(broker, REGISTRY);
        outcomeConsumer = DispatchItStack.outcomeConsumer(broker, REGISTRY);
    }

    static ConfigurableApplicationContext startApp() {
        ConfigurableApplicationContext context = DispatchItStack.startApp(broker, REGISTRY, provider, stateDir,
                "--answerline.dispatch.reconcile.deadline=" + RECONCILE_DEADLINE,
                "--answerline.dispatch.whatsapp.read-timeout=" + READ_TIMEOUT,
                "--spring.kafka.listener.idle-event-interval=500ms");
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
    void shouldSettleASendWhoseAnswerWasLostFromTheStatusThatNamesItAndNeverResendIt() {
        // Given a reply WhatsApp accepts but whose answer is lost (it comes after the read timeout)
        SendRequest request = DispatchItStack.openWindowRequest(LOST_ANSWER_SETTLED);
        publishKeyed(Topics.SEND_REQUESTS.name(), request.getConversationId(), request);

        // Then the agent first sees PENDING SEND_STATE_UNKNOWN, not final
        await().atMost(Duration.ofSeconds(60)).until(() -> !outcomesOf(request.getCommandId()).isEmpty());
        DispatchOutcome pending = outcomesOf(request.getCommandId()).get(0);
        assertThat(pending.getStatus()).isEqualTo(OutcomeStatus.PENDING);
        assertThat(pending.getOutcomeReason()).isEqualTo(OutcomeReason.SEND_STATE_UNKNOWN);
        assertThat(pending.getFinal$()).isFalse();

        // When WhatsApp's "delivered" webhook comes back with the send's reference (ingest put it on the status)
        String reference = "al1|" + request.getConversationId() + "|" + request.getCommandId() + "|REPLY";
        assertThat(provider.requests()).filteredOn(r -> r.body().contains(LOST_ANSWER_SETTLED)).singleElement()
                .satisfies(r -> assertThat(r.body()).contains("\"biz_opaque_callback_data\":\"" + reference + "\""));
        publishKeyed(Topics.DELIVERY_STATUSES.name(), request.getConversationId(), DeliveryStatus.newBuilder()
                .setTenantId("demo").setConversationId(request.getConversationId()).setPhoneNumberId("100000000000001")
                .setChannel(Channel.WHATSAPP).setProviderMessageId("wamid.LOST").setStatus(DeliveryState.DELIVERED)
                .setRecipientPhone(LOST_ANSWER_SETTLED).setOccurredAt(Instant.now()).setReceivedAt(Instant.now())
                .setCommandId(request.getCommandId()).setStep(SendStep.REPLY).build());

        // Then the reply is SENT with the wamid of the status, final, well before the deadline; sent once only
        await().atMost(RECONCILE_DEADLINE.minusMillis(500)).until(() -> finalOutcomesOf(request.getCommandId()).size() == 1);
        DispatchOutcome settled = finalOutcomesOf(request.getCommandId()).get(0);
        assertThat(settled.getStatus()).isEqualTo(OutcomeStatus.SENT);
        assertThat(settled.getProviderMessageId()).isEqualTo("wamid.LOST");
        assertThat(settled.getOutcomeReason()).isEqualTo(OutcomeReason.WINDOW_OPEN);
        await().during(RECONCILE_DEADLINE.plusSeconds(1)).atMost(RECONCILE_DEADLINE.plusSeconds(5))
                .until(() -> finalOutcomesOf(request.getCommandId()).size() == 1);
        assertThat(provider.requests()).filteredOn(r -> r.body().contains(LOST_ANSWER_SETTLED)).hasSize(1);
    }

    @Test
    void shouldEndASendWhoseAnswerWasLostFailedSendStateUnknownWhenNoStatusComesByTheDeadline() {
        // Given a reply WhatsApp accepts but whose answer is lost, and no status naming it
        SendRequest request = DispatchItStack.openWindowRequest(LOST_ANSWER_UNSETTLED);
        publishKeyed(Topics.SEND_REQUESTS.name(), request.getConversationId(), request);
        await().atMost(Duration.ofSeconds(60)).until(() -> !outcomesOf(request.getCommandId()).isEmpty());
        Instant pendingAt = Instant.now();

        // Then at the deadline (not before) it ends FAILED SEND_STATE_UNKNOWN, final, and is never resent
        await().atMost(Duration.ofSeconds(30)).until(() -> finalOutcomesOf(request.getCommandId()).size() == 1);
        assertThat(Duration.between(pendingAt, Instant.now())).isGreaterThan(RECONCILE_DEADLINE.minusSeconds(1));
        DispatchOutcome outcome = finalOutcomesOf(request.getCommandId()).get(0);
        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.FAILED);
        assertThat(outcome.getOutcomeReason()).isEqualTo(OutcomeReason.SEND_STATE_UNKNOWN);
        assertThat(outcomesOf(request.getCommandId())).extracting(DispatchOutcome::getStatus)
                .containsExactly(OutcomeStatus.PENDING, OutcomeStatus.FAILED);
        assertThat(provider.requests()).filteredOn(r -> r.body().contains(LOST_ANSWER_UNSETTLED)).hasSize(1);
        assertThat(app.getBean(MeterRegistry.class).get(SendReconciler.METRIC).tag("result", "deadline_unknown")
                .counter().count()).isPositive();
    }

    @Test
    void shouldNotResendACommandLeftSendingButEndItAsSendStateUnknown() {
        // Given a process that logged SENDING and died before logging the provider's answer
        SendRequest request = DispatchItStack.openWindowRequest("4915100000102");
        publish(Topics.SEND_LEDGER.name(), request.getCommandId(), SendLedgerEntry.newBuilder()
                .setCommandId(request.getCommandId()).setTenantId("demo").setConversationId(request.getConversationId())
                .setState(SendState.SENDING).setChannel(Channel.WHATSAPP).setExplanation(request.getExplanation())
                .setLoggedAt(Instant.now()).build());

        // When the partition comes (back) to this process, as after that death, and the request is redelivered
        // (the release makes it re-read the ledger partition, where the test, as the dead owner, wrote)
        app.getBean(SendLedger.class).release(List.of(PARTITION));
        publish(Topics.SEND_REQUESTS.name(), request.getConversationId(), request);

        // Then nothing reaches the provider, and the agent gets PENDING SEND_STATE_UNKNOWN, then (no status naming
        // the send came by its deadline) a final FAILED SEND_STATE_UNKNOWN
        await().atMost(Duration.ofSeconds(60)).until(() -> finalOutcomesOf(request.getCommandId()).size() == 1);
        assertThat(outcomesOf(request.getCommandId()).get(0).getOutcomeReason()).isEqualTo(OutcomeReason.SEND_STATE_UNKNOWN);
        assertThat(outcomesOf(request.getCommandId()).get(0).getFinal$()).isFalse();
        DispatchOutcome outcome = finalOutcomesOf(request.getCommandId()).get(0);
        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.FAILED);
        assertThat(outcome.getOutcomeReason()).isEqualTo(OutcomeReason.SEND_STATE_UNKNOWN);
        assertThat(outcome.getReason()).isEqualTo("SEND_STATE_UNKNOWN");
        assertThat(provider.requests()).noneMatch(r -> r.body().contains("4915100000102"));
    }

    @Test
    void shouldFindWhatThePreviousReleaseLoggedOnTheLegacyLedgerAfterTheUpgrade() throws Exception {
        // Given the ledger of the previous release (DispatchOutcome values on dispatch-send-ledger): one send left
        // SENDING (a PENDING outcome with reason "SENDING"), one SENT
        SendRequest inFlight = DispatchItStack.openWindowRequest("4915100000103");
        SendRequest sent = DispatchItStack.openWindowRequest("4915100000104");
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic(LEGACY_LEDGER_TOPIC, Topics.SEND_REQUESTS.partitions(), (short) 1)))
                    .all().get(30, TimeUnit.SECONDS);
        }
        publish(LEGACY_LEDGER_TOPIC, inFlight.getCommandId(), legacyOutcome(inFlight, OutcomeStatus.PENDING, "SENDING", false));
        publish(LEGACY_LEDGER_TOPIC, sent.getCommandId(), DispatchOutcome.newBuilder(
                legacyOutcome(sent, OutcomeStatus.SENT, "WINDOW_OPEN", true)).setProviderMessageId("wamid.legacy").build());

        // When this release starts (memory empty; a new pod, so a state directory of its own: the decision
        // topology's state plays no part here) and both requests are redelivered
        app.close();
        stateDir = Files.createTempDirectory("dispatch-ledger-it-upgraded-streams");
        app = startApp();
        publish(Topics.SEND_REQUESTS.name(), inFlight.getConversationId(), inFlight);
        publish(Topics.SEND_REQUESTS.name(), sent.getConversationId(), sent);

        // Then neither reaches the provider: the one in flight ends SEND_STATE_UNKNOWN, the sent one is republished
        // with its reason as the enum
        await().atMost(Duration.ofSeconds(60)).until(() -> finalOutcomesOf(inFlight.getCommandId()).size() == 1
                && finalOutcomesOf(sent.getCommandId()).size() == 1);
        assertThat(finalOutcomesOf(inFlight.getCommandId()).get(0).getOutcomeReason()).isEqualTo(OutcomeReason.SEND_STATE_UNKNOWN);
        DispatchOutcome republished = finalOutcomesOf(sent.getCommandId()).get(0);
        assertThat(republished.getProviderMessageId()).isEqualTo("wamid.legacy");
        assertThat(republished.getOutcomeReason()).isEqualTo(OutcomeReason.WINDOW_OPEN);
        assertThat(provider.requests()).noneMatch(r -> r.body().contains("4915100000103") || r.body().contains("4915100000104"));
    }

    /** A ledger entry as the release before SendLedgerEntry wrote it: no outcomeReason, the reason as a string. */
    private static DispatchOutcome legacyOutcome(SendRequest request, OutcomeStatus status, String reason, boolean isFinal) {
        return DispatchOutcome.newBuilder()
                .setCommandId(request.getCommandId()).setTenantId("demo").setConversationId(request.getConversationId())
                .setStatus(status).setChannel(Channel.WHATSAPP).setReason(reason).setExplanation(request.getExplanation())
                .setFinal$(isFinal).setOccurredAt(Instant.now()).build();
    }

    /** Everything on one partition number, as the ledger pairs send-requests partition p with its partition p. */
    private static void publish(String topic, String key, Object value) {
        try {
            producer.send(new ProducerRecord<>(topic, PARTITION, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** On the key's partition (Java's partitioner), as ingest and the guard put a delivery status. */
    private static void publishKeyed(String topic, String key, Object value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static synchronized List<DispatchOutcome> outcomesOf(String commandId) {
        outcomeConsumer.poll(Duration.ofMillis(200)).forEach(record -> outcomes.add((DispatchOutcome) record.value()));
        return outcomes.stream().filter(o -> o.getCommandId().equals(commandId)).toList();
    }

    private static List<DispatchOutcome> finalOutcomesOf(String commandId) {
        return outcomesOf(commandId).stream().filter(DispatchOutcome::getFinal$).toList();
    }
}
