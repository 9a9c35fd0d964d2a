package com.answerline.dispatch.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.web.reactive.function.client.WebClient;

import com.answerline.avro.Channel;
import com.answerline.avro.DeliveryState;
import com.answerline.avro.DeliveryStatus;
import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.FallbackPolicy;
import com.answerline.avro.OutcomeReason;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.ProviderError;
import com.answerline.avro.SendRequest;
import com.answerline.avro.SendStep;
import com.answerline.dispatch.decision.ChannelDecider;
import com.answerline.dispatch.provider.sms.SmsClient;
import com.answerline.dispatch.provider.whatsapp.WhatsAppClient;
import com.answerline.dispatch.support.MutableClock;
import com.answerline.dispatch.support.ProductionConfig;
import com.answerline.dispatch.support.RecordingHttpServer;
import com.answerline.dispatch.support.RecordingHttpServer.Response;
import com.answerline.schemas.topic.Topics;

/**
 * The asynchronous failover through the listener: a real sender against an HTTP stand-in, the real ledger on an
 * in-memory log; only the outcome topic's template is a test double (it records what would be published).
 */
class DeliveryFailoverTest {

    static final Instant NOW = ReplySenderTest.NOW;
    static final int PARTITION = 4;
    static final Duration RECONCILE_DEADLINE = Duration.ofMinutes(5);

    RecordingHttpServer provider;
    final InMemoryLedgerLog log = new InMemoryLedgerLog();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    final MutableClock clock = new MutableClock(NOW);
    final List<DispatchOutcome> published = new CopyOnWriteArrayList<>();
    @SuppressWarnings("unchecked")
    final KafkaTemplate<String, DispatchOutcome> template = mock(KafkaTemplate.class);
    long offset;

    @BeforeEach
    void start() throws Exception {
        provider = new RecordingHttpServer();
        provider.answer(request -> request.path().endsWith("/Messages.json")
                ? new Response(201, "{\"sid\":\"SM" + provider.requests().size() + "\",\"status\":\"queued\"}")
                : new Response(200, "{\"messaging_product\":\"whatsapp\",\"messages\":[{\"id\":\"wamid.A\"}]}"));
        when(template.send(any(String.class), any(String.class), any(DispatchOutcome.class))).thenAnswer(call -> {
            published.add(call.getArgument(2));
            return CompletableFuture.completedFuture(null);
        });
    }

    @AfterEach
    void stop() {
        provider.close();
    }

    /** A fresh process: new memory, the same ledger log. */
    SendRequestListener process() {
        var properties = ProductionConfig.dispatchProperties();
        ChannelDecider decider = new ChannelDecider(clock, Duration.ofSeconds(60));
        ReplySender sender = new ReplySender(
                new WhatsAppClient(WebClient.builder(), new ReactorClientHttpConnector(), provider.baseUrl(), "v23.0", "t"),
                new SmsClient(WebClient.builder(), new ReactorClientHttpConnector(), provider.baseUrl(), "AC0", "s",
                        "http://127.0.0.1:8081/webhooks/sms/status"),
                decider, ProductionConfig.tenants()::rules, clock, Duration.ofSeconds(5));
        SendLedger ledger = new SendLedger(log);
        return new SendRequestListener(sender, ledger,
                new DeliveryFailover(decider, ProductionConfig.tenants()::rules, clock, Duration.ofHours(24)), ProductionConfig.outcomeCosts(), template, clock,
                Runnable::run, ProductionConfig.senderProperties(), ObservationRegistry.NOOP, ProductionConfig.upstreamGuard(clock),
                new SendReconciler(ledger, clock, RECONCILE_DEADLINE, meters), new UnknownSendDeadline(ledger, template, clock, meters),
                ParkingTest.parking(clock), new ParkedSendMetrics(new io.micrometer.core.instrument.simple.SimpleMeterRegistry()));
    }

    void deliver(SendRequestListener listener, SendRequest request) throws Exception {
        listener.onSendRequest(new ConsumerRecord<>(Topics.SEND_REQUESTS.name(), PARTITION, offset++,
                request.getConversationId(), request));
    }

    void deliver(SendRequestListener listener, DeliveryStatus status) throws Exception {
        listener.onDeliveryStatus(new ConsumerRecord<>(Topics.DELIVERY_STATUSES.name(), PARTITION, offset++,
                status.getConversationId(), status));
    }

    static DeliveryStatus status(String wamid, DeliveryState state, Integer code) {
        return DeliveryStatus.newBuilder()
                .setTenantId("demo")
                .setConversationId("100000000000001:4915112345678")
                .setPhoneNumberId("100000000000001")
                .setChannel(Channel.WHATSAPP)
                .setProviderMessageId(wamid)
                .setStatus(state)
                .setRecipientPhone("4915112345678")
                .setErrors(code == null ? List.of() : List.of(ProviderError.newBuilder().setCode(code).setTitle("t").build()))
                .setOccurredAt(NOW.plusSeconds(5))
                .setReceivedAt(NOW.plusSeconds(5))
                .build();
    }

    List<RecordingHttpServer.Request> smsRequests() {
        return provider.requests().stream().filter(r -> r.path().endsWith("/Messages.json")).toList();
    }

    List<DispatchOutcome> failovers() {
        return published.stream().filter(o -> o.getStep() == SendStep.FAILOVER).toList();
    }

    @Test
    void shouldFailADirectSendMessageOverEvenWhenItsFailedStatusCarriesNoError() {
        // Given a Direct Send message SENT, and a later FAILED status for it without any error
        DispatchOutcome sent = com.answerline.dispatch.wire.WireMapping.outcome("cmd-1", "demo",
                "100000000000001:4915112345678", OutcomeStatus.SENT, Channel.WHATSAPP_DIRECT_SEND,
                OutcomeReason.WINDOW_CLOSED_DIRECT_SEND, null, true, NOW).build();
        DeliveryStatus failed = DeliveryStatus.newBuilder(status("wamid.D", DeliveryState.FAILED, null))
                .setChannel(Channel.WHATSAPP_DIRECT_SEND).build();

        // Then it is a failover trigger, as WhatsApp's "something went wrong"; a delivered one is not
        assertThat(DeliveryFailover.failoverCode(failed, sent)).isEqualTo(131000);
        assertThat(DeliveryFailover.failoverCode(DeliveryStatus.newBuilder(failed)
                .setStatus(DeliveryState.DELIVERED).build(), sent)).isNull();
    }

    @Test
    void shouldSendOneSmsWithTheLinkWhenTheDeliveryOfASentReplyFailsWith131047() throws Exception {
        // Given a free-form reply WhatsApp accepted (wamid.A)
        SendRequestListener listener = process();
        deliver(listener, ReplySenderTest.request(FallbackPolicy.SMS));
        assertThat(published).singleElement().satisfies(o -> assertThat(o.getStatus()).isEqualTo(OutcomeStatus.SENT));

        // When its delivery status comes back FAILED with 131047
        deliver(listener, status("wamid.A", DeliveryState.FAILED, 131047));

        // Then the customer gets one SMS with the agent's text and the wa.me link, and the agent one FAILOVER outcome
        assertThat(smsRequests()).singleElement().satisfies(r -> assertThat(r.body())
                .contains("Body=Your+parcel+left+today.").contains("wa.me%2F15550000001").contains("From=%2B15550000001"));
        DispatchOutcome failover = failovers().get(0);
        assertThat(failovers()).hasSize(1);
        assertThat(failover.getStatus()).isEqualTo(OutcomeStatus.SENT);
        assertThat(failover.getChannel()).isEqualTo(Channel.SMS);
        assertThat(failover.getOutcomeReason()).isEqualTo(OutcomeReason.DELIVERY_FAILED_SMS_FALLBACK);
        assertThat(failover.getProviderMessageId()).startsWith("SM");
        assertThat(failover.getFinal$()).isTrue();
        assertThat(failover.getSmsEncoding()).isEqualTo("GSM_7");
        assertThat(failover.getSmsSegments()).isEqualTo(1);
        assertThat(failover.getAgentId()).isEqualTo("agent-7");
        assertThat(failover.getExplanation().getFallbackChain())
                .containsExactly("WHATSAPP delivery failed: 131047 window closed", "SMS");
        assertThat(log.appended).extracting(InMemoryLedgerLog.Appended::key)
                .containsExactly("cmd-1", "cmd-1", "cmd-1/FAILOVER", "cmd-1/FAILOVER");
    }

    @Test
    void shouldFailOverOnceWhenTheStatusIsRedeliveredAndAfterARestart() throws Exception {
        SendRequestListener listener = process();
        deliver(listener, ReplySenderTest.request(FallbackPolicy.SMS));
        deliver(listener, status("wamid.A", DeliveryState.FAILED, 131026));

        // When the same status arrives twice more, then once more in a restarted process
        deliver(listener, status("wamid.A", DeliveryState.FAILED, 131026));
        deliver(listener, status("wamid.A", DeliveryState.FAILED, 131026));
        deliver(process(), status("wamid.A", DeliveryState.FAILED, 131026));

        // Then one SMS only; the logged FAILOVER outcome is republished identical, never a second fallback
        assertThat(smsRequests()).hasSize(1);
        assertThat(failovers()).hasSize(4);
        assertThat(failovers().stream().distinct()).hasSize(1);
        assertThat(failovers().get(0).getOutcomeReason()).isEqualTo(OutcomeReason.DELIVERY_FAILED_SMS_FALLBACK);
        assertThat(log.appended).filteredOn(a -> a.key().equals("cmd-1/FAILOVER")).hasSize(2);
    }

    @Test
    void shouldIgnoreOtherStatusesCodesAndUnknownMessagesWithoutWriting() throws Exception {
        SendRequestListener listener = process();
        deliver(listener, ReplySenderTest.request(FallbackPolicy.SMS));
        int appended = log.appended.size();

        deliver(listener, status("wamid.A", DeliveryState.DELIVERED, null));
        deliver(listener, status("wamid.A", DeliveryState.FAILED, 131049));
        deliver(listener, status("wamid.someone-else", DeliveryState.FAILED, 131047));
        DeliveryStatus smsStatus = DeliveryStatus.newBuilder(status("wamid.A", DeliveryState.UNDELIVERED, 131026))
                .setChannel(Channel.SMS).build();
        deliver(listener, smsStatus);

        assertThat(smsRequests()).isEmpty();
        assertThat(failovers()).isEmpty();
        assertThat(log.appended).hasSize(appended);
    }

    @Test
    void shouldTellTheAgentDeliveryFailedWhenThePolicyAllowsNoFallback() throws Exception {
        SendRequestListener listener = process();
        deliver(listener, ReplySenderTest.request(FallbackPolicy.NONE));

        deliver(listener, status("wamid.A", DeliveryState.FAILED, 131047));

        assertThat(smsRequests()).isEmpty();
        assertThat(failovers()).singleElement().satisfies(o -> {
            assertThat(o.getStatus()).isEqualTo(OutcomeStatus.FAILED);
            assertThat(o.getOutcomeReason()).isEqualTo(OutcomeReason.DELIVERY_FAILED);
            assertThat(o.getErrorCode()).isEqualTo(131047);
            assertThat(o.getErrorTitle()).isEqualTo("t");
            assertThat(o.getAgentId()).isEqualTo("agent-7");
            assertThat(o.getFinal$()).isTrue();
            assertThat(o.getExplanation().getAlternatives()).contains("TEMPLATE:customer_care_reopen", "SMS");
        });
    }

    @Test
    void shouldNotFailOverAReplySentLongerAgoThanTheMaximumDelay() throws Exception {
        SendRequestListener listener = process();
        deliver(listener, ReplySenderTest.request(FallbackPolicy.SMS));
        clock.advance(Duration.ofHours(25));

        deliver(listener, status("wamid.A", DeliveryState.FAILED, 131047));

        assertThat(smsRequests()).isEmpty();
        assertThat(failovers()).isEmpty();
    }
}
