package com.answerline.bench.stage;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import com.answerline.avro.DispatchOutcome;
import com.answerline.schemas.outcome.OutcomeReasons;
import com.answerline.schemas.topic.Topics;

/**
 * Follows {@code dispatch-outcomes} (read_committed) for a set of command ids, in a thread of its own: the first
 * final outcome of each and when it was read, every final copy (a republished outcome is the same outcome again),
 * and distinct final outcomes (a FAILOVER superseding a SENT counts as the command's final word, see the contract).
 */
public final class Outcomes implements AutoCloseable {

    /** The final outcome of one command as first read. */
    public record Final(DispatchOutcome outcome, long readAtNanos, long readAtMillis) {
    }

    private final Map<String, Final> finals = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> distinct = new ConcurrentHashMap<>();
    private final AtomicLong copies = new AtomicLong();
    private final Set<String> commands;
    private final Thread reader;
    private volatile boolean stop;

    /** Starts reading from the current end of the topic: call before the commands are produced. */
    public Outcomes(Harness harness, Set<String> commands, Duration timeout) {
        this(harness, commands, outcome -> commands.contains(outcome.getCommandId()), timeout);
    }

    /**
     * Follows the outcomes {@code followed} selects (e.g. by conversation, when the command ids are only known later,
     * from the gateway's answers); {@code commands} is what {@link #allFinal} waits for and may grow meanwhile.
     */
    public Outcomes(Harness harness, Set<String> commands, java.util.function.Predicate<DispatchOutcome> followed,
                    Duration timeout) {
        this.commands = commands;
        String topic = Topics.DISPATCH_OUTCOMES.name();
        Map<TopicPartition, Long> from = harness.kafka().endOffsets(List.of(topic));
        this.reader = new Thread(() -> {
            try (KafkaConsumer<String, Object> consumer = harness.kafka().avroConsumer()) {
                harness.kafka().readUntil(consumer, List.of(topic), from, record -> {
                    if (record.value() instanceof DispatchOutcome outcome && outcome.getFinal$() && followed.test(outcome)) {
                        copies.incrementAndGet();
                        finals.putIfAbsent(outcome.getCommandId(),
                                new Final(outcome, System.nanoTime(), System.currentTimeMillis()));
                        distinct.computeIfAbsent(outcome.getCommandId(), id -> ConcurrentHashMap.newKeySet())
                                .add(outcome.getStep() + "/" + outcome.getStatus() + "/" + OutcomeReasons.of(outcome));
                    }
                }, () -> stop, timeout);
            }
        }, "bench-outcomes-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** The commands {@link #allFinal} waits for (add to it while the commands become known). */
    public Set<String> commands() {
        return commands;
    }

    public int finalCount() {
        return finals.size();
    }

    /**
     * How many of {@code commands} have no final outcome among {@code finals}, counted per command id: outcomes of
     * other commands (the reader follows whole conversations) never make up for a missing one.
     */
    public static long withoutFinal(Set<String> commands, Map<String, ?> finals) {
        return commands.stream().filter(command -> !finals.containsKey(command)).count();
    }

    /** {@link #withoutFinal(Set, Map)} of the commands this reader waits for. */
    public long withoutFinal() {
        return withoutFinal(Set.copyOf(commands), finals);
    }

    public boolean allFinal() {
        return finals.keySet().containsAll(commands);
    }

    /** Waits (bounded) until every command has a final outcome; true when they all have. */
    public boolean awaitAll(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!allFinal() && System.nanoTime() < deadline && reader.isAlive()) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return allFinal();
    }

    public Map<String, Final> finals() {
        return Map.copyOf(finals);
    }

    /** Commands with more than one distinct final outcome (not counting a FAILOVER that superseded SENT). */
    public Map<String, Set<String>> conflicting() {
        Map<String, Set<String>> conflicting = new java.util.TreeMap<>();
        distinct.forEach((command, outcomes) -> {
            long failovers = outcomes.stream().filter(o -> o.startsWith("FAILOVER/")).count();
            if (outcomes.size() - failovers > 1 || failovers > 1) {
                conflicting.put(command, Set.copyOf(outcomes));
            }
        });
        return conflicting;
    }

    /** Final records read, copies included. */
    public long copies() {
        return copies.get();
    }

    @Override
    public void close() {
        stop = true;
        try {
            reader.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
