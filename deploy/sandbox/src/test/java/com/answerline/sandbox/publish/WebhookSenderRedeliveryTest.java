package com.answerline.sandbox.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/** Meta-like redelivery of the sandbox's WhatsApp status webhooks ({@link WebhookSender#redelivered}). */
class WebhookSenderRedeliveryTest {

    private static final Duration FIRST = Duration.ofMillis(20);
    private static final Duration MAX = Duration.ofMillis(50);

    /** A delivery that answers the given statuses in turn (an exception for -1), and records each try. */
    private static Mono<Integer> answering(List<Integer> tries, int... statuses) {
        AtomicInteger next = new AtomicInteger();
        return Mono.defer(() -> {
            int status = statuses[Math.min(next.getAndIncrement(), statuses.length - 1)];
            tries.add(status);
            return status < 0 ? Mono.error(new IllegalStateException("connection refused")) : Mono.just(status);
        });
    }

    @Test
    void shouldRedeliverAfterRefusedConnectionsAndErrorAnswersUntilIngestTakesIt() {
        // Given ingest down (connection refused), then answering 503, then 200
        List<Integer> tries = new ArrayList<>();

        // When the status webhook is delivered the way Meta delivers it
        StepVerifier.create(WebhookSender.redelivered(answering(tries, -1, 503, 200), Duration.ofSeconds(10), FIRST, MAX))
                // Then it arrives, on the third try
                .expectNext(200)
                .verifyComplete();
        assertThat(tries).containsExactly(-1, 503, 200);
    }

    @Test
    void shouldNotDeliverAgainWhatIngestTookAtOnce() {
        List<Integer> tries = new ArrayList<>();

        StepVerifier.create(WebhookSender.redelivered(answering(tries, 200), Duration.ofSeconds(10), FIRST, MAX))
                .expectNext(200)
                .verifyComplete();
        assertThat(tries).containsExactly(200);
    }

    @Test
    void shouldGiveUpOnceTheRedeliveryWindowHasPassed() {
        // Given ingest answering 500 for good, and a window of 200 ms
        List<Integer> tries = new ArrayList<>();

        // Then the delivery ends with the last answer as its error, after a few tries, not forever
        StepVerifier.create(WebhookSender.redelivered(answering(tries, 500), Duration.ofMillis(200), FIRST, MAX))
                .expectErrorMessage("answered HTTP 500")
                .verify(Duration.ofSeconds(5));
        assertThat(tries).hasSizeGreaterThan(1).hasSizeLessThan(20).containsOnly(500);
    }

    @Test
    void shouldTryOnceWithoutAWindow() {
        List<Integer> tries = new ArrayList<>();

        StepVerifier.create(WebhookSender.redelivered(answering(tries, 503, 200), Duration.ZERO, FIRST, MAX))
                .expectNext(503)
                .verifyComplete();
        assertThat(tries).containsExactly(503);
    }
}
