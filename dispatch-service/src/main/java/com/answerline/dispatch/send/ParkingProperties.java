package com.answerline.dispatch.send;

import java.time.Duration;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * How parked sends are retried ({@link ParkedSends}). How long each may wait is the tenant's
 * ({@code answerline.dispatch.tenants.<id>.reply-validity}).
 *
 * @param initialBackoff wait before the second attempt of a parked send
 * @param multiplier     each further wait this much longer
 * @param jitter         randomization factor: each wait is backoff * (1 +- jitter), so parked sends of one outage do
 *                       not all come back in the same instant
 * @param maxBackoff     the longest wait between two attempts (a provider's Retry-After may ask for longer)
 * @param checkInterval  how often the due parked sends are looked for
 */
@Validated
@ConfigurationProperties("answerline.dispatch.parking")
public record ParkingProperties(@NotNull Duration initialBackoff, @DecimalMin("1.0") double multiplier,
                                @DecimalMin("0.0") @DecimalMax(value = "1.0", inclusive = false) double jitter,
                                @NotNull Duration maxBackoff, @NotNull Duration checkInterval) {

    @AssertTrue(message = "initial-backoff, max-backoff and check-interval must be positive, max-backoff >= initial-backoff")
    boolean isValid() {
        return initialBackoff == null || maxBackoff == null || checkInterval == null
                || positive(initialBackoff) && positive(checkInterval) && maxBackoff.compareTo(initialBackoff) >= 0;
    }

    private static boolean positive(Duration duration) {
        return !duration.isNegative() && !duration.isZero();
    }

    /** The schedule {@link Parking} computes attempts with. */
    public Parking.Backoff backoff() {
        return new Parking.Backoff(initialBackoff, multiplier, jitter, maxBackoff);
    }
}
