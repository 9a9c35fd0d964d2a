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
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import io.micrometer.core.instrument.MeterRegistry;

import com.answerline.avro.Channel;
import com.answerline.avro.DecisionExplanation;
import com.answerline.avro.DirectSendAccessEntry;
import com.answerline.avro.FallbackPolicy;
import com.answerline.avro.WindowState;
import com.answerline.avro.DeliveryState;
import com.answerline.avro.DeliveryStatus;
import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.OutcomeReason;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.ProviderError;
import com.answerline.avro.SendRequest;
import com.answerline.avro.SendStep;
import com.answerline.dispatch.decision.ChannelDecider;
import com.answerline.dispatch.decision.DirectSendAccess;
import com.answerline.dispatch.support.DispatchItStack;
import com.answerline.dispatch.support.RecordingHttpServer;
import com.answerline.schemas.serde.KafkaAvroDeserializer;
import com.answerline.schemas.testing.LoopbackKafkaBroker;
import com.answerline.schemas.topic.Topics;

/**
 * The asynchronous failover on a real broker with real HTTP: a reply WhatsApp accepted, then a FAILED 131047 status
 * for its wamid on {@code delivery-statuses} (as ingest publishes it from the status webhook), produces exactly one
 * SMS and one FAILOVER outcome, also when the status comes twice. And replies that wait out provider trouble
 * (issue 18): parked PENDING while WhatsApp answers 500/429, then SENT once in conversation order; failed over to the
 * SMS once when WhatsApp stays down longer than the tenant's reply validity (5 s here, retries every 100-400 ms).
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
    /** A conversation whose WhatsApp sends fail 500, 500, 429 (Retry-After 1 s), then go through. */
    static final String BLIP_PHONE = "4915100000202";
    /** A conversation whose WhatsApp sends always fail 503: an outage longer than the validity. */
    static final String OUTAGE_PHONE = "4915100000203";
    static final AtomicInteger blipCalls = new AtomicInteger();
    /** A customer of demo's number, whose Direct Send messages WhatsApp refuses with 100 (not enabled). */
    static final String NOT_ENABLED_PHONE = "4915100000204";
    /** A username-only customer of other's number, whose Direct Send messages WhatsApp refuses with 139200 (blocked). */
    static final String BLOCKED_BSUID = "US.13491208655302700205";
    /** A customer whose Direct Send message WhatsApp accepts and later reports FAILED. */
    static final String FAILED_LATER_PHONE = "4915100000206";

    @BeforeAll
    static void startStack() throws Exception {
        broker = LoopbackKafkaBroker.start();
        provider = new RecordingHttpServer();
        provider.answer(FailoverIT::answer);
        stateDir = Files.createTempDirectory("dispatch-failover-it-streams");
        app = DispatchItStack.startApp(broker, REGISTRY, provider, stateDir,
                "--answerline.dispatch.tenants.demo.reply-validity=5s",
                "--answerline.dispatch.parking.initial-backoff=100ms",
                "--answerline.dispatch.parking.max-backoff=400ms",
                "--answerline.dispatch.parking.check-interval=100ms",
                "--answerline.dispatch.providers.retry.max-attempts=1",
                "--answerline.dispatch.providers.circuit-breaker.open-for=300ms");
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
        // (SENT, possibly after a PENDING while the other tests' outage holds the breaker open)
        await().atMost(Duration.ofSeconds(60)).until(() -> outcomesOf(request.getCommandId(), SendStep.REPLY).stream()
                .anyMatch(DispatchOutcome::getFinal$));
        DispatchOutcome sent = outcomesOf(request.getCommandId(), SendStep.REPLY).stream()
                .filter(DispatchOutcome::getFinal$).findFirst().orElseThrow();
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

    @Test
    void shouldKeepRepliesPendingWhileWhatsAppAnswers500And429AndSendEachOnceInOrder() {
        // Given a conversation whose WhatsApp sends fail 500, 500, 429 before they go through
        String conversation = "100000000000001:" + BLIP_PHONE;
        SendRequest first = withText(DispatchItStack.openWindowRequest(BLIP_PHONE), "first of two");
        SendRequest second = withText(DispatchItStack.openWindowRequest(BLIP_PHONE), "second of two");

        // When the agent's two replies are decided one after the other
        publish(Topics.SEND_REQUESTS.name(), conversation, first);
        await().atMost(Duration.ofSeconds(60)).until(() -> !outcomesOf(first.getCommandId(), SendStep.REPLY).isEmpty());
        publish(Topics.SEND_REQUESTS.name(), conversation, second);

        // Then each is PENDING waiting for WhatsApp (with the time it gives up), then SENT exactly once
        await().atMost(Duration.ofSeconds(60)).until(() -> outcomesOf(second.getCommandId(), SendStep.REPLY).stream()
                .anyMatch(DispatchOutcome::getFinal$));
        for (SendRequest reply : List.of(first, second)) {
            List<DispatchOutcome> seen = outcomesOf(reply.getCommandId(), SendStep.REPLY);
            assertThat(seen.get(0).getStatus()).isEqualTo(OutcomeStatus.PENDING);
            assertThat(seen.get(0).getOutcomeReason()).isEqualTo(OutcomeReason.PROVIDER_UNAVAILABLE_WAITING);
            assertThat(seen.get(0).getValidUntil()).isAfter(reply.getDecidedAt());
            assertThat(seen).filteredOn(DispatchOutcome::getFinal$).singleElement()
                    .satisfies(sent -> assertThat(sent.getStatus()).isEqualTo(OutcomeStatus.SENT));
        }
        // And the customer got each once, the first before the second
        List<String> delivered = provider.requests().stream().map(RecordingHttpServer.Request::body)
                .filter(body -> body.contains(BLIP_PHONE)).toList();
        assertThat(delivered.subList(3, delivered.size())).satisfiesExactly(
                body -> assertThat(body).contains("first of two"),
                body -> assertThat(body).contains("second of two"));
    }

    @Test
    void shouldFailOverToOneSmsWhenWhatsAppStaysDownLongerThanTheValidity() {
        // Given a conversation whose WhatsApp sends always fail 503
        String conversation = "100000000000001:" + OUTAGE_PHONE;
        SendRequest request = DispatchItStack.openWindowRequest(OUTAGE_PHONE);

        // When the reply waits longer than the tenant's validity (5 s)
        publish(Topics.SEND_REQUESTS.name(), conversation, request);
        await().atMost(Duration.ofSeconds(60)).until(() -> !outcomesOf(request.getCommandId(), SendStep.FAILOVER).isEmpty());

        // Then it was PENDING, then its WhatsApp send ended (not final), and the tenant's policy (SMS) sent the text
        // with the link as one SMS
        assertThat(outcomesOf(request.getCommandId(), SendStep.REPLY)).satisfiesExactly(
                pending -> assertThat(pending.getOutcomeReason()).isEqualTo(OutcomeReason.PROVIDER_UNAVAILABLE_WAITING),
                superseded -> {
                    assertThat(superseded.getOutcomeReason()).isEqualTo(OutcomeReason.PROVIDER_UNAVAILABLE_VALIDITY_EXPIRED);
                    assertThat(superseded.getFinal$()).isFalse();
                });
        assertThat(outcomesOf(request.getCommandId(), SendStep.FAILOVER)).singleElement().satisfies(failover -> {
            assertThat(failover.getStatus()).isEqualTo(OutcomeStatus.SENT);
            assertThat(failover.getChannel()).isEqualTo(Channel.SMS);
            assertThat(failover.getOutcomeReason()).isEqualTo(OutcomeReason.PROVIDER_UNAVAILABLE_SMS_FALLBACK);
            assertThat(failover.getFinal$()).isTrue();
        });
        assertThat(provider.requests()).filteredOn(r -> r.path().endsWith("/Messages.json") && r.body().contains(OUTAGE_PHONE))
                .singleElement().satisfies(r -> assertThat(r.body()).contains("wa.me"));
    }

    @Test
    void shouldRecordRefusal100OnceAndContinueTheSameReplyAsOneSmsEvenWhenTheRequestComesTwice() {
        // Given demo's number is not enabled for Direct Send (WhatsApp answers 100)
        String conversation = "100000000000001:" + NOT_ENABLED_PHONE;
        SendRequest request = directSend(DispatchItStack.openWindowRequest(NOT_ENABLED_PHONE));

        // When the Direct Send reply is decided - and its request delivered again once it ended
        publish(Topics.SEND_REQUESTS.name(), conversation, request);
        await().atMost(Duration.ofSeconds(60)).until(() -> outcomesOf(request.getCommandId(), SendStep.REPLY).stream()
                .anyMatch(DispatchOutcome::getFinal$));
        publish(Topics.SEND_REQUESTS.name(), conversation, request);
        await().atMost(Duration.ofSeconds(60)).until(() -> outcomesOf(request.getCommandId(), SendStep.REPLY).stream()
                .filter(DispatchOutcome::getFinal$).count() == 2);

        // Then one refused Direct Send call and one SMS with the text and the link: nothing sent twice
        assertThat(provider.requests()).filteredOn(r -> !r.path().endsWith("/Messages.json") && r.body().contains(NOT_ENABLED_PHONE))
                .singleElement().satisfies(r -> assertThat(r.body()).contains("\"category\":\"utility\"", "\"ttl\":"));
        assertThat(provider.requests()).filteredOn(r -> r.path().endsWith("/Messages.json") && r.body().contains(NOT_ENABLED_PHONE))
                .singleElement().satisfies(r -> assertThat(r.body()).contains("wa.me"));
        // And one outcome (the second its identical republication): SMS after the refusal, the chain saying why
        List<DispatchOutcome> finals = outcomesOf(request.getCommandId(), SendStep.REPLY).stream()
                .filter(DispatchOutcome::getFinal$).toList();
        assertThat(finals.stream().distinct()).singleElement().satisfies(outcome -> {
            assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.SENT);
            assertThat(outcome.getChannel()).isEqualTo(Channel.SMS);
            assertThat(outcome.getOutcomeReason()).isEqualTo(OutcomeReason.DIRECT_SEND_REFUSED_SMS_FALLBACK);
            assertThat(outcome.getExplanation().getFallbackChain())
                    .containsExactly("AUTO->DIRECT_SEND", "DIRECT_SEND refused: 100 not enabled", "SMS");
        });
        // And the next decision for that number skips Direct Send: the shared record says it is refused
        assertThat(app.getBean(DirectSendAccess.class).refusal("100000000000001", Instant.now()))
                .hasValueSatisfying(refusal -> assertThat(refusal.code()).isEqualTo(100));
        assertThat(accessEntries()).anySatisfy(entry -> {
            assertThat(entry.getPhoneNumberId()).isEqualTo("100000000000001");
            assertThat(entry.getErrorCode()).isEqualTo(100);
            assertThat(entry.getChangedBy()).isEqualTo(request.getCommandId());
        });
    }

    @Test
    void shouldRecordRefusal139200AndSendTheTemplateToAUsernameOnlyCustomerOnce() {
        // Given other's number lost Direct Send access (WhatsApp answers 139200), a customer known by BSUID only
        String conversation = "100000000000002:" + BLOCKED_BSUID;
        SendRequest request = SendRequest.newBuilder(directSend(DispatchItStack.openWindowRequest("0")))
                .setTenantId("other").setConversationId(conversation).setPhoneNumberId("100000000000002")
                .setRecipientPhone(null).setRecipientBsuid(BLOCKED_BSUID).build();

        // When the Direct Send reply is decided
        publish(Topics.SEND_REQUESTS.name(), conversation, request);
        await().atMost(Duration.ofSeconds(60)).until(() -> outcomesOf(request.getCommandId(), SendStep.REPLY).stream()
                .anyMatch(DispatchOutcome::getFinal$));

        // Then one refused Direct Send call, then the tenant's template once (no SMS without a phone)
        List<RecordingHttpServer.Request> calls = provider.requests().stream().filter(r -> r.body().contains(BLOCKED_BSUID)).toList();
        assertThat(calls).satisfiesExactly(
                refused -> assertThat(refused.body()).contains("\"category\":\"utility\""),
                template -> assertThat(template.body()).contains("\"type\":\"template\""));
        assertThat(outcomesOf(request.getCommandId(), SendStep.REPLY)).filteredOn(DispatchOutcome::getFinal$).first()
                .satisfies(outcome -> {
                    assertThat(outcome.getChannel()).isEqualTo(Channel.WHATSAPP_TEMPLATE);
                    assertThat(outcome.getOutcomeReason()).isEqualTo(OutcomeReason.DIRECT_SEND_REFUSED_TEMPLATE_FALLBACK);
                    assertThat(outcome.getExplanation().getFallbackChain()).containsExactly("AUTO->DIRECT_SEND",
                            "DIRECT_SEND refused: 139200 access blocked", "SMS unavailable: no customer phone", "TEMPLATE");
                });
        // And the number counts as blocked (the alert's gauge) for the decision of its next reply
        assertThat(app.getBean(DirectSendAccess.class).refusal("100000000000002", Instant.now()))
                .hasValueSatisfying(refusal -> assertThat(refusal.blocked()).isTrue());
        assertThat(app.getBean(MeterRegistry.class).get("answerline.dispatch.direct.send.refused.numbers")
                .tag("reason", "blocked").gauge().value()).isEqualTo(1.0);
    }

    @Test
    void shouldFailADirectSendMessageFailedLaterOverToOneSmsNeverAgainAsDirectSend() {
        // Given a Direct Send message WhatsApp accepted
        String conversation = "100000000000001:" + FAILED_LATER_PHONE;
        SendRequest request = directSend(DispatchItStack.openWindowRequest(FAILED_LATER_PHONE));
        publish(Topics.SEND_REQUESTS.name(), conversation, request);
        await().atMost(Duration.ofSeconds(60)).until(() -> outcomesOf(request.getCommandId(), SendStep.REPLY).stream()
                .anyMatch(DispatchOutcome::getFinal$));
        DispatchOutcome sent = outcomesOf(request.getCommandId(), SendStep.REPLY).stream()
                .filter(DispatchOutcome::getFinal$).findFirst().orElseThrow();
        assertThat(sent.getChannel()).isEqualTo(Channel.WHATSAPP_DIRECT_SEND);

        // When WhatsApp reports its delivery FAILED after its review (any code), twice
        DeliveryStatus failed = DeliveryStatus.newBuilder(failedStatus(sent.getProviderMessageId()))
                .setConversationId(conversation).setRecipientPhone(FAILED_LATER_PHONE)
                .setErrors(List.of(ProviderError.newBuilder().setCode(131049).setTitle("Not delivered").build())).build();
        publish(Topics.DELIVERY_STATUSES.name(), conversation, failed);
        publish(Topics.DELIVERY_STATUSES.name(), conversation, failed);
        await().atMost(Duration.ofSeconds(60)).until(() -> outcomesOf(request.getCommandId(), SendStep.FAILOVER).size() == 2);

        // Then one SMS failover, like a 131047, and no second Direct Send
        assertThat(outcomesOf(request.getCommandId(), SendStep.FAILOVER).stream().distinct()).singleElement().satisfies(failover -> {
            assertThat(failover.getChannel()).isEqualTo(Channel.SMS);
            assertThat(failover.getOutcomeReason()).isEqualTo(OutcomeReason.DELIVERY_FAILED_SMS_FALLBACK);
            assertThat(failover.getExplanation().getFallbackChain())
                    .containsExactly("AUTO->DIRECT_SEND", "WHATSAPP delivery failed: 131049", "SMS");
        });
        assertThat(provider.requests()).filteredOn(r -> r.body().contains(FAILED_LATER_PHONE)).hasSize(2);
    }

    /** The request as the decision writes a Direct Send reply: window closed, AUTO with the tenant policy DIRECT_SEND. */
    private static SendRequest directSend(SendRequest openWindow) {
        return SendRequest.newBuilder(openWindow)
                .setChannel(Channel.WHATSAPP_DIRECT_SEND)
                .setOutcomeReason(OutcomeReason.WINDOW_CLOSED_DIRECT_SEND)
                .setExplanation(DecisionExplanation.newBuilder(openWindow.getExplanation())
                        .setWindowState(WindowState.CLOSED)
                        .setWindowExpiresAt(Instant.now().minus(Duration.ofHours(1)))
                        .setTimeLeftMillis(0L)
                        .setPolicy(FallbackPolicy.DIRECT_SEND)
                        .setFallbackChain(List.of("AUTO->DIRECT_SEND"))
                        .build())
                .build();
    }

    /** What dispatch wrote to its shared Direct Send record, from the beginning. */
    private static List<DirectSendAccessEntry> accessEntries() {
        try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, KafkaAvroDeserializer.class,
                "schema.registry.url", REGISTRY, "specific.avro.reader", true))) {
            TopicPartition partition = new TopicPartition(Topics.DIRECT_SEND_ACCESS.name(), 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            List<DirectSendAccessEntry> entries = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> entries.add((DirectSendAccessEntry) record.value()));
                return !entries.isEmpty();
            });
            return entries;
        }
    }

    private static RecordingHttpServer.Response answer(RecordingHttpServer.Request request) {
        boolean whatsApp = !request.path().endsWith("/Messages.json");
        if (whatsApp && request.body().contains(NOT_ENABLED_PHONE) && request.body().contains("\"category\"")) {
            return new RecordingHttpServer.Response(400, """
                    {"error":{"message":"(#100) Direct Send isn't enabled for this account","type":"OAuthException","code":100}}""");
        }
        if (whatsApp && request.body().contains(BLOCKED_BSUID) && request.body().contains("\"category\"")) {
            return new RecordingHttpServer.Response(400, """
                    {"error":{"message":"(#139200) Direct Send utility or authentication access is blocked","type":"OAuthException","code":139200}}""");
        }
        if (whatsApp && request.body().contains(OUTAGE_PHONE)) {
            return new RecordingHttpServer.Response(503, "{}");
        }
        if (whatsApp && request.body().contains(BLIP_PHONE)) {
            int call = blipCalls.incrementAndGet();
            if (call <= 2) {
                return new RecordingHttpServer.Response(500, "{}");
            }
            if (call == 3) {
                return new RecordingHttpServer.Response(429, "{}", Map.of("Retry-After", "1"));
            }
        }
        return DispatchItStack.accepted(request);
    }

    private static SendRequest withText(SendRequest request, String text) {
        return SendRequest.newBuilder(request).setText(text).build();
    }

    private static void publish(String topic, String key, Object value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
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
        publish(topic, CONVERSATION, value);
    }

    private static synchronized List<DispatchOutcome> outcomesOf(String commandId, SendStep step) {
        outcomeConsumer.poll(Duration.ofMillis(200)).forEach(record -> outcomes.add((DispatchOutcome) record.value()));
        return outcomes.stream().filter(o -> o.getCommandId().equals(commandId) && o.getStep() == step).toList();
    }
}
