package com.answerline.dispatch.provider;

import java.time.Duration;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How the provider clients retry, pace and give up (issue 5 section 4). Its own record, beside
 * {@code DispatchProperties}, so the providers' tuning stays in one place.
 */
@Validated
@ConfigurationProperties("answerline.dispatch.providers")
public record ProviderResilienceProperties(@NotNull @Valid Retry retry, @NotNull @Valid Throughput throughput,
                                           @NotNull @Valid CircuitBreaker circuitBreaker) {

    /**
     * Exponential backoff with jitter, only for transient kinds ({@link ProviderErrorKind#retryable()}).
     *
     * @param maxAttempts     HTTP requests per message at most, the first included
     * @param jitter          randomization factor: each wait is backoff * (1 +- jitter)
     * @param recipientPacing the wait after a 131056 (same recipient too often), instead of the backoff
     */
    public record Retry(@Min(1) @Max(10) int maxAttempts, @NotNull Duration initialBackoff,
                        @DecimalMin("1.0") double multiplier,
                        @DecimalMin("0.0") @DecimalMax(value = "1.0", inclusive = false) double jitter,
                        @NotNull Duration maxBackoff, @NotNull Duration recipientPacing) {

        /** The longest a message can wait between two attempts. */
        Duration longestWait() {
            Duration backoff = maxBackoff.multipliedBy(Math.round((1 + jitter) * 1000)).dividedBy(1000);
            return backoff.compareTo(recipientPacing) >= 0 ? backoff : recipientPacing;
        }
    }

    /**
     * WhatsApp throughput per business number (80/s by default, up to 1,000/s once Meta raises it, 20/s for
     * numbers shared with the WhatsApp Business app).
     *
     * @param messagesPerSecond default for every business number, all dispatch instances together
     *                          ({@link ThroughputShare})
     * @param perNumber         overrides by phone_number_id
     * @param permitWait        how long a message may wait for its slot before it fails PROVIDER_UNAVAILABLE
     */
    public record Throughput(@Min(1) int messagesPerSecond, Map<String, @NotNull @Min(1) Integer> perNumber,
                             @NotNull Duration permitWait) {

        public int messagesPerSecond(String phoneNumberId) {
            return perNumber == null ? messagesPerSecond : perNumber.getOrDefault(phoneNumberId, messagesPerSecond);
        }
    }

    /**
     * One breaker per provider, fed only by transient failures (a recipient's permanent error says nothing about
     * the provider's health).
     *
     * @param failureRateThreshold percentage of failed calls in the window that opens it
     * @param openFor              how long it refuses calls before letting a few probe calls through
     */
    public record CircuitBreaker(@Min(1) @Max(100) int failureRateThreshold, @Min(1) int slidingWindow,
                                 @Min(1) int minimumCalls, @NotNull Duration openFor, @Min(1) int halfOpenCalls) {
    }

    /** The longest one message can spend in a guarded call: every attempt, every wait, its rate-limit slot. */
    public Duration callBudget(Duration attemptTimeout) {
        return attemptTimeout.multipliedBy(retry.maxAttempts())
                .plus(retry.longestWait().multipliedBy(retry.maxAttempts() - 1L))
                .plus(throughput.permitWait().multipliedBy(retry.maxAttempts()));
    }
}
