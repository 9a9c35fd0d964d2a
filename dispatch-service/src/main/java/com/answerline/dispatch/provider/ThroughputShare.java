package com.answerline.dispatch.provider;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * This instance's part of every business number's WhatsApp throughput: the send-requests partitions it owns out of
 * all of them. Each dispatch instance paces a number at {@code limit x owned / total}, so the instances together
 * never exceed the number's limit whatever the assignment, with nothing shared but the consumer group (no Redis, no
 * coordination topic: the service depends only on Kafka and the providers).
 *
 * <p>Why it holds: a partition has at most one owner at a time (Kafka's group protocol revokes it from the old
 * owner before it assigns it to the new one, eager or cooperative), the owned sets are disjoint, and the shares sum
 * to at most 1. The sender's rebalance listener calls {@link #revoked} when a partition leaves (before its commit,
 * and when it is lost) and {@link #assigned} when one arrives, so during a cooperative rebalance, which hands
 * partitions over one at a time, a share is dropped before anyone else takes it. Both run inside the consumer's
 * poll, between two batches: no send of this instance waits for a permit meanwhile.
 *
 * <p>The price: a number's traffic skewed onto one instance's partitions gets only that instance's share (headroom
 * lost, never the limit exceeded). The alternatives, and why not: a token bucket coordinated through a Kafka topic
 * (every permit a round trip through the broker, and a bucket owner to elect and fail over: a distributed lock by
 * another name); partitioning sends by business number (one partition, so one instance, per number: a busy
 * number's sends on one consumer, and the conversation's co-partitioning with its session and ledger lost).
 *
 * <p>Thread-safe: the consumer thread changes it, the sender's workers read {@link #current()}.
 */
public final class ThroughputShare {

    /** The gauge of this instance's fraction (owned / total partitions), the same for every business number. */
    public static final String SHARE = "answerline.dispatch.provider.throughput.share";

    /**
     * A consistent snapshot.
     *
     * @param owned partitions of send-requests this instance owns (0..total)
     * @param total partitions of send-requests
     */
    public record Share(int owned, int total) {

        public Share {
            if (total < 1 || owned < 0 || owned > total) {
                throw new IllegalArgumentException("a share is 0..total of at least one partition: "
                        + owned + "/" + total);
            }
        }

        public double fraction() {
            return (double) owned / total;
        }

        /** This instance's messages per second of a number whose limit across all instances is {@code limit}. */
        public double ofLimit(int limit) {
            return limit * fraction();
        }
    }

    private final int total;
    private final Set<Integer> owned = new TreeSet<>();
    private volatile Share current;

    /** @param totalPartitions the partitions of send-requests (the deployment's conversation partitions) */
    public ThroughputShare(int totalPartitions) {
        this.total = totalPartitions;
        this.current = new Share(0, totalPartitions);
    }

    /** The whole limit, for a process that is the only sender (and for the SMS guard, which paces no number). */
    public static ThroughputShare whole() {
        ThroughputShare whole = new ThroughputShare(1);
        whole.assigned(Set.of(0));
        return whole;
    }

    /** Partitions of send-requests this instance was given; numbers outside 0..total-1 are not counted. */
    public synchronized void assigned(Collection<Integer> partitions) {
        partitions.stream().filter(p -> p >= 0 && p < total).forEach(owned::add);
        current = new Share(owned.size(), total);
    }

    /** Partitions of send-requests this instance gave up or lost: their share goes at once. */
    public synchronized void revoked(Collection<Integer> partitions) {
        owned.removeAll(partitions);
        current = new Share(owned.size(), total);
    }

    public Share current() {
        return current;
    }

    /** {@link #SHARE}: a fraction 0..1, no business number tag (the share is the same for all of them). */
    public ThroughputShare bindTo(MeterRegistry meters) {
        Gauge.builder(SHARE, this, share -> share.current().fraction())
                .description("This instance's share of each business number's throughput limit: "
                        + "owned / all send-requests partitions")
                .register(meters);
        return this;
    }
}
