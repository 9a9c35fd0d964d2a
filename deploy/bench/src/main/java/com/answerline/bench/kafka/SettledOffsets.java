package com.answerline.bench.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

import org.apache.kafka.common.TopicPartition;

/**
 * Waits until a topic stops growing: its end offsets unchanged for {@code quietFor}, read every {@code every}, for at
 * most {@code atMost}. A check that reads a topic "to its end" right after the load stopped may otherwise miss records
 * still on their way: a webhook the harness gave up on (its client timed out) is still worked on by ingest and
 * published seconds later, and its message then looks folded twice (the fold saw it, the read did not).
 */
public final class SettledOffsets {

    /** The end offsets last read, and whether they had settled or {@code atMost} ran out first. */
    public record Result(Map<TopicPartition, Long> ends, boolean settled, Duration waited) {
    }

    private SettledOffsets() {
    }

    public static Result await(Supplier<Map<TopicPartition, Long>> endOffsets, Duration quietFor, Duration atMost,
                               Duration every) {
        long start = System.nanoTime();
        Map<TopicPartition, Long> last = endOffsets.get();
        long quietSince = start;
        while (true) {
            long now = System.nanoTime();
            if (now - quietSince >= quietFor.toNanos()) {
                return new Result(last, true, Duration.ofNanos(now - start));
            }
            if (now - start >= atMost.toNanos()) {
                return new Result(last, false, Duration.ofNanos(now - start));
            }
            LockSupport.parkNanos(every.toNanos());
            Map<TopicPartition, Long> current = endOffsets.get();
            if (!current.equals(last)) {
                last = current;
                quietSince = System.nanoTime();
            }
        }
    }
}
