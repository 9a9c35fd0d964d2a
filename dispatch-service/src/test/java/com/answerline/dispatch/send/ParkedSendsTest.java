package com.answerline.dispatch.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.MeterRegistry;
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
import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.FallbackPolicy;
import com.answerline.avro.OutcomeReason;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.SendLedgerEntry;
import com.answerline.avro.SendRequest;
import com.answerline.avro.SendState;
import com.answerline.avro.SendStep;
import com.answerline.dispatch.decision.ChannelDecider;
import com.answerline.dispatch.provider.ProviderGuard;
import com.answerline.dispatch.provider.ProviderResilienceProperties;
import com.answerline.dispatch.provider.sms.SmsClient;
import com.answerline.dispatch.provider.whatsapp.WhatsAppClient;
import com.answerline.dispatch.support.MutableClock;
import com.answerline.dispatch.support.ProductionConfig;
import com.answerline.dispatch.support.RecordingHttpServer;
import com.answerline.dispatch.support.RecordingHttpServer.Response;
import com.answerline.schemas.topic.Topics;

/**
 * Parked sends end to end in one process: the listener and the scheduler with a real sender against an HTTP
 * stand-in, the real ledger on an in-memory log, a clock moved by hand and the scheduler's look run by hand; only
 * the outcome topic's template is a test double (it records what would be published).
 */
class ParkedSendsTest {

    static final Instant NOW = ReplySenderTest.NOW;
    static final int PARTITION = 4;
    static final String OK = "{\"messaging_product\":\"whatsapp\",\"messages\":[{\"id\":\"wamid.OK\"}]}";
    static final String SMS_OK = "{\"sid\":\"SM1\",\"status\":\"queued\"}";

    RecordingHttpServer provider;
    final InMemoryLedgerLog log = new InMemoryLedgerLog();
    final MutableClock clock = new MutableClock(NOW);
    final List<DispatchOutcome> published = new CopyOnWriteArrayList<>();
    final MeterRegistry meters = new SimpleMeterRegistry();
    @SuppressWarnings("unchecked")
    final KafkaTemplate<String, DispatchOutcome> template = mock(KafkaTemplate.class);
    ProviderGuard whatsAppGuard = ProviderGuard.passThrough("whatsapp");
    SendLedger ledger;
    SendRequestListener listener;
    ParkedSends parked;
    long offset;

    @BeforeEach
    void start() throws Exception {
        provider = new RecordingHttpServer();
        whatsAppDown(500);
        outcomeTopicAccepts();
        restart();
    }

    /** The outcome topic records what is published (as the broker takes it). */
    void outcomeTopicAccepts() {
        when(template.send(any(String.class), any(String.class), any(DispatchOutcome.class))).thenAnswer(call -> {
            published.add(call.getArgument(2));
            return CompletableFuture.completedFuture(null);
        });
    }

    /** cmd-1 parked, then retried when due with WhatsApp back, while no outcome lands on the topic. */
    void retryWhileTheOutcomeTopicRefuses() throws Exception {
        deliver(ReplySenderTest.request(FallbackPolicy.SMS));
        whatsAppUp();
        clock.advance(Duration.ofSeconds(1));
        when(template.send(any(String.class), any(String.class), any(DispatchOutcome.class)))
                .thenReturn(CompletableFuture.failedFuture(new IllegalStateException("the outcome did not land")));
        parked.tick();
    }

    @AfterEach
    void stop() {
        provider.close();
    }

    /** A fresh process on the same ledger log: new memory, the partition assigned again. */
    void restart() {
        ChannelDecider decider = new ChannelDecider(clock, Duration.ofSeconds(60));
        ReplySender sender = new ReplySender(
                new WhatsAppClient(WebClient.builder(), new ReactorClientHttpConnector(), provider.baseUrl(), "v23.0", "t",
                        whatsAppGuard),
                new SmsClient(WebClient.builder(), new ReactorClientHttpConnector(), provider.baseUrl(), "AC0", "s",
                        "http://127.0.0.1:8081/webhooks/sms/status"),
                decider, ProductionConfig.tenants()::rules, clock, Duration.ofSeconds(5));
        ledger = new SendLedger(log);
        ParkedSendMetrics metrics = new ParkedSendMetrics(meters);
        listener = new SendRequestListener(sender, ledger,
                new DeliveryFailover(decider, ProductionConfig.tenants()::rules, clock, Duration.ofHours(24)),
                ProductionConfig.outcomeCosts(), template, clock, Runnable::run, ProductionConfig.senderProperties(), ObservationRegistry.NOOP,
                ProductionConfig.upstreamGuard(clock), new SendReconciler(ledger, clock, Duration.ofMinutes(5), meters),
                new UnknownSendDeadline(ledger, template, clock, meters), ParkingTest.parking(clock), metrics);
        parked = new ParkedSends(listener, ledger, Runnable::run,
                new ParkingProperties(Duration.ofSeconds(1), 2.0, 0, Duration.ofSeconds(8), Duration.ofSeconds(1)), metrics);
        parked.assigned(Set.of(PARTITION));
    }

    void whatsAppDown(int status) {
        provider.answer(request -> request.path().endsWith("/Messages.json") ? new Response(201, SMS_OK)
                : new Response(status, "{}"));
    }

    void whatsAppUp() {
        provider.answer(request -> request.path().endsWith("/Messages.json") ? new Response(201, SMS_OK)
                : new Response(200, OK));
    }

    void deliver(SendRequest request) throws Exception {
        listener.onSendRequest(new ConsumerRecord<>(Topics.SEND_REQUESTS.name(), PARTITION, offset++,
                request.getConversationId(), request));
    }

    static SendRequest reply(String commandId, String conversationId, String text) {
        return SendRequest.newBuilder(ReplySenderTest.request(FallbackPolicy.SMS)).setCommandId(commandId)
                .setConversationId(conversationId).setText(text).build();
    }

    List<String> providerTexts() {
        return provider.requests().stream().map(RecordingHttpServer.Request::body).toList();
    }

    double gauge() {
        return meters.get(ParkedSendMetrics.PARKED).tag("provider", "whatsapp").gauge().value();
    }

    double result(String result) {
        var counter = meters.find(ParkedSendMetrics.RESULTS).tags("provider", "whatsapp", "result", result).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void shouldParkAReplyWhileWhatsAppAnswers500AndSendItOnceWhenItIsBack() throws Exception {
        SendRequest request = ReplySenderTest.request(FallbackPolicy.SMS);

        deliver(request);

        assertThat(published).singleElement().satisfies(pending -> {
            assertThat(pending.getStatus()).isEqualTo(OutcomeStatus.PENDING);
            assertThat(pending.getFinal$()).isFalse();
            assertThat(pending.getOutcomeReason()).isEqualTo(OutcomeReason.PROVIDER_UNAVAILABLE_WAITING);
            assertThat(pending.getValidUntil()).isEqualTo(NOW.plus(Duration.ofMinutes(15)));
        });
        assertThat(ledger.entryOf(PARTITION, "cmd-1").getState()).isEqualTo(SendState.PARKED);
        assertThat(gauge()).isEqualTo(1);

        // Not due yet: no call
        parked.tick();
        assertThat(provider.requests()).hasSize(1);

        // Due, and still down: one call, parked again, nothing published
        clock.advance(Duration.ofSeconds(1));
        parked.tick();
        assertThat(provider.requests()).hasSize(2);
        assertThat(published).hasSize(1);
        assertThat(ledger.entryOf(PARTITION, "cmd-1").getParked().getAttempts()).isEqualTo(2);

        whatsAppUp();
        clock.advance(Duration.ofSeconds(2));
        parked.tick();
        parked.tick();

        assertThat(provider.requests()).hasSize(3);
        assertThat(published).hasSize(2).last().satisfies(sent -> {
            assertThat(sent.getStatus()).isEqualTo(OutcomeStatus.SENT);
            assertThat(sent.getFinal$()).isTrue();
            assertThat(sent.getProviderMessageId()).isEqualTo("wamid.OK");
        });
        // Each retry logged SENDING before the call, like a first send; the result DONE before it is published, and
        // once published, DONE again without its parked data (out of the conversation's queue)
        assertThat(log.appended).extracting(a -> a.entry().getState()).containsExactly(SendState.SENDING,
                SendState.PARKED, SendState.SENDING, SendState.PARKED, SendState.SENDING, SendState.DONE, SendState.DONE);
        assertThat(log.appended.get(5).entry().getParked()).isNotNull();
        assertThat(log.appended.get(6).entry().getParked()).isNull();
        assertThat(gauge()).isZero();
        assertThat(result("parked")).isEqualTo(1);
        assertThat(result("sent")).isEqualTo(1);
    }

    @Test
    void shouldPublishAParkedSendsOutcomeAgainWhenItsFirstPublishDidNotLand() throws Exception {
        // Given a parked reply whose retry goes through while the outcome topic refuses (the broker away)
        retryWhileTheOutcomeTopicRefuses();
        assertThat(ledger.entryOf(PARTITION, "cmd-1").getState()).isEqualTo(SendState.DONE);
        assertThat(published).extracting(DispatchOutcome::getStatus).containsExactly(OutcomeStatus.PENDING);

        // When the topic takes records again, Then the next look publishes the logged outcome, without a second send
        outcomeTopicAccepts();
        parked.tick();
        assertThat(published).extracting(DispatchOutcome::getStatus)
                .containsExactly(OutcomeStatus.PENDING, OutcomeStatus.SENT);
        assertThat(provider.requests()).hasSize(2);
        // and it left the queue: nothing more on the next look
        parked.tick();
        assertThat(published).hasSize(2);
        assertThat(gauge()).isZero();
    }

    @Test
    void shouldHaveTheNextOwnerPublishTheOutcomeOfAParkedSendThatEndedJustBeforeTheProcessDied() throws Exception {
        // Given a parked reply whose retry went through and was logged DONE, and the process died before publishing
        retryWhileTheOutcomeTopicRefuses();
        outcomeTopicAccepts();

        // When the partition's next owner reads the ledger
        restart();
        parked.tick();

        // Then it publishes the logged SENT outcome, once, and never sends again
        assertThat(published).extracting(DispatchOutcome::getStatus)
                .containsExactly(OutcomeStatus.PENDING, OutcomeStatus.SENT);
        assertThat(published.get(1).getProviderMessageId()).isEqualTo("wamid.OK");
        assertThat(provider.requests()).hasSize(2);
        parked.tick();
        assertThat(published).hasSize(2);
    }

    @Test
    void shouldRepublishThePendingOutcomeOfARedeliveredParkedRequestWithoutSending() throws Exception {
        SendRequest request = ReplySenderTest.request(FallbackPolicy.SMS);
        deliver(request);

        deliver(request);

        assertThat(provider.requests()).hasSize(1);
        assertThat(published).hasSize(2);
        assertThat(published.get(1)).isEqualTo(published.get(0));
    }

    @Test
    void shouldParkAConversationsLaterRepliesBehindItsParkedOneAndSendThemAfterItInOrder() throws Exception {
        deliver(reply("a1", "100000000000001:4915112345678", "first"));
        whatsAppUp();

        deliver(reply("a2", "100000000000001:4915112345678", "second"));
        deliver(reply("b1", "100000000000001:4915199999999", "other conversation"));

        // a2 waits behind a1 without a call; b1 (another conversation) is not held up
        assertThat(providerTexts()).hasSize(2).last().asString().contains("other conversation");
        assertThat(published).extracting(DispatchOutcome::getCommandId, DispatchOutcome::getStatus).containsExactly(
                org.assertj.core.groups.Tuple.tuple("a1", OutcomeStatus.PENDING),
                org.assertj.core.groups.Tuple.tuple("a2", OutcomeStatus.PENDING),
                org.assertj.core.groups.Tuple.tuple("b1", OutcomeStatus.SENT));
        assertThat(published.get(1).getOutcomeReason()).isEqualTo(OutcomeReason.PROVIDER_UNAVAILABLE_WAITING);

        // A third reply arrives while the queue waits: it joins behind a2
        deliver(reply("a3", "100000000000001:4915112345678", "third"));
        clock.advance(Duration.ofSeconds(1));
        parked.tick();

        assertThat(providerTexts()).hasSize(5);
        assertThat(providerTexts().subList(2, 5)).satisfiesExactly(
                first -> assertThat(first).contains("\"first\""),
                second -> assertThat(second).contains("\"second\""),
                third -> assertThat(third).contains("\"third\""));
        assertThat(published.subList(4, 7)).extracting(DispatchOutcome::getCommandId).containsExactly("a1", "a2", "a3");
        assertThat(published.subList(4, 7)).allSatisfy(o -> assertThat(o.getStatus()).isEqualTo(OutcomeStatus.SENT));
        assertThat(ledger.hasParked("100000000000001:4915112345678")).isFalse();
    }

    @Test
    void shouldFailOverToTheSmsOnceWhenWhatsAppStaysDownForTheValidity() throws Exception {
        SendRequest request = ReplySenderTest.request(FallbackPolicy.SMS);
        deliver(request);
        deliver(reply("cmd-2", request.getConversationId(), "later"));

        clock.advance(Duration.ofMinutes(15));
        parked.tick();

        List<RecordingHttpServer.Request> sms = provider.requests().stream()
                .filter(r -> r.path().endsWith("/Messages.json")).toList();
        assertThat(sms).hasSize(2);
        assertThat(published).filteredOn(o -> o.getCommandId().equals("cmd-1")).last().satisfies(failover -> {
            assertThat(failover.getStep()).isEqualTo(SendStep.FAILOVER);
            assertThat(failover.getStatus()).isEqualTo(OutcomeStatus.SENT);
            assertThat(failover.getChannel()).isEqualTo(Channel.SMS);
            assertThat(failover.getOutcomeReason()).isEqualTo(OutcomeReason.PROVIDER_UNAVAILABLE_SMS_FALLBACK);
            assertThat(failover.getFinal$()).isTrue();
        });
        // Its WhatsApp send ended before the failover's outcome, not final: the thread does not keep it PENDING
        assertThat(published).filteredOn(o -> o.getCommandId().equals("cmd-1")).extracting(DispatchOutcome::getStep,
                DispatchOutcome::getStatus, DispatchOutcome::getFinal$).containsExactly(
                org.assertj.core.groups.Tuple.tuple(SendStep.REPLY, OutcomeStatus.PENDING, false),
                org.assertj.core.groups.Tuple.tuple(SendStep.REPLY, OutcomeStatus.FAILED, false),
                org.assertj.core.groups.Tuple.tuple(SendStep.FAILOVER, OutcomeStatus.SENT, true));
        // The later reply went after it, by its own failover (WhatsApp still down): in order
        assertThat(sms.get(0).body()).contains("parcel");
        assertThat(sms.get(1).body()).contains("later");
        SendLedgerEntry closed = ledger.entryOf(PARTITION, "cmd-1");
        assertThat(closed.getState()).isEqualTo(SendState.DONE);
        assertThat(closed.getOutcome().getStep()).isEqualTo(SendStep.FAILOVER);

        // Redelivered, looked at again, restarted: never a second SMS
        int calls = provider.requests().size();
        deliver(request);
        parked.tick();
        restart();
        parked.tick();
        assertThat(provider.requests()).hasSize(calls);
        assertThat(published).filteredOn(o -> o.getCommandId().equals("cmd-1")).last()
                .satisfies(o -> assertThat(o.getStep()).isEqualTo(SendStep.FAILOVER));
        assertThat(result("failed_over")).isEqualTo(2);
    }

    @Test
    void shouldEndFailedWithTheValidityReasonWhenThePolicyAllowsNoOtherChannel() throws Exception {
        deliver(ReplySenderTest.request(FallbackPolicy.TEMPLATE));

        clock.advance(Duration.ofMinutes(15));
        parked.tick();

        assertThat(provider.requests()).hasSize(1);
        assertThat(published).last().satisfies(failed -> {
            assertThat(failed.getStatus()).isEqualTo(OutcomeStatus.FAILED);
            assertThat(failed.getOutcomeReason()).isEqualTo(OutcomeReason.PROVIDER_UNAVAILABLE_VALIDITY_EXPIRED);
            assertThat(failed.getFinal$()).isTrue();
            assertThat(failed.getStep()).isEqualTo(SendStep.REPLY);
        });
        assertThat(result("expired")).isEqualTo(1);
    }

    @Test
    void shouldRetryTheParkedSendsOfTheReplayedLedgerAfterARestart() throws Exception {
        deliver(ReplySenderTest.request(FallbackPolicy.SMS));
        deliver(reply("cmd-2", "100000000000001:4915112345678", "later"));

        restart();
        whatsAppUp();
        clock.advance(Duration.ofSeconds(1));
        parked.tick();

        assertThat(published).filteredOn(o -> o.getStatus() == OutcomeStatus.SENT)
                .extracting(DispatchOutcome::getCommandId).containsExactly("cmd-1", "cmd-2");
        assertThat(provider.requests()).hasSize(3);
    }

    @Test
    void shouldResolveARetryThatWasSendingWhenTheProcessDiedAsUnknownNeverResent() throws Exception {
        deliver(ReplySenderTest.request(FallbackPolicy.SMS));
        deliver(reply("cmd-2", "100000000000001:4915112345678", "later"));
        // The process dies right after logging SENDING for a retry (the provider may have the message)
        ledger.retrying(PARTITION, ledger.entryOf(PARTITION, "cmd-1"), clock.instant());

        restart();
        whatsAppUp();
        clock.advance(Duration.ofSeconds(1));
        parked.tick();

        assertThat(published).filteredOn(o -> o.getCommandId().equals("cmd-1")).last().satisfies(unknown -> {
            assertThat(unknown.getOutcomeReason()).isEqualTo(OutcomeReason.SEND_STATE_UNKNOWN);
            assertThat(unknown.getAgentId()).isEqualTo("agent-7");
        });
        // cmd-1 never resent; cmd-2, behind it, goes once the gap is resolved
        assertThat(providerTexts()).hasSize(2).last().asString().contains("later");
    }

    @Test
    void shouldNotRetryOnAPartitionThatWasRevokedAndRetryOnceItIsAssignedAgain() throws Exception {
        deliver(ReplySenderTest.request(FallbackPolicy.SMS));
        whatsAppUp();
        clock.advance(Duration.ofSeconds(1));

        parked.revoked(Set.of(PARTITION));
        parked.tick();
        assertThat(provider.requests()).hasSize(1);
        assertThat(gauge()).isZero();

        parked.assigned(Set.of(PARTITION));
        parked.tick();
        assertThat(provider.requests()).hasSize(2);
        assertThat(published).last().satisfies(sent -> assertThat(sent.getStatus()).isEqualTo(OutcomeStatus.SENT));
    }

    @Test
    void shouldWaitForTheProvidersRetryAfterBeforeTheNextAttempt() throws Exception {
        provider.answer(request -> new Response(429, "{}", Map.of("Retry-After", "5")));
        deliver(ReplySenderTest.request(FallbackPolicy.SMS));
        whatsAppUp();

        clock.advance(Duration.ofSeconds(4));
        parked.tick();
        assertThat(provider.requests()).hasSize(1);

        clock.advance(Duration.ofSeconds(1));
        parked.tick();
        assertThat(provider.requests()).hasSize(2);
    }

    @Test
    void shouldNotCallThroughAnOpenBreakerAndProbeOnceItIsHalfOpen() throws Exception {
        // A breaker that opens after one failed call, for 300 ms (its own wall clock)
        whatsAppGuard = new ProviderGuard("whatsapp", new ProviderResilienceProperties(
                new ProviderResilienceProperties.Retry(1, Duration.ofMillis(1), 1, 0, Duration.ofMillis(1), Duration.ofMillis(1)),
                new ProviderResilienceProperties.Throughput(1_000, null, Duration.ofSeconds(1)),
                new ProviderResilienceProperties.CircuitBreaker(50, 1, 1, Duration.ofMillis(300), 1)), meters);
        restart();
        deliver(ReplySenderTest.request(FallbackPolicy.SMS));
        whatsAppUp();
        clock.advance(Duration.ofSeconds(1));

        parked.tick();

        // Open: no call, no ledger write
        assertThat(provider.requests()).hasSize(1);
        assertThat(log.appended).hasSize(2);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            parked.tick();
            assertThat(provider.requests()).hasSize(2);
        });
        assertThat(published).last().satisfies(sent -> assertThat(sent.getStatus()).isEqualTo(OutcomeStatus.SENT));
    }
}
