package com.answerline.dispatch.provider;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * The {@code Retry-After} header of a provider's refusal (RFC 9110 10.2.3: delta-seconds or an HTTP-date), as the
 * wait it asks for. Read by the clients, carried on their exceptions, honoured by the parked sends' retry schedule.
 */
public final class RetryAfter {

    /** Nobody should be told to come back in more than a day; a larger value is a bad header, ignored. */
    static final Duration LONGEST = Duration.ofDays(1);

    private RetryAfter() {
    }

    /** The wait the header asks for, or null when absent, unreadable, negative or absurdly long. */
    public static Duration parse(String header, Clock clock) {
        if (header == null || header.isBlank()) {
            return null;
        }
        String value = header.trim();
        Duration wait;
        try {
            wait = value.chars().allMatch(Character::isDigit)
                    ? Duration.ofSeconds(Long.parseLong(value))
                    : Duration.between(clock.instant(), ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
        } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
            return null;
        }
        if (wait.isNegative()) {
            return Duration.ZERO;
        }
        return wait.compareTo(LONGEST) > 0 ? null : wait;
    }
}
