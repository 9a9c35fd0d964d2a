package com.answerline.session.thread;

import java.time.Duration;
import java.util.Objects;

/**
 * How much of a thread is kept, and how often that is enforced.
 *
 * @param retention                a message older than this (by its place in the thread: send time or first outcome)
 *                                 is dropped
 * @param maxMessages              a conversation keeps at most this many messages; the oldest drop out
 * @param sweepInterval            how often a slice of the store is checked against both (wall clock)
 * @param unmatchedStatusRetention how long a delivery status that names no known send yet is kept, waiting for the
 *                                 outcome that carries its provider message id
 */
public record ThreadLimits(Duration retention, int maxMessages, Duration sweepInterval,
                           Duration unmatchedStatusRetention) {

    public ThreadLimits {
        requirePositive(retention, "retention");
        requirePositive(sweepInterval, "sweep-interval");
        requirePositive(unmatchedStatusRetention, "unmatched-status-retention");
        if (maxMessages < 1) {
            throw new IllegalArgumentException("thread.max-messages must be at least 1: " + maxMessages);
        }
    }

    private static void requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("thread." + name + " must be positive: " + value);
        }
    }
}
