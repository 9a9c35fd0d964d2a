package com.answerline.bench.stage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.answerline.bench.report.Figure;
import com.answerline.schemas.topic.Topics;

/**
 * The Kafka baseline: Kafka's own perf tools ({@code kafka-producer-perf-test}, {@code kafka-consumer-perf-test},
 * i.e. {@code org.apache.kafka.tools.ProducerPerformance} / {@code ConsumerPerformance} from the broker's lib) on a
 * topic of the same partition count as the conversation topics, with records of the size the services write,
 * acks=all. What the broker and a client do on this machine with no application in between.
 */
public final class RawKafkaBaseline {

    static final String STAGE = "kafka";
    static final String TOPIC = "bench-raw-baseline";

    private static final Pattern PRODUCED = Pattern.compile("records sent, ([0-9.]+) records/sec.*?([0-9.]+) ms 99th");

    private final Harness harness;
    private final Path kafkaLib;

    public record Result(double producedPerSecond, double producerP99Millis, double consumedPerSecond) {
    }

    public RawKafkaBaseline(Harness harness, Path kafkaLib) {
        this.harness = harness;
        this.kafkaLib = kafkaLib;
    }

    public Result run(long records, int recordBytes) {
        harness.kafka().deleteTopic(TOPIC);
        harness.kafka().createTopic(TOPIC, Topics.CONVERSATION_PARTITIONS);
        try {
            harness.progress("kafka baseline: producer perf test, " + records + " records of " + recordBytes + " bytes");
            String produced = tool("org.apache.kafka.tools.ProducerPerformance", "--topic", TOPIC,
                    "--num-records", Long.toString(records), "--record-size", Integer.toString(recordBytes),
                    "--throughput", "-1", "--producer-props", "bootstrap.servers=" + harness.kafka().bootstrap(),
                    "acks=all", "linger.ms=5", "enable.idempotence=true");
            Matcher m = PRODUCED.matcher(lastMatching(produced, "records sent"));
            if (!m.find()) {
                throw new IllegalStateException("unexpected ProducerPerformance output:\n" + produced);
            }
            double producedPerSecond = Double.parseDouble(m.group(1));
            double p99 = Double.parseDouble(m.group(2));
            harness.progress("kafka baseline: consumer perf test");
            String consumed = tool("org.apache.kafka.tools.ConsumerPerformance", "--bootstrap-server",
                    harness.kafka().bootstrap(), "--topic", TOPIC, "--messages", Long.toString(records),
                    "--timeout", "60000");
            double consumedPerSecond = consumerRate(consumed);
            Result result = new Result(producedPerSecond, p99, consumedPerSecond);
            harness.report().add(Figure.of(STAGE, "raw produce/s (" + recordBytes + " B, acks=all, 6 partitions)",
                    producedPerSecond, "/s"));
            harness.report().add(Figure.of(STAGE, "raw produce p99 (producer perf test)", p99, "ms"));
            harness.report().add(Figure.of(STAGE, "raw consume/s", consumedPerSecond, "/s"));
            return result;
        } finally {
            harness.kafka().deleteTopic(TOPIC);
        }
    }

    /** ConsumerPerformance's CSV line: the fetch rate in records (fetch.nMsg.sec, without the group's join time). */
    static double consumerRate(String output) {
        String header = null;
        for (String line : output.split("\n")) {
            if (line.startsWith("start.time")) {
                header = line;
            } else if (header != null && !line.isBlank()) {
                String[] names = header.split(",\\s*");
                String[] values = line.split(",\\s*");
                for (int i = 0; i < names.length && i < values.length; i++) {
                    if (names[i].trim().equals("fetch.nMsg.sec")) {
                        return Double.parseDouble(values[i].trim());
                    }
                }
            }
        }
        throw new IllegalStateException("unexpected ConsumerPerformance output:\n" + output);
    }

    private static String lastMatching(String output, String needle) {
        String found = "";
        for (String line : output.split("\n")) {
            if (line.contains(needle)) {
                found = line;
            }
        }
        return found;
    }

    private String tool(String mainClass, String... args) {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx512m", "-cp", kafkaLib.resolve("*").toString(),
                "-Dlog4j2.level=WARN", mainClass));
        command.addAll(List.of(args));
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException(mainClass + " failed:\n" + new String(out, StandardCharsets.UTF_8));
            }
            return new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("could not run " + mainClass + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The java binary of this JVM, for the processes the harness starts. */
    public static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * The command that runs {@code mainClass} of the harness's own class path in a JVM of its own with the services'
     * JVM options (the baselines: a baseline with other options would not be the same platform).
     */
    public static List<String> harnessJava(String serviceJavaOptions, String mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        for (String option : serviceJavaOptions.trim().split("\\s+")) {
            if (!option.isBlank()) {
                command.add(option);
            }
        }
        command.addAll(List.of("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp",
                System.getProperty("java.class.path"), mainClass));
        command.addAll(List.of(args));
        return command;
    }
}
