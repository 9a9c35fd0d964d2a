package com.answerline.ingest.config;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * {@code GET /api/v1/events} (server-sent events).
 *
 * @param maxStreams       open streams per instance; one more is answered 503
 * @param heartbeat        a comment line this often keeps proxies from closing an idle stream
 * @param subscriberBuffer events buffered per stream for a client that reads slower than they come; a client
 *                         further behind gets an {@code error} event and its stream ends (the others go on)
 */
@Validated
@ConfigurationProperties("answerline.ingest.events")
public record EventStreamProperties(@Min(1) int maxStreams, @NotNull Duration heartbeat, @Min(1) int subscriberBuffer) {
}
