package com.answerline.platform.streams;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every service's Kafka Streams app does when a stream thread dies: replace the thread, a bounded number of
 * times. Kafka Streams' default is SHUTDOWN_CLIENT, under which one transient failure (e.g. a broker restart that
 * leaves a rebalance with incomplete topic metadata: {@code MissingSourceTopicException}) stops the app for good,
 * global table included, until the process is restarted. Replacing the thread rejoins the group and resumes from
 * the committed offsets (exactly-once state is unaffected). A failure that keeps coming back (more than
 * {@code maxReplacements} within {@code window}) is not transient: then the client shuts down, health reports the
 * Streams app down and the readiness probe and alerts take over. Poison records never get here: they go to
 * dead-letter topics through the deserialization and processing handlers.
 *
 * <p>Kept in this shared jar because all three services run Streams the same way; a handful of lines, not a
 * library (Kafka Streams offers only the three fixed responses).
 */
public final class ThreadReplacementPolicy implements StreamsUncaughtExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ThreadReplacementPolicy.class);

    private final int maxReplacements;
    private final Duration window;
    private final Clock clock;
    private final Deque<Instant> recent = new ArrayDeque<>();

    public ThreadReplacementPolicy(int maxReplacements, Duration window, Clock clock) {
        if (maxReplacements < 0 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("need maxReplacements >= 0 and a positive window");
        }
        this.maxReplacements = maxReplacements;
        this.window = window;
        this.clock = clock;
    }

    /** Five replacements within ten minutes, then shut down. */
    public static ThreadReplacementPolicy standard() {
        return new ThreadReplacementPolicy(5, Duration.ofMinutes(10), Clock.systemUTC());
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(Throwable exception) {
        Instant now = clock.instant();
        while (!recent.isEmpty() && !recent.peekFirst().isAfter(now.minus(window))) {
            recent.removeFirst();
        }
        if (recent.size() >= maxReplacements) {
            log.error("Kafka Streams thread died {} times within {}: shutting the Streams client down", recent.size() + 1,
                    window, exception);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        recent.addLast(now);
        log.error("Kafka Streams thread died; replacing it ({} of at most {} within {})", recent.size(), maxReplacements,
                window, exception);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }
}
