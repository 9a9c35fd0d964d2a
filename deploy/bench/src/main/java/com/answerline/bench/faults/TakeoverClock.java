package com.answerline.bench.faults;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.apache.kafka.common.TopicPartition;

/**
 * When a killed instance's partitions are served again, judged from outside by one consumer group's committed
 * offsets on its input topic. A partition is <b>served</b> once the group has committed an offset past the one it had
 * committed when the killed process was gone: only a live member (the survivor, or the restarted instance) can
 * commit after the kill, so that is the moment processing resumed there. It is <b>caught up</b> once the commit is past
 * the partition's end as it stood right after the kill: the records that waited while nobody served it are processed
 * too (for a restart, the backlog of its whole start time). Only partitions with traffic are watched: those whose end
 * offset moved between the start of the scenario's traffic and the kill (the steady load keeps writing to them). The
 * takeover time is the time from the kill to the moment the last watched partition was served; the partitions the
 * survivor already owned are served within a commit interval, so the killed instance's set it.
 *
 * <p>Pure: fed the observations ({@link #observe}) by {@link TakeoverProbe}, tested with made-up offsets.
 */
final class TakeoverClock {

    private final Map<TopicPartition, Long> endAfterKill;
    private final Map<TopicPartition, Long> committedAtKill;
    private final Set<TopicPartition> watched;
    private final Map<TopicPartition, Duration> served = new HashMap<>();
    private final Map<TopicPartition, Duration> caughtUp = new HashMap<>();
    private final Set<TopicPartition> written = new java.util.HashSet<>();

    /**
     * @param endAtStart      the input's end offsets when the traffic started
     * @param endAfterKill    the input's end offsets right after the killed process was gone
     * @param committedAtKill the group's committed offsets then (a partition without a commit: absent)
     */
    TakeoverClock(Map<TopicPartition, Long> endAtStart, Map<TopicPartition, Long> endAfterKill,
                  Map<TopicPartition, Long> committedAtKill) {
        this.endAfterKill = Map.copyOf(endAfterKill);
        this.committedAtKill = Map.copyOf(committedAtKill);
        this.watched = endAfterKill.entrySet().stream()
                .filter(e -> e.getValue() > endAtStart.getOrDefault(e.getKey(), 0L))
                .map(Map.Entry::getKey)
                .collect(Collectors.toUnmodifiableSet());
    }

    /**
     * The partitions with traffic since the start ({@code endNow} past {@code endAtStart}) that the group has not yet
     * served: no commit past the end it had at the start. A kill is only a takeover drill once this is empty: a
     * service still starting (its first transactions on a fresh broker take seconds) has nothing to hand over, and its
     * "takeover" would be its start-up.
     */
    static Set<TopicPartition> notYetServing(Map<TopicPartition, Long> endAtStart, Map<TopicPartition, Long> endNow,
                                             Map<TopicPartition, Long> committed) {
        return endNow.entrySet().stream()
                .filter(e -> e.getValue() > endAtStart.getOrDefault(e.getKey(), 0L))
                .map(Map.Entry::getKey)
                .filter(p -> committed.getOrDefault(p, -1L) <= endAtStart.getOrDefault(p, 0L))
                .collect(Collectors.toUnmodifiableSet());
    }

    /**
     * The group's committed offsets, {@code sinceKill} after the kill, and the input's end offsets then (only to say
     * why a partition waits: no record written after the kill, or one written and not served).
     */
    void observe(Duration sinceKill, Map<TopicPartition, Long> committed, Map<TopicPartition, Long> end) {
        for (TopicPartition partition : watched) {
            if (end.getOrDefault(partition, 0L) > endAfterKill.get(partition)) {
                written.add(partition);
            }
            Long offset = committed.get(partition);
            if (offset == null) {
                continue;
            }
            if (!served.containsKey(partition) && offset > committedAtKill.getOrDefault(partition, -1L)) {
                served.put(partition, sinceKill);
            }
            if (!caughtUp.containsKey(partition) && offset > endAfterKill.get(partition)) {
                served.putIfAbsent(partition, sinceKill);
                caughtUp.put(partition, sinceKill);
            }
        }
    }

    /** Every watched partition served (false when nothing had traffic: then nothing was proven). */
    boolean complete() {
        return !watched.isEmpty() && served.keySet().containsAll(watched);
    }

    /** The partitions with traffic that no live member has served yet. */
    Set<String> waiting() {
        return watched.stream().filter(p -> !served.containsKey(p)).map(TopicPartition::toString)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Of the waiting partitions, those that got no record after the kill (the traffic, not the takeover, stalled). */
    Set<String> waitingWithoutTraffic() {
        return watched.stream().filter(p -> !served.containsKey(p) && !written.contains(p))
                .map(TopicPartition::toString).collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * When each served partition was served, in order (kill to its first commit), e.g. {@code "served 2: p-1 at
     * 12.3 s, p-0 at 31.0 s"}: the spread says whether one partition was late or all were.
     */
    String servedTimes() {
        return served.entrySet().stream().sorted(Map.Entry.comparingByValue())
                .map(e -> e.getKey() + " at " + String.format(java.util.Locale.ROOT, "%.1f s",
                        e.getValue().toMillis() / 1000.0))
                .collect(Collectors.joining(", ", "served " + served.size() + ": ", ""));
    }

    int watchedPartitions() {
        return watched.size();
    }

    /** Every watched partition caught up (false when nothing had traffic). */
    boolean caughtUp() {
        return !watched.isEmpty() && caughtUp.keySet().containsAll(watched);
    }

    /** Kill to the last watched partition caught up with what was written until the kill; empty until then. */
    Optional<Duration> catchUp() {
        return caughtUp() ? caughtUp.values().stream().max(Duration::compareTo) : Optional.empty();
    }

    /** Kill to the last watched partition served; empty until {@link #complete}. */
    Optional<Duration> takeover() {
        return complete() ? served.values().stream().max(Duration::compareTo) : Optional.empty();
    }
}
