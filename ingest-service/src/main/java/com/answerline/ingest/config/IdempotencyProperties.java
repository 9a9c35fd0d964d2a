package com.answerline.ingest.config;

import java.time.Duration;

import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The gateway's memory of the replies this instance just accepted under an idempotency key, which covers the
 * reply-acceptances global table's lag behind the topic (how long keys are honoured at all is
 * {@code Topics.IDEMPOTENCY_RETENTION}, the topic's retention).
 *
 * @param recentCapacity at most this many recent acceptances are kept in memory (oldest evicted first)
 * @param recentTtl      each is kept this long; far above the table's lag (milliseconds when healthy)
 */
@Validated
@ConfigurationProperties("answerline.ingest.idempotency")
public record IdempotencyProperties(@Min(1) int recentCapacity, @NotNull Duration recentTtl) {
}
