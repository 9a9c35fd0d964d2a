package com.answerline.bench.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.common.TopicPartition;

import com.answerline.bench.kafka.Kafka;
import com.answerline.schemas.topic.Topics;

/**
 * Measures a takeover from outside, with the admin client only ({@link TakeoverClock} says what counts): the end
 * offsets of each of the service's consumer groups' input when the traffic starts, the groups' members just before the
 * kill, the end offsets right after it, then the committed offsets every {@value #POLL_MS} ms until every watched
 * partition is served or the wait runs out. The time runs from the moment {@code deploy/local/stack kill} returned,
 * which is at most 0.1 s after the process died (it polls for the death every 0.1 s after the SIGKILL): the script's
 * own start-up before the SIGKILL, seconds on a busy machine, is not the service's takeover. It ends at the poll that
 * sees the last partition served, so it is late by up to a poll, and by the gap until the next record arrives on that
 * partition (at the suite's rates: about 0.3 s for replies, less for webhooks).
 */
final class TakeoverProbe {

    static final long POLL_MS = 200;

    /** A consumer group of the service and the input topic its takeover is judged on (the one with steady traffic). */
    record Watch(String group, String topic) {
    }

    /** The groups of a service (of its instance: {@code session-service-2} is session-service's second). */
    static List<Watch> watches(String instance) {
        String service = instance.replaceFirst("-\\d+$", "");
        return switch (service) {
            case "session-service" -> List.of(new Watch("session-service", Topics.INBOUND_MESSAGES.name()));
            // The decision topology and the sender's listener: both must be served again.
            case "dispatch-service" -> List.of(new Watch("dispatch-service-decisions", Topics.REPLY_COMMANDS.name()),
                    new Watch("dispatch-sender", Topics.SEND_REQUESTS.name()));
            case "ingest-service" -> List.of(new Watch("ingest-service", Topics.DISPATCH_OUTCOMES.name()));
            default -> List.of();
        };
    }

    private final Kafka kafka;
    private final List<Watch> watches;
    private final Map<Watch, Map<TopicPartition, Long>> endAtStart = new HashMap<>();
    private final Map<Watch, Map<String, Set<TopicPartition>>> membersBefore = new HashMap<>();
    private final List<TakeoverClock> clocks = new ArrayList<>();
    private long killedAt;
    private Set<String> notServingAtKill = Set.of();

    /** At the start of the scenario's traffic. */
    TakeoverProbe(Kafka kafka, List<Watch> watches) {
        this.kafka = kafka;
        this.watches = List.copyOf(watches);
        for (Watch watch : watches) {
            endAtStart.put(watch, kafka.endOffsets(List.of(watch.topic())));
        }
    }

    /**
     * Waits until every consumer group of the service has served each partition that got traffic since the start
     * ({@link TakeoverClock#notYetServing}), at most {@code wait}: the kill then takes partitions from a service that
     * was working. What was still not served when the wait ran out is named in the takeover's detail.
     *
     * @return true when the service was serving every partition with traffic
     */
    boolean awaitServing(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        Set<String> waiting = Set.of("no traffic yet");
        while (System.nanoTime() < deadline) {
            try {
                Set<String> notServing = new java.util.TreeSet<>();
                boolean traffic = false;
                for (Watch watch : watches) {
                    Map<TopicPartition, Long> end = kafka.endOffsets(List.of(watch.topic()));
                    traffic |= end.entrySet().stream()
                            .anyMatch(e -> e.getValue() > endAtStart.get(watch).getOrDefault(e.getKey(), 0L));
                    TakeoverClock.notYetServing(endAtStart.get(watch), end, committedOn(watch))
                            .forEach(p -> notServing.add(watch.group() + " " + p));
                }
                waiting = traffic ? notServing : Set.of("no traffic yet");
                if (waiting.isEmpty()) {
                    notServingAtKill = Set.of();
                    return true;
                }
            } catch (RuntimeException e) {
                // the coordinator moving or loading: ask again
            }
            LockSupport.parkNanos(Duration.ofMillis(POLL_MS).toNanos());
        }
        notServingAtKill = Set.copyOf(waiting);
        return false;
    }

    /** Right before the kill: who owns what. */
    void beforeKill() {
        for (Watch watch : watches) {
            membersBefore.put(watch, kafka.members(watch.group()));
        }
    }

    /** Right after the killed process is gone: the clock starts; what a live member must get past. */
    void afterKill() {
        killedAt = System.nanoTime();
        for (Watch watch : watches) {
            clocks.add(new TakeoverClock(endAtStart.get(watch), kafka.endOffsets(List.of(watch.topic())),
                    committedOn(watch)));
        }
    }

    private Map<TopicPartition, Long> committedOn(Watch watch) {
        Map<TopicPartition, Long> committed = new HashMap<>(kafka.committedOffsets(watch.group()));
        committed.keySet().removeIf(partition -> !partition.topic().equals(watch.topic()));
        return committed;
    }

    /**
     * Polls until every partition is served again and caught up, or {@code wait} (from the kill) has passed.
     *
     * @param startTime the restart's start time, empty when a survivor takes over
     */
    Takeover await(String instance, Optional<Duration> startTime, Duration wait) {
        long deadline = killedAt + wait.toNanos();
        while (!clocks.stream().allMatch(TakeoverClock::caughtUp) && System.nanoTime() < deadline) {
            Duration sinceKill = Duration.ofNanos(System.nanoTime() - killedAt);
            for (int i = 0; i < watches.size(); i++) {
                try {
                    clocks.get(i).observe(sinceKill, kafka.committedOffsets(watches.get(i).group()),
                            kafka.endOffsets(List.of(watches.get(i).topic())));
                } catch (RuntimeException e) {
                    // the coordinator moving or loading: the next poll asks again
                }
            }
            LockSupport.parkNanos(Duration.ofMillis(POLL_MS).toNanos());
        }
        Optional<Duration> time = Optional.empty();
        if (clocks.stream().allMatch(TakeoverClock::complete)) {
            time = clocks.stream().map(c -> c.takeover().orElseThrow()).max(Duration::compareTo);
        }
        Optional<Duration> catchUp = Optional.empty();
        if (clocks.stream().allMatch(TakeoverClock::caughtUp)) {
            catchUp = clocks.stream().map(c -> c.catchUp().orElseThrow()).max(Duration::compareTo);
        }
        List<String> detail = new ArrayList<>();
        for (int i = 0; i < watches.size(); i++) {
            TakeoverClock clock = clocks.get(i);
            detail.add(watches.get(i).group() + " on " + watches.get(i).topic() + ": " + clock.watchedPartitions()
                    + " partitions with traffic, " + clock.servedTimes()
                    + (clock.waiting().isEmpty() ? "" : ", waiting " + clock.waiting()
                    + " (no record written after the kill: " + clock.waitingWithoutTraffic() + ")"));
        }
        if (!notServingAtKill.isEmpty()) {
            detail.add("killed before it served everything (so the figure includes its own start-up): "
                    + new java.util.TreeSet<>(notServingAtKill));
        }
        return new Takeover(instance, time, catchUp, startTime, Takeover.bound(startTime), orphaned(),
                String.join("; ", detail));
    }

    /** Partitions owned, before the kill, by the members that are gone now (the killed instance's); -1 unknown. */
    private int orphaned() {
        try {
            int orphaned = 0;
            for (Watch watch : watches) {
                Set<String> gone = new HashSet<>(membersBefore.get(watch).keySet());
                gone.removeAll(kafka.members(watch.group()).keySet());
                for (String member : gone) {
                    orphaned += membersBefore.get(watch).get(member).size();
                }
            }
            return orphaned;
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
