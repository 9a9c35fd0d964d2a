package com.answerline.dispatch.config;

import java.time.Duration;

import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Held answers (TEMPLATE_THEN_HOLD, issue 5 section 2): how long an agent's answer waits for the customer to write
 * back, and how often the decision topology looks for expired ones. Its own record so the hold settings do not
 * grow {@link DispatchProperties}. Defaults in application.yml.
 *
 * @param expireAfter   from the moment the answer was held to its EXPIRED outcome, unless the customer wrote first
 *                      (default 7 days)
 * @param checkInterval how often (wall clock) each task scans its held answers for expired ones; an answer ends
 *                      EXPIRED at most this long after {@code expireAfter}
 */
@Validated
@ConfigurationProperties("answerline.dispatch.hold")
public record HoldProperties(@NotNull Duration expireAfter, @NotNull Duration checkInterval) {

    @AssertTrue(message = "expire-after must be positive")
    public boolean isExpireAfterPositive() {
        return expireAfter == null || (!expireAfter.isNegative() && !expireAfter.isZero());
    }

    @AssertTrue(message = "check-interval must be positive")
    public boolean isCheckIntervalPositive() {
        return checkInterval == null || (!checkInterval.isNegative() && !checkInterval.isZero());
    }
}
