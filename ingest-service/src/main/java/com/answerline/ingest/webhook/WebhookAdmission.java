package com.answerline.ingest.webhook;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

import com.answerline.ingest.listener.ListenerPaths;

/**
 * Load shedding for the providers' webhooks: at most {@code maxInProgress} webhooks are worked on at once (read,
 * verified, published, waiting for Kafka's acknowledgement); one more is answered 503 with {@code Retry-After} at once,
 * before its body is read, and the provider redelivers it later (Meta and Twilio both do on any 5xx).
 *
 * <p>Why: after an outage of ours Meta redelivers its backlog as fast as it can, on top of the live traffic. Without a
 * bound every webhook is taken: each waits longer for the CPU and for Kafka, past the sender's timeout, which the sender
 * counts as a failure and redelivers, so the work done is thrown away and the backlog grows (measured in
 * docs/reliability.md, the long fault mode). With the bound, the webhooks taken are answered in time, and the rest are
 * refused for the price of reading their headers. Counted in {@code ingest.webhook.shed} (per channel); the webhooks
 * in progress are the gauge {@code ingest.webhook.in.progress}.
 *
 * <p>Written as a filter, not in the controllers, so a shed webhook costs no body read, no signature check and no
 * security chain. Spring has no concurrency limit of its own for WebFlux; this is a counter.
 */
public final class WebhookAdmission implements WebFilter {

    private final int maxInProgress;
    private final String retryAfterSeconds;
    private final byte[] problem;
    private final MeterRegistry meters;
    private final AtomicInteger inProgress = new AtomicInteger();

    /**
     * @param maxInProgress webhooks worked on at once; one more is refused
     * @param retryAfter    the {@code Retry-After} of a refusal (whole seconds, at least 1)
     */
    public WebhookAdmission(int maxInProgress, Duration retryAfter, MeterRegistry meters) {
        if (maxInProgress < 1) {
            throw new IllegalArgumentException("maxInProgress must be at least 1, was " + maxInProgress);
        }
        this.maxInProgress = maxInProgress;
        this.retryAfterSeconds = Long.toString(Math.max(1, retryAfter.toSeconds()));
        this.problem = ("{\"type\":\"urn:answerline:problem:overloaded\",\"title\":\"Temporarily unavailable\","
                + "\"status\":503,\"detail\":\"more webhooks are being worked on than this instance takes at once ("
                + maxInProgress + "); redeliver later\"}").getBytes(StandardCharsets.UTF_8);
        this.meters = meters;
        Gauge.builder("ingest.webhook.in.progress", inProgress, AtomicInteger::get)
                .description("Webhooks this instance is working on now; above max-in-progress the next is shed (503)")
                .register(meters);
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().value();
        if (!path.startsWith(ListenerPaths.WEBHOOKS)) {
            return chain.filter(exchange);
        }
        if (inProgress.incrementAndGet() > maxInProgress) {
            inProgress.decrementAndGet();
            Counter.builder("ingest.webhook.shed").tag("channel", channel(path))
                    .description("Webhooks answered 503 at once because max-in-progress were being worked on")
                    .register(meters).increment();
            return refuse(exchange.getResponse());
        }
        return chain.filter(exchange).doFinally(signal -> inProgress.decrementAndGet());
    }

    /** Webhooks being worked on now. */
    public int inProgress() {
        return inProgress.get();
    }

    private Mono<Void> refuse(ServerHttpResponse response) {
        response.setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        response.getHeaders().set(HttpHeaders.RETRY_AFTER, retryAfterSeconds);
        DataBuffer body = response.bufferFactory().wrap(problem);
        return response.writeWith(Mono.just(body));
    }

    /** The channel the path names ({@code /webhooks/whatsapp/...} -> whatsapp), for the metric's tag. */
    private static String channel(String path) {
        String rest = path.substring(ListenerPaths.WEBHOOKS.length());
        int slash = rest.indexOf('/');
        String name = slash < 0 ? rest : rest.substring(0, slash);
        return name.equals("whatsapp") || name.equals("sms") ? name : "other";
    }
}
