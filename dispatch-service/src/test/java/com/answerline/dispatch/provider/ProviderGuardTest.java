package com.answerline.dispatch.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.ratelimiter.RequestNotPermitted;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import reactor.core.publisher.Flux;

import com.answerline.dispatch.provider.sms.SmsApiException;
import com.answerline.dispatch.provider.sms.SmsClient;
import com.answerline.dispatch.provider.whatsapp.WhatsAppApiException;
import com.answerline.dispatch.provider.whatsapp.WhatsAppClient;
import com.answerline.dispatch.support.RecordingHttpServer;
import com.answerline.dispatch.support.RecordingHttpServer.Request;
import com.answerline.dispatch.support.RecordingHttpServer.Response;

/** The guard around the real clients, against a scripted provider on 127.0.0.1; timings measured at the server. */
class ProviderGuardTest {

    static final String NUMBER = "100000000000001";
    static final String ACCEPTED = "{\"messaging_product\":\"whatsapp\",\"messages\":[{\"id\":\"wamid.OK\"}]}";
    static final Duration WAIT = Duration.ofSeconds(20);

    RecordingHttpServer provider;
    /** System.nanoTime() of every request as the server received it. */
    final Queue<Long> receivedAt = new ConcurrentLinkedQueue<>();
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @BeforeEach
    void start() throws Exception {
        provider = new RecordingHttpServer();
    }

    @AfterEach
    void stop() {
        provider.close();
    }

    @Test
    void shouldRetryA500AndSendTheMessageOnce() {
        script(n -> n == 1 ? new Response(500, "{}") : new Response(200, ACCEPTED));
        WhatsAppClient client = whatsApp(properties(3, Duration.ofMillis(50), 80, 4));

        assertThat(client.sendText(NUMBER, "4915112345678", "hi").block(WAIT)).isEqualTo("wamid.OK");

        assertThat(provider.requests()).hasSize(2);
        assertThat(meters.get(ProviderGuard.ERRORS).tags("provider", "whatsapp", "code", "http_500", "kind", "transient")
                .counter().count()).isEqualTo(1);
        assertThat(meters.get(ProviderGuard.REQUESTS).tags("provider", "whatsapp", "outcome", "ok").timer().count())
                .isEqualTo(1);
    }

    @Test
    void shouldNeverRetryAPermanent131026() {
        script(n -> new Response(400, error(131026)));
        WhatsAppClient client = whatsApp(properties(3, Duration.ofMillis(10), 80, 4));

        assertThatThrownBy(() -> client.sendText(NUMBER, "4915112345678", "hi").block(WAIT))
                .isInstanceOfSatisfying(WhatsAppApiException.class, e -> assertThat(e.code()).isEqualTo(131026));

        assertThat(provider.requests()).hasSize(1);
        assertThat(meters.get(ProviderGuard.ERRORS).tags("code", "131026", "kind", "permanent").counter().count())
                .isEqualTo(1);
    }

    @Test
    void shouldNeverRetryAClosedWindow131047() {
        script(n -> new Response(400, error(131047)));
        WhatsAppClient client = whatsApp(properties(3, Duration.ofMillis(10), 80, 4));

        assertThatThrownBy(() -> client.sendText(NUMBER, "4915112345678", "hi").block(WAIT))
                .isInstanceOfSatisfying(WhatsAppApiException.class, e -> assertThat(e.windowClosed()).isTrue());
        assertThat(provider.requests()).hasSize(1);
    }

    @Test
    void shouldRetryTheThroughputLimit130429AfterABackoff() {
        script(n -> n <= 2 ? new Response(429, error(130429)) : new Response(200, ACCEPTED));
        Duration initial = Duration.ofMillis(200);
        WhatsAppClient client = whatsApp(properties(3, initial, 80, 4));

        assertThat(client.sendText(NUMBER, "4915112345678", "hi").block(WAIT)).isEqualTo("wamid.OK");

        List<Long> at = new ArrayList<>(receivedAt);
        assertThat(at).hasSize(3);
        // jitter 0.5: the first wait is at least initial * 0.5, the second at least initial * 2 * 0.5
        assertThat(Duration.ofNanos(at.get(1) - at.get(0))).isGreaterThanOrEqualTo(initial.dividedBy(2));
        assertThat(Duration.ofNanos(at.get(2) - at.get(1))).isGreaterThanOrEqualTo(initial);
    }

    @Test
    void shouldGiveUpAfterMaxAttemptsWithTheLastProviderError() {
        script(n -> new Response(503, error(131016)));
        WhatsAppClient client = whatsApp(properties(3, Duration.ofMillis(10), 80, 10));

        assertThatThrownBy(() -> client.sendText(NUMBER, "4915112345678", "hi").block(WAIT))
                .isInstanceOfSatisfying(WhatsAppApiException.class, e -> assertThat(e.code()).isEqualTo(131016));
        assertThat(provider.requests()).hasSize(3);
    }

    @Test
    void shouldWaitTheRecipientPacingAfter131056() {
        script(n -> n == 1 ? new Response(400, error(131056)) : new Response(200, ACCEPTED));
        ProviderResilienceProperties properties = properties(3, Duration.ofMillis(10), 80, 4);
        WhatsAppClient client = whatsApp(properties);

        assertThat(client.sendText(NUMBER, "4915112345678", "hi").block(WAIT)).isEqualTo("wamid.OK");

        List<Long> at = new ArrayList<>(receivedAt);
        assertThat(at).hasSize(2);
        assertThat(Duration.ofNanos(at.get(1) - at.get(0))).isGreaterThanOrEqualTo(properties.retry().recipientPacing());
    }

    @Test
    void shouldSendABurstForOneNumberNoFasterThanItsLimit() {
        script(n -> new Response(200, ACCEPTED));
        int rate = 80;
        WhatsAppClient client = whatsApp(properties(1, Duration.ofMillis(10), rate, 4));

        List<String> wamids = Flux.range(0, 200)
                .flatMap(i -> client.sendText(NUMBER, "49151" + i, "hi"), 200)
                .collectList().block(WAIT);

        assertThat(wamids).hasSize(200);
        List<Long> at = receivedAt.stream().sorted().toList();
        assertThat(at).hasSize(200);
        // One permit per 1/80 s: the i-th request cannot reach the server before (i - 1) intervals after the first
        // one did. Transport delays only make requests later (and may bunch them), never earlier, so the one slack
        // is the first request's own delay (connection set-up on a busy machine). Unguarded, all 200 arrive at once.
        long interval = 1_000_000_000L / rate;
        long slack = Duration.ofMillis(250).toNanos();
        for (int i = 1; i < at.size(); i++) {
            assertThat(at.get(i) - at.get(0)).as("nanos from the first to request %d", i)
                    .isGreaterThanOrEqualTo((i - 1) * interval - slack);
        }
    }

    @Test
    void shouldPaceANumberAtThisInstancesShareOfItsLimit() {
        // Given an instance that owns 3 of the 6 send-requests partitions, and a number limited to 40/s in all
        script(n -> new Response(200, ACCEPTED));
        ThroughputShare share = new ThroughputShare(6);
        share.assigned(List.of(0, 1, 2));
        WhatsAppClient client = whatsApp(new ProviderGuard("whatsapp", properties(1, Duration.ofMillis(10), 40, 4),
                meters, share));

        // When it sends a burst of 30 for that number
        Flux.range(0, 30).flatMap(i -> client.sendText(NUMBER, "49151" + i, "hi"), 30).collectList().block(WAIT);

        // Then they go out at its half, 20/s (one per 50 ms), not at the whole 40/s
        List<Long> at = receivedAt.stream().sorted().toList();
        assertThat(at).hasSize(30);
        long interval = 1_000_000_000L / 20;
        long slack = Duration.ofMillis(250).toNanos();
        assertThat(at.get(29) - at.get(0)).isGreaterThanOrEqualTo(28 * interval - slack);
    }

    @Test
    void shouldRefuseAtOnceWithoutCallingTheProviderWhenThisInstanceOwnsNoPartition() {
        script(n -> new Response(200, ACCEPTED));
        WhatsAppClient client = whatsApp(new ProviderGuard("whatsapp", properties(3, Duration.ofMillis(10), 80, 4),
                meters, new ThroughputShare(6)));

        assertThatThrownBy(() -> client.sendText(NUMBER, "4915112345678", "hi").block(WAIT))
                .isInstanceOf(RequestNotPermitted.class);
        assertThat(provider.requests()).isEmpty();
        assertThat(meters.get(ProviderGuard.ERRORS).tags("code", "rate_limited", "kind", "unavailable").counter().count())
                .isEqualTo(1);
    }

    @Test
    void shouldGiveEachBusinessNumberItsOwnConfiguredLimit() {
        script(n -> new Response(200, ACCEPTED));
        ProviderResilienceProperties base = properties(1, Duration.ofMillis(10), 1, 4);
        ProviderResilienceProperties properties = new ProviderResilienceProperties(base.retry(),
                new ProviderResilienceProperties.Throughput(1, Map.of("100000000000002", 1000), Duration.ofSeconds(5)),
                base.circuitBreaker());
        WhatsAppClient client = whatsApp(properties);

        // 20 sends for the raised number go out within a fraction of the default number's one-per-second pace
        Flux.range(0, 20).flatMap(i -> client.sendText("100000000000002", "49151" + i, "hi"), 20)
                .collectList().block(WAIT);

        List<Long> at = receivedAt.stream().sorted().toList();
        assertThat(at).hasSize(20);
        assertThat(Duration.ofNanos(at.get(19) - at.get(0))).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    void shouldOpenTheCircuitAfterRepeated5xxAndAnswerAtOnceWithoutCallingTheProvider() {
        script(n -> new Response(500, "{}"));
        ProviderGuard guard = new ProviderGuard("sms", properties(1, Duration.ofMillis(10), 80, 4), meters);
        SmsClient client = new SmsClient(WebClient.builder(), new ReactorClientHttpConnector(), provider.baseUrl(),
                "AC0", "s", "http://127.0.0.1:8081/webhooks/sms/status", guard);

        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> client.send("+4915112345678", "+15550000001", "hi").block(WAIT))
                    .isInstanceOf(SmsApiException.class);
        }
        assertThat(guard.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);

        assertThatThrownBy(() -> client.send("+4915112345678", "+15550000001", "hi").block(WAIT))
                .isInstanceOf(CallNotPermittedException.class);
        assertThat(provider.requests()).hasSize(4);
        assertThat(meters.get(ProviderGuard.ERRORS).tags("provider", "sms", "code", "circuit_open").counter().count())
                .isEqualTo(1);
    }

    @Test
    void shouldKeepTheCircuitClosedForPermanentErrors() {
        script(n -> new Response(400, error(131026)));
        ProviderGuard guard = new ProviderGuard("whatsapp", properties(1, Duration.ofMillis(10), 80, 4), meters);
        WhatsAppClient client = whatsApp(guard);

        for (int i = 0; i < 8; i++) {
            assertThatThrownBy(() -> client.sendText(NUMBER, "4915112345678", "hi").block(WAIT))
                    .isInstanceOf(WhatsAppApiException.class);
        }
        assertThat(guard.circuitBreaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(provider.requests()).hasSize(8);
    }

    /** Answers the n-th request (1-based) as scripted and records when it arrived. */
    private void script(Function<Integer, Response> byNumber) {
        AtomicInteger count = new AtomicInteger();
        provider.answer((Request request) -> {
            receivedAt.add(System.nanoTime());
            return byNumber.apply(count.incrementAndGet());
        });
    }

    private WhatsAppClient whatsApp(ProviderResilienceProperties properties) {
        return whatsApp(new ProviderGuard("whatsapp", properties, meters));
    }

    private WhatsAppClient whatsApp(ProviderGuard guard) {
        return new WhatsAppClient(WebClient.builder(), new ReactorClientHttpConnector(), provider.baseUrl(), "v23.0",
                "t", guard);
    }

    /** Jitter 0.5, recipient pacing 300 ms, breaker: 50 % of a window of {@code window} calls. */
    static ProviderResilienceProperties properties(int maxAttempts, Duration initialBackoff, int perSecond, int window) {
        return new ProviderResilienceProperties(
                new ProviderResilienceProperties.Retry(maxAttempts, initialBackoff, 2.0, 0.5, Duration.ofSeconds(2),
                        Duration.ofMillis(300)),
                new ProviderResilienceProperties.Throughput(perSecond, Map.of(), Duration.ofSeconds(10)),
                new ProviderResilienceProperties.CircuitBreaker(50, window, window, Duration.ofSeconds(30), 1));
    }

    static String error(int code) {
        return "{\"error\":{\"message\":\"(#" + code + ") m\",\"type\":\"OAuthException\",\"code\":" + code
                + ",\"fbtrace_id\":\"f\"}}";
    }
}
