package com.answerline.ingest.events;

import java.util.concurrent.atomic.AtomicInteger;

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
 * carry on. Streams are counted (gauge {@value #STREAMS_METRIC}, no labels) and capped per instance.
 */
@Component
public class LiveEvents {

    static final String STREAMS_METRIC = "ingest.gateway.sse.streams";
    static final String OPENED_COMMENT = "stream open";

    private final Sinks.Many<LiveEvent> sink = Sinks.many().multicast().directBestEffort();
    private final AtomicInteger open = new AtomicInteger();
    private final EventStreamProperties properties;

    public LiveEvents(EventStreamProperties properties, MeterRegistry meters) {
        this.properties = properties;
        Gauge.builder(STREAMS_METRIC, open, AtomicInteger::get)
                .description("open server-sent event streams of GET /api/v1/events")
                .register(meters);
    }

    /** Called by the feed's single thread only (the sink is not for concurrent emitters). */
    void publish(LiveEvent event) {
        // FAIL_ZERO_SUBSCRIBER when nobody listens: nothing to do, live events are not kept.
        sink.tryEmitNext(event);
    }

    /**
     * A stream of the tenant's events from now on, with a comment first (the stream is live once it arrives) and a
     * heartbeat comment every {@code heartbeat}.
     *
     * @param conversationId only this conversation's events, or null for all of the tenant's
     * @throws TooManyStreamsException when this instance already serves {@code maxStreams}
     */
    public Flux<ServerSentEvent<Object>> stream(String tenantId, String conversationId) {
        if (open.incrementAndGet() > properties.maxStreams()) {
            open.decrementAndGet();
            throw new TooManyStreamsException(properties.maxStreams());
        }
        Flux<ServerSentEvent<Object>> live = sink.asFlux()
                .filter(e -> e.tenantId().equals(tenantId) && (conversationId == null || conversationId.equals(e.conversationId())))
                .map(LiveEvent::event)
                .onBackpressureBuffer(properties.subscriberBuffer(), dropped -> { }, BufferOverflowStrategy.ERROR)
                .onErrorResume(Exceptions::isOverflow, e -> Mono.just(ServerSentEvent.<Object>builder()
                        .event("error")
                        .data(new StreamError("too-slow", "this client fell more than " + properties.subscriberBuffer()
                                + " events behind; the stream ends here, reconnect and reload"))
                        .build()));
        Flux<ServerSentEvent<Object>> heartbeats = Flux.interval(properties.heartbeat())
                .map(tick -> comment("heartbeat"));
        // live first: merge subscribes in order, so the stream listens before the "open" comment is sent.
        return Flux.merge(live, Mono.just(comment(OPENED_COMMENT)), heartbeats)
                // An error event ends the whole stream (heartbeats included).
                .takeUntil(sse -> "error".equals(sse.event()))
                .doFinally(signal -> open.decrementAndGet());
    }

    int openStreams() {
        return open.get();
    }

    private static ServerSentEvent<Object> comment(String text) {
        return ServerSentEvent.builder().comment(text).build();
    }

    /** Data of the {@code error} event that ends a stream. */
    record StreamError(String type, String detail) {
    }
}
