package com.answerline.ingest.events;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.stereotype.Component;
import reactor.core.Exceptions;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import com.answerline.ingest.config.EventStreamProperties;

/**
 * Fans the one Kafka feed of this instance ({@link LiveEventFeed}) out to every open event stream.
 *
 * <p>A {@code directBestEffort} sink: each stream gets each event it has room for, and no stream can hold the
 * others back. Each stream filters to its tenant (and conversation) first, then has its own bounded buffer; a
 * client that falls further behind than that gets an {@code error} event and its stream ends, while the rest
 * carry on.
 *
 * <p>A stream ends at the expiry of the token that opened it: an {@code expired} event, then the end, and the client
 * reconnects with a fresh token (a stream must not outlive its credential). Streams are counted (gauge
 * {@value #STREAMS_METRIC}, no labels) and capped per agent, per tenant and per instance ({@link StreamCounts});
 * refusals are counted by cap only ({@value #REFUSED_METRIC}{@code {cap}}), never by agent or tenant.
 */
@Component
public class LiveEvents {

    static final String STREAMS_METRIC = "ingest.gateway.sse.streams";
    static final String REFUSED_METRIC = "ingest.gateway.sse.refused";
    static final String OPENED_COMMENT = "stream open";
    static final String EXPIRED = "expired";
    static final String ERROR = "error";

    private final Sinks.Many<LiveEvent> sink = Sinks.many().multicast().directBestEffort();
    private final StreamCounts counts;
    private final EventStreamProperties properties;
    private final Clock clock;
    private final MeterRegistry meters;

    public LiveEvents(EventStreamProperties properties, Clock clock, MeterRegistry meters) {
        this.properties = properties;
        this.clock = clock;
        this.meters = meters;
        this.counts = new StreamCounts(properties.maxStreamsPerAgent(), properties.maxStreamsPerTenant(),
                properties.maxStreams());
        Gauge.builder(STREAMS_METRIC, counts.totalCounter(), AtomicInteger::get)
                .description("open server-sent event streams of GET /api/v1/events")
                .register(meters);
        for (StreamCounts.Cap cap : StreamCounts.Cap.values()) {
            refusals(cap.label());
        }
    }

    /** Called by the feed's single thread only (the sink is not for concurrent emitters). */
    void publish(LiveEvent event) {
        // FAIL_ZERO_SUBSCRIBER when nobody listens: nothing to do, live events are not kept.
        sink.tryEmitNext(event);
    }

    /**
     * A stream of the owner's tenant's events from now on, with a comment first (the stream is live once it arrives), a
     * heartbeat comment every {@code heartbeat}, and an {@code expired} event at the owner's token expiry, after which
     * the stream ends.
     *
     * @param conversationId only this conversation's events, or null for all of the tenant's
     * @throws TokenExpiredException      when the token is already past its expiry
     * @throws StreamCapReachedException  when the agent or the tenant already has its maximum open on this instance
     * @throws TooManyStreamsException    when this instance already serves {@code maxStreams}
     */
    public Flux<ServerSentEvent<Object>> stream(StreamOwner owner, String conversationId) {
        Instant now = clock.instant();
        if (owner.tokenExpiresAt() != null && !owner.tokenExpiresAt().isAfter(now)) {
            throw new TokenExpiredException(owner.tokenExpiresAt());
        }
        try {
            counts.open(owner);
        } catch (StreamCapReachedException e) {
            refusals(e.cap()).increment();
            throw e;
        } catch (TooManyStreamsException e) {
            refusals(StreamCounts.Cap.INSTANCE.label()).increment();
            throw e;
        }
        String tenantId = owner.tenantId();
        Flux<ServerSentEvent<Object>> live = sink.asFlux()
                .filter(e -> e.tenantId().equals(tenantId) && (conversationId == null || conversationId.equals(e.conversationId())))
                .map(LiveEvent::event)
                .onBackpressureBuffer(properties.subscriberBuffer(), dropped -> { }, BufferOverflowStrategy.ERROR)
                .onErrorResume(Exceptions::isOverflow, e -> Mono.just(end(ERROR, "too-slow", "this client fell more than "
                        + properties.subscriberBuffer() + " events behind; the stream ends here, reconnect and reload")));
        Flux<ServerSentEvent<Object>> heartbeats = Flux.interval(properties.heartbeat())
                .map(tick -> comment("heartbeat"));
        // The delay is measured on the injected clock once, here; the timer itself runs on Reactor's scheduler.
        Mono<ServerSentEvent<Object>> expiry = owner.tokenExpiresAt() == null ? Mono.never()
                : Mono.delay(Duration.between(now, owner.tokenExpiresAt())).map(tick -> end(EXPIRED, "token-expired",
                        "the token that opened this stream expired at " + owner.tokenExpiresAt()
                                + "; reconnect with a fresh token"));
        // live first: merge subscribes in order, so the stream listens before the "open" comment is sent.
        return Flux.merge(live, Mono.just(comment(OPENED_COMMENT)), heartbeats, expiry)
                // An error or expired event ends the whole stream (heartbeats and timer included).
                .takeUntil(sse -> ERROR.equals(sse.event()) || EXPIRED.equals(sse.event()))
                .doFinally(signal -> counts.close(owner));
    }

    int openStreams() {
        return counts.total();
    }

    int openStreams(String tenantId, String agentId) {
        return counts.ofAgent(tenantId, agentId);
    }

    int openStreamsOfTenant(String tenantId) {
        return counts.ofTenant(tenantId);
    }

    private Counter refusals(String cap) {
        return Counter.builder(REFUSED_METRIC)
                .description("GET /api/v1/events streams refused by a cap (agent, tenant or instance)")
                .tag("cap", cap)
                .register(meters);
    }

    private static ServerSentEvent<Object> end(String event, String type, String detail) {
        return ServerSentEvent.builder().event(event).data(new StreamEnd(type, detail)).build();
    }

    private static ServerSentEvent<Object> comment(String text) {
        return ServerSentEvent.builder().comment(text).build();
    }

    /** Data of the {@code error} or {@code expired} event that ends a stream. */
    record StreamEnd(String type, String detail) {
    }
}
