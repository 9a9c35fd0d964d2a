package com.answerline.ingest.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.WebFilterChain;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

class WebhookAdmissionTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final WebhookAdmission admission = new WebhookAdmission(2, Duration.ofSeconds(5), meters);
    /** The controllers' work, held until the test lets it finish. */
    private final Sinks.Empty<Void> work = Sinks.empty();
    private final List<MockServerWebExchange> passed = new ArrayList<>();
    private final WebFilterChain chain = exchange -> {
        passed.add((MockServerWebExchange) exchange);
        return work.asMono();
    };

    @Test
    void shouldRefuseTheWebhookBeyondTheBoundWith503AndRetryAfterBeforeTheChainSeesIt() {
        List<Disposable> held = List.of(post("/webhooks/whatsapp").subscribe(), post("/webhooks/sms").subscribe());
        assertThat(admission.inProgress()).isEqualTo(2);

        MockServerWebExchange third = exchange("/webhooks/whatsapp");
        admission.filter(third, chain).block(Duration.ofSeconds(5));

        assertThat(passed).hasSize(2);
        assertThat(third.getResponse().getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(third.getResponse().getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("5");
        assertThat(third.getResponse().getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(third.getResponse().getBodyAsString().block(Duration.ofSeconds(5)))
                .contains("\"status\":503", "urn:answerline:problem:overloaded");
        assertThat(meters.counter("ingest.webhook.shed", "channel", "whatsapp").count()).isEqualTo(1);
        assertThat(meters.get("ingest.webhook.in.progress").gauge().value()).isEqualTo(2);
        held.forEach(Disposable::dispose);
    }

    @Test
    void shouldTakeWebhooksAgainOnceThoseInProgressAreAnswered() {
        post("/webhooks/whatsapp").subscribe();
        post("/webhooks/whatsapp").subscribe();
        work.tryEmitEmpty();

        assertThat(admission.inProgress()).isZero();
        MockServerWebExchange next = exchange("/webhooks/whatsapp");
        admission.filter(next, chain).block(Duration.ofSeconds(5));
        assertThat(passed).hasSize(3).last().isSameAs(next);
        assertThat(meters.find("ingest.webhook.shed").counter()).isNull();
    }

    @Test
    void shouldFreeTheSlotOfAWebhookThatFailedOrWhoseSenderWentAway() {
        Disposable gone = post("/webhooks/whatsapp").subscribe();
        admission.filter(exchange("/webhooks/sms"), exchange -> Mono.error(new IllegalStateException("boom")))
                .onErrorComplete().block(Duration.ofSeconds(5));
        assertThat(admission.inProgress()).isEqualTo(1);

        gone.dispose();

        assertThat(admission.inProgress()).isZero();
    }

    @Test
    void shouldNeverShedTheAgentsOrAnythingElseOffTheWebhookPaths() {
        post("/webhooks/whatsapp").subscribe();
        post("/webhooks/whatsapp").subscribe();

        MockServerWebExchange reply = exchange("/api/v1/conversations/c/replies");
        admission.filter(reply, exchange -> Mono.empty()).block(Duration.ofSeconds(5));

        assertThat(reply.getResponse().getStatusCode()).isNull();
        assertThat(admission.inProgress()).isEqualTo(2);
    }

    @Test
    void shouldRefuseABoundBelowOne() {
        assertThatThrownBy(() -> new WebhookAdmission(0, Duration.ofSeconds(1), meters))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private Mono<Void> post(String path) {
        return admission.filter(exchange(path), chain);
    }

    private static MockServerWebExchange exchange(String path) {
        return MockServerWebExchange.from(MockServerHttpRequest.post(path).body("{}"));
    }
}
