package com.answerline.bench.stage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import com.answerline.bench.baseline.MinimalFold;
import com.answerline.bench.report.Check;
import com.answerline.bench.report.Figure;
import com.answerline.schemas.topic.Topics;

/**
 * The fold's fair baseline: {@link MinimalFold} in its own JVM (the services' JVM options), on a topic of its own with
 * the partitions of {@code inbound-messages}, fed the fold stage's batch (same messages, conversations and producer)
 * while nothing else consumes it. Its rate, measured as the fold's (from the first record produced until every
 * conversation's count is on its output topic, read committed), is what a stateful exactly-once fold costs on this
 * machine with nothing of ours in it; its counts are checked exactly as the fold's, so a baseline that skipped or
 * double-counted events cannot set the bar.
 */
public final class FoldBaseline {

    static final String IN = "bench-minimal-fold-in";
    static final String OUT = "bench-minimal-fold-counts";
    public static final String NAME = "minimal Streams fold (EOS, RocksDB)";

    private final Harness harness;

    public FoldBaseline(Harness harness) {
        this.harness = harness;
    }

    /** Runs the baseline on {@code settings}' batch and returns its events per second (0 when it counted nothing). */
    public double run(FoldStage.Settings settings) {
        String applicationId = "bench-minimal-fold-" + harness.runId();
        List<String> topics = List.of(IN, OUT, applicationId + "-" + MinimalFold.STORE + "-changelog");
        topics.forEach(harness.kafka()::deleteTopic);
        harness.kafka().createTopic(IN, Topics.CONVERSATION_PARTITIONS);
        harness.kafka().createTopic(OUT, Topics.CONVERSATION_PARTITIONS);
        Path stateDir = null;
        try {
            stateDir = Files.createTempDirectory("bench-minimal-fold");
            try (BaselineProcess app = BaselineProcess.start(harness, NAME, MinimalFold.class.getName(),
                    harness.kafka().bootstrap(), harness.endpoints().registry(), IN, OUT, applicationId, stateDir.toString())) {
                return measure(settings);
            }
        } catch (IOException e) {
            harness.report().add(Check.of(FoldStage.STAGE, "baseline: " + NAME + " ran", false, e.toString()));
            return 0;
        } finally {
            topics.forEach(harness.kafka()::deleteTopic);
            delete(stateDir);
        }
    }

    /** The batch through the running baseline: its figure and exactness check; its rate when exact, else 0. */
    private double measure(FoldStage.Settings settings) {
        FoldStage.Timed baseline = FoldStage.timed(harness, settings, IN, "minimal fold", (conversations, reached) -> {
            try (KafkaConsumer<String, Long> consumer = harness.kafka().longConsumer()) {
                Map<TopicPartition, Long> from = new HashMap<>();
                harness.kafka().partitions(List.of(OUT)).forEach(p -> from.put(p, 0L));
                return FoldedCounts.read(consumer, from, conversations, reached,
                        () -> harness.kafka().endOffsets(List.of(OUT)), settings.timeout(),
                        record -> record.value() == null ? null : Map.entry(record.key(), record.value()));
            }
        });
        harness.report().add(Figure.of(FoldStage.STAGE, NAME + " events/s", baseline.foldedPerSecond(), "/s"));
        Check exact = baseline.foldedOnce();
        harness.report().add(Check.of(FoldStage.STAGE, "baseline: " + exact.what(), exact.passed(), exact.detail()));
        return exact.passed() ? baseline.foldedPerSecond() : 0;
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp folder left behind
        }
    }
}
