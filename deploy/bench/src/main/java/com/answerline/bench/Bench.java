package com.answerline.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.answerline.bench.baseline.MinimalWebhookHandler;
import com.answerline.bench.report.CommandLine;
import com.answerline.bench.report.Figure;
import com.answerline.bench.report.Report;
import com.answerline.bench.stack.Endpoints;
import com.answerline.bench.stack.Stack;
import com.answerline.bench.stage.DispatchBaseline;
import com.answerline.bench.stage.DispatchStage;
import com.answerline.bench.stage.EndToEndStage;
import com.answerline.bench.stage.FoldBaseline;
import com.answerline.bench.stage.FoldStage;
import com.answerline.bench.stage.Harness;
import com.answerline.bench.stage.IngestStage;
import com.answerline.bench.stage.RawKafkaBaseline;
import com.answerline.bench.stage.ThreadReadProbe;
import com.answerline.bench.traffic.MetaWebhooks;
import com.answerline.schemas.topic.Topics;

/**
 * The benchmark against a running local stack ({@code deploy/bench/benchmark} starts one and calls this): the
 * raw-Kafka baseline, ingest with its no-op HTTP baseline, fold, dispatch and end to end, then each service's memory
 * and CPU. Prints the table and the {@code BENCH_RESULT} line; exits 1 when a correctness check failed (never for a
 * missed target: figures inform, see docs/benchmarks.md).
 *
 * <p>Arguments: {@code [--smoke] [--stages kafka,ingest,fold,dispatch,e2e] [--data-dir DIR] [--kafka-lib DIR]
 * [--out FILE]}.
 */
public final class Bench {

    /** The sizes of one run. */
    public record Plan(String mode, IngestStage.Settings ingest, FoldStage.Settings fold, DispatchStage.Settings dispatch,
                       EndToEndStage.Settings endToEnd, long rawKafkaRecords) {

        /** The figures docs/benchmarks.md records. */
        public static Plan full() {
            return new Plan("full",
                    new IngestStage.Settings(10_000, 200_000, 128, 200_000, 40_000, 5_000),
                    new FoldStage.Settings(300_000, 3_000, Duration.ofMinutes(5)),
                    new DispatchStage.Settings(1_000, 3_000, 60_000, 60_000, Duration.ofMinutes(5)),
                    new EndToEndStage.Settings(300, 10, Duration.ofMinutes(2)),
                    2_000_000);
        }

        /** Seconds, for the test suite: every stage runs and is checked, the figures mean little. */
        public static Plan smoke() {
            return new Plan("smoke",
                    new IngestStage.Settings(100, 300, 8, 300, 200, 50),
                    new FoldStage.Settings(3_000, 30, Duration.ofMinutes(1)),
                    new DispatchStage.Settings(10, 50, 100, 100, Duration.ofMinutes(1)),
                    new EndToEndStage.Settings(5, 5, Duration.ofMinutes(1)),
                    20_000);
        }
    }

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        CommandLine command = CommandLine.parse(args);
        Plan plan = command.smoke() ? Plan.smoke() : Plan.full();
        Set<String> stages = Set.of(command.get("stages", "kafka,ingest,fold,dispatch,e2e").split(","));
        Path kafkaLib = Path.of(command.get("kafka-lib", command.root().resolve("deploy/local/kafka/target/lib").toString()));
        command.finish(run(plan, stages, Endpoints.fromEnvironment(), new Stack(command.root(), command.dataDir(), Map.of()),
                kafkaLib));
    }

    /** Runs the plan's stages against the stack and returns the report (the smoke IT calls this). */
    public static Report run(Plan plan, Set<String> stages, Endpoints endpoints, Stack stack, Path kafkaLib)
            throws IOException, InterruptedException {
        String javaOptions = System.getenv().getOrDefault("ANSWERLINE_SERVICE_JAVA_OPTS", "");
        Report report = new Report("answerline benchmark (" + plan.mode() + ")")
                .context("machine", machine())
                .context("serviceJavaOptions", javaOptions)
                .context("startedAt", java.time.Instant.now().toString());
        long runId = System.currentTimeMillis() / 1000;
        Map<String, Stack.Memory> peak = new LinkedHashMap<>();
        try (Harness harness = new Harness(endpoints, runId, report, javaOptions)) {
            RawKafkaBaseline.Result kafka = null;
            if (stages.contains("kafka")) {
                kafka = new RawKafkaBaseline(harness, kafkaLib).run(plan.rawKafkaRecords(),
                        FoldStage.recordBytes(endpoints.registry()));
            }
            if (stages.contains("ingest")) {
                String minimalTopic = "bench-minimal-webhooks";
                harness.kafka().deleteTopic(minimalTopic);
                harness.kafka().createTopic(minimalTopic, Topics.CONVERSATION_PARTITIONS);
                Process noop = startListening(javaOptions, "com.answerline.bench.load.NoopServer", "0");
                Process minimal = null;
                try {
                    String noopUrl = "http://127.0.0.1:" + port(noop) + "/webhooks/whatsapp";
                    minimal = startListening(javaOptions, MinimalWebhookHandler.class.getName(),
                            harness.kafka().bootstrap(), minimalTopic, MetaWebhooks.DEMO_APP_SECRET);
                    String minimalUrl = "http://127.0.0.1:" + port(minimal) + MinimalWebhookHandler.PATH;
                    // A 500-message thread, read through the gateway while the stage's load runs (issue 16).
                    ThreadReadProbe threadReads = new ThreadReadProbe(harness);
                    threadReads.seed(Duration.ofMinutes(2));
                    IngestStage.Baselines baselines = new IngestStage.Baselines(noopUrl, minimalUrl, minimalTopic);
                    measured(harness, stack, "ingest", () -> new IngestStage(harness, plan.ingest()).run(baselines,
                            threadReads));
                } finally {
                    for (Process baseline : new Process[] {noop, minimal}) {
                        if (baseline != null) {
                            baseline.destroy();
                            baseline.waitFor(10, TimeUnit.SECONDS);
                        }
                    }
                    harness.kafka().deleteTopic(minimalTopic);
                }
            }
            if (stages.contains("fold")) {
                // The fair baseline first, alone on the machine's Kafka: then the fold, held to 0.6x it (issue 20).
                double minimalFold = new FoldBaseline(harness).run(plan.fold());
                measured(harness, stack, "fold", () -> new FoldStage(harness, plan.fold()).run());
                if (minimalFold > 0) {
                    relate(report, "fold", "events folded/s", FoldBaseline.NAME, minimalFold, 0.6);
                }
            }
            if (stages.contains("dispatch")) {
                // The fair baseline first, outside the stage's measured time (issue 20): then dispatch, held to 0.5x it
                // at full speed.
                DispatchStage dispatch = new DispatchStage(harness, plan.dispatch());
                double minimalSend = dispatch.baseline();
                measured(harness, stack, "dispatch", dispatch::run);
                if (minimalSend > 0) {
                    relate(report, "dispatch", "final outcomes/s full speed", DispatchBaseline.NAME, minimalSend, 0.5);
                }
            }
            if (stages.contains("e2e")) {
                measured(harness, stack, "e2e", () -> new EndToEndStage(harness, plan.endToEnd()).run());
            }
            stack.memory().forEach(peak::put);
            if (kafka != null) {
                relate(report, "fold", "events folded/s", "raw produce/s", kafka.producedPerSecond(), null);
                relate(report, "dispatch", "final outcomes/s", "raw produce/s", kafka.producedPerSecond(), null);
            }
        }
        peak.forEach((service, memory) -> report.add(Figure.of("memory", service + " peak RSS", memory.peakRssMib(), "MiB")
                .below(512)));
        return report;
    }

    /** Runs a stage and adds the CPU each process used meanwhile, in cores (CPU seconds per wall second). */
    private static void measured(Harness harness, Stack stack, String stage, Runnable body) {
        List<String> processes = new ArrayList<>(Stack.SERVICES);
        processes.add("kafka");
        processes.add("registry");
        Map<String, Double> before = stack.cpuSeconds(processes);
        double harnessBefore = harnessCpuSeconds();
        long start = System.nanoTime();
        body.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Double> after = stack.cpuSeconds(processes);
        StringBuilder cpu = new StringBuilder();
        after.forEach((process, total) -> {
            double cores = (total - before.getOrDefault(process, total)) / seconds;
            cpu.append(String.format(java.util.Locale.ROOT, "%s %.2f, ", process, cores));
        });
        cpu.append(String.format(java.util.Locale.ROOT, "harness %.2f", (harnessCpuSeconds() - harnessBefore) / seconds));
        harness.report().note(stage + " (" + Math.round(seconds) + " s): CPU cores used: " + cpu);
    }

    private static double harnessCpuSeconds() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime() / 1e9;
    }

    /**
     * Gives the stage's figures named {@code measurePrefix...} that have no baseline yet this one; with
     * {@code minimumRatio}, their target becomes that fraction of it.
     */
    private static void relate(Report report, String stage, String measurePrefix, String baselineName, double value,
                               Double minimumRatio) {
        List<Figure> figures = report.figures();
        for (Figure f : figures) {
            if (f.stage().equals(stage) && f.measure().startsWith(measurePrefix) && f.baseline() == null) {
                Figure related = f.against(baselineName, value);
                report.replace(f, minimumRatio == null ? related : related.atLeast(minimumRatio * value));
            }
        }
    }

    /** A baseline server ({@code NoopServer}, {@code MinimalWebhookHandler}) in its own JVM with the services' options. */
    private static Process startListening(String javaOptions, String mainClass, String... args) throws IOException {
        List<String> command = RawKafkaBaseline.harnessJava(javaOptions, mainClass, args);
        // Its stderr (logging warnings of whatever class path the caller has) is the caller's; stdout carries the port.
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** The port a baseline server says it listens on ({@code listening <port>}, its first line). */
    private static int port(Process server) throws IOException {
        BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        if (line == null || !line.startsWith("listening ")) {
            throw new IllegalStateException("baseline server did not start: " + line);
        }
        return Integer.parseInt(line.substring("listening ".length()).trim());
    }

    private static String machine() {
        StringBuilder machine = new StringBuilder();
        machine.append(Runtime.getRuntime().availableProcessors()).append(" cores");
        try {
            Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name")).findFirst()
                    .ifPresent(l -> machine.append(", ").append(l.substring(l.indexOf(':') + 1).trim()));
            Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal")).findFirst()
                    .ifPresent(l -> machine.append(", ").append(Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024 / 1024)
                            .append(" GiB"));
        } catch (IOException e) {
            // not Linux: cores only
        }
        machine.append(", ").append(System.getProperty("os.name")).append(' ').append(System.getProperty("os.version"))
                .append(", Java ").append(System.getProperty("java.version"));
        return machine.toString();
    }
}
