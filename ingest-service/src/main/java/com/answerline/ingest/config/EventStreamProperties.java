package com.answerline.ingest.config;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code GET /api/v1/events} (server-sent events).
 *
 * @param maxStreams          open streams per instance; one more is answered 503
 * @param maxStreamsPerAgent  open streams of one agent (the token's {@code sub} within its tenant) per instance; one
 *                            more is answered 429 naming the {@code agent} cap (a console opens one; a few tabs fit)
 * @param maxStreamsPerTenant open streams of one tenant per instance; one more is answered 429 naming the
 *                            {@code tenant} cap, so one tenant cannot take every stream of an instance
 * @param heartbeat           a comment line this often keeps proxies from closing an idle stream
 * @param subscriberBuffer    events buffered per stream for a client that reads slower than they come; a client
 *                            further behind gets an {@code error} event and its stream ends (the others go on)
 * @param recentReplies       reply commands whose latest outcome and deliveries the live feed remembers, so that a
 *                            {@code reply-outcome} event carries the delivery and is sent again when it changes (the
 *                            least recently touched are forgotten first; a few KB each)
 */
@Validated
@ConfigurationProperties("answerline.ingest.events")
public record EventStreamProperties(@Min(1) int maxStreams, @Min(1) int maxStreamsPerAgent, @Min(1) int maxStreamsPerTenant,
                                    @NotNull Duration heartbeat, @Min(1) int subscriberBuffer, @Min(1) int recentReplies) {
}
