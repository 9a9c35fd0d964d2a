package com.answerline.schemas.query;

import java.util.OptionalInt;

/**
 * A page size as a query parameter gives it ({@code ?limit=}), the one rule of every paged read (the gateway's and
 * session-service's lists and threads): absent or blank means the default, otherwise a whole number from 1 to
 * {@code max}. Each caller turns an empty answer into its own 400 problem naming {@code limit} with {@link #rule()}.
 *
 * @param defaultLimit the size when none is asked for
 * @param max          the largest size a caller may ask for
 */
public record PageLimit(int defaultLimit, int max) {

    public PageLimit {
        if (max < 1 || defaultLimit < 1 || defaultLimit > max) {
            throw new IllegalArgumentException("need 1 <= default <= max: " + defaultLimit + ", " + max);
        }
    }

    /** The size {@code value} asks for, or empty when it is not a whole number from 1 to {@link #max}. */
    public OptionalInt parse(String value) {
        if (value == null || value.isBlank()) {
            return OptionalInt.of(defaultLimit);
        }
        try {
            int limit = Integer.parseInt(value.trim());
            return limit >= 1 && limit <= max ? OptionalInt.of(limit) : OptionalInt.empty();
        } catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    /** What a valid value is, for the problem's detail. */
    public String rule() {
        return "must be a whole number from 1 to " + max;
    }
}
