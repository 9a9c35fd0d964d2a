package com.answerline.dispatch.send;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import com.answerline.avro.Channel;
import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.FallbackPolicy;
import com.answerline.avro.OutcomeReason;
import com.answerline.avro.OutcomeStatus;
import com.answerline.dispatch.decision.ChannelDecider;
import com.answerline.dispatch.provider.ProviderGuard;
import com.answerline.dispatch.provider.ProviderResilienceProperties;
import com.answerline.dispatch.provider.sms.SmsClient;
import com.answerline.dispatch.provider.whatsapp.WhatsAppClient;
import com.answerline.dispatch.support.MutableClock;
import com.answerline.dispatch.support.ProductionConfig;
import com.answerline.dispatch.support.RecordingHttpServer;
import com.answerline.dispatch.support.RecordingHttpServer.Response;

/** The sender with guarded clients: retried transient errors end SENT, an open breaker ends FAILED at once. */
class ReplySenderResilienceTest {

    final ProviderResilienceProperties resilience = new ProviderResilienceProperties(
            new ProviderResilienceProperties.Retry(2, Duration.ofMillis(20), 2.0, 0.5, Duration.ofMillis(100),
                    Duration.ofMillis(100)),
            new ProviderResilienceProperties.Throughput(80, null, Duration.ofSeconds(1)),
            new ProviderResilienceProperties.CircuitBreaker(50, 4, 4, Duration.ofMinutes(1), 1));
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    RecordingHttpServer provider;
    ReplySender sender;

    @BeforeEach
    void start() throws Exception {
        provider = new RecordingHttpServer();
        sender = sender(new ReactorClientHttpConnector());
    }

    ReplySender sender(ReactorClientHttpConnector whatsAppConnector) {
        MutableClock clock = new MutableClock(ReplySenderTest.NOW);
        return new ReplySender(
                new WhatsAppClient(WebClient.builder(), whatsAppConnector, provider.baseUrl(), "v23.0", "t",
                        new ProviderGuard("whatsapp", resilience, meters)),
                new SmsClient(WebClient.builder(), new ReactorClientHttpConnector(), provider.baseUrl(), "AC0", "s",
                        "http://127.0.0.1:8081/webhooks/sms/status", new ProviderGuard("sms", resilience, meters)),
                new ChannelDecider(clock, Duration.ofSeconds(60)), ProductionConfig.tenants()::rules,
                clock, resilience.callBudget(Duration.ofSeconds(2)));
    }

    @AfterEach
    void stop() {
        provider.close();
    }

    @Test
    void shouldSendOnceAfterATransientError() {
        provider.answer(request -> provider.requests().size() == 1 ? new Response(503, "{}")
                : new Response(200, ReplySenderTest.WAMID));

        DispatchOutcome outcome = sender.send(ReplySenderTest.request(FallbackPolicy.SMS));

        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.SENT);
        assertThat(outcome.getProviderMessageId()).isEqualTo("wamid.OK");
        assertThat(provider.requests()).hasSize(2);
    }

    @Test
    void shouldFailProviderUnavailableAtOnceWhileTheBreakerIsOpen() {
        provider.answer(request -> new Response(500, "{}"));
        for (int i = 0; i < 2; i++) {
            assertThat(sender.send(ReplySenderTest.request(FallbackPolicy.SMS)).getStatus()).isEqualTo(OutcomeStatus.FAILED);
        }
        int requestsWhenOpened = provider.requests().size();

        DispatchOutcome outcome = sender.send(ReplySenderTest.request(FallbackPolicy.SMS));

        assertThat(requestsWhenOpened).isEqualTo(4);
        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.FAILED);
        assertThat(outcome.getOutcomeReason()).isEqualTo(OutcomeReason.PROVIDER_UNAVAILABLE);
        assertThat(outcome.getFinal$()).isTrue();
        assertThat(provider.requests()).hasSize(requestsWhenOpened);
    }

    @Test
    void shouldNeitherResendNorFallBackWhenTheProvidersAnswerIsLost() {
        // Given a provider that takes the message but answers after the sender's read timeout (200 ms here)
        provider.answer(request -> {
            java.util.concurrent.locks.LockSupport.parkNanos(Duration.ofMillis(800).toNanos());
            return new Response(200, ReplySenderTest.WAMID);
        });
        ReplySender impatient = sender(new ReactorClientHttpConnector(
                reactor.netty.http.client.HttpClient.create().responseTimeout(Duration.ofMillis(200))));

        // When a reply with an SMS fallback is sent
        Throwable inDoubt = catchThrowable(() -> impatient.send(ReplySenderTest.request(FallbackPolicy.SMS)));

        // Then one attempt only (a retry could reach the customer twice), no SMS either, and no outcome yet: the send
        // is in doubt, with the outcome it gets if a status proves WhatsApp accepted it (no message id: none was seen)
        assertThat(inDoubt).isInstanceOfSatisfying(InDoubtSendException.class, e -> {
            assertThat(e.ifAccepted().getStatus()).isEqualTo(OutcomeStatus.SENT);
            assertThat(e.ifAccepted().getOutcomeReason()).isEqualTo(OutcomeReason.WINDOW_OPEN);
            assertThat(e.ifAccepted().getChannel()).isEqualTo(Channel.WHATSAPP);
            assertThat(e.ifAccepted().getProviderMessageId()).isNull();
            assertThat(e.ifAccepted().getRenderedText()).isNotBlank();
        });
        assertThat(meters.get(ProviderGuard.ERRORS).tags("provider", "whatsapp", "kind", "in_doubt", "code", "no_answer")
                .counter().count()).isEqualTo(1);
        assertThat(meters.find(ProviderGuard.ERRORS).tags("provider", "sms").counters()).isEmpty();
    }
}
