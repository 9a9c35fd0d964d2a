package com.answerline.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import com.answerline.bench.faults.FaultSuite;
import com.answerline.bench.stack.Stack;

/**
 * Starts the real local stack ({@code deploy/local/stack up --detach}) once per test run, on a fresh data
 * folder under {@code target/}, and stops it when the run ends. The stack runs the jars the reactor packaged
 * earlier ({@code --no-build}: a nested Maven build here would hide a missing jar behind minutes of building).
 *
 * <p>Default ports unless the ANSWERLINE_*_PORT variables of the stack script say otherwise (they are passed
 * through, and {@link StackHttp} reads the same ones). A port already taken (a developer's own stack, say)
 * fails the start with the port and its owner named. Prometheus is started too when it is installed.
 */
public final class LocalStackExtension implements BeforeAllCallback {

    private static final long START_TIMEOUT_SECONDS = 240;

    @Override
    public void beforeAll(ExtensionContext context) {
        // The root store outlives every test class: one stack for the whole run, stopped when the run closes it.
        // A failed start is remembered too, so the next test class fails at once instead of trying again.
        StartAttempt attempt = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(StartAttempt.class, key -> StartAttempt.run(), StartAttempt.class);
        if (attempt.failure() != null) {
            throw attempt.failure();
        }
    }

    record StartAttempt(RunningStack stack, IllegalStateException failure)
            implements ExtensionContext.Store.CloseableResource {

        static StartAttempt run() {
            try {
                return new StartAttempt(RunningStack.start(), null);
            } catch (IllegalStateException e) {
                return new StartAttempt(null, e);
            }
        }

        @Override
        public void close() {
            if (stack != null) {
                stack.close();
            }
        }
    }

    /** The e2e run's stack as deploy/bench's harness drives it (the smoke ITs of the proof suites). */
    static Stack stack() {
        return new Stack(repoRoot(), dataDir(), FaultSuite.STACK_ENVIRONMENT);
    }

    /** Where the stack keeps its state, pid files and logs. */
    static Path dataDir() {
        return Paths.get(System.getProperty("answerline.stack.data", "target/stack-data")).toAbsolutePath().normalize();
    }

    static Path repoRoot() {
        return Paths.get(System.getProperty("answerline.root", "../..")).toAbsolutePath().normalize();
    }

    /** Pids of the stack's processes, from its pid files. */
    static List<Long> pids() throws IOException {
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> files = Files.list(dataDir().resolve("run"))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".pid")).toList()) {
                pids.add(Long.parseLong(Files.readString(file).trim()));
            }
        }
        return pids;
    }

    static final class RunningStack {

        private final Thread shutdownHook = new Thread(RunningStack::stopQuietly, "local-stack-stop");

        static RunningStack start() {
            try {
                // A stack left running by an aborted earlier run would hold the ports; then start afresh.
                run("stop");
                deleteRecursively(dataDir());
                int exit = run("up", "--detach", "--no-build");
                if (exit != 0) {
                    throw new IllegalStateException("deploy/local/stack up failed (exit " + exit + "); logs in "
                            + dataDir().resolve("logs") + lastLinesOfServiceLogs());
                }
                RunningStack stack = new RunningStack();
                Runtime.getRuntime().addShutdownHook(stack.shutdownHook);
                return stack;
            } catch (IOException e) {
                throw new IllegalStateException("could not run deploy/local/stack", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting the stack", e);
            }
        }

        void close() {
            stopQuietly();
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook runs or ran anyway
            }
        }

        private static void stopQuietly() {
            try {
                run("stop");
            } catch (IOException e) {
                System.err.println("could not stop the local stack: " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Runs the stack script; its output goes to a log and is then echoed (never to this JVM's raw stdout). */
        private static int run(String... args) throws IOException, InterruptedException {
            Path root = repoRoot();
            Path log = Files.createDirectories(dataDir().getParent()).resolve("stack-" + args[0] + ".log");
            List<String> command = new ArrayList<>();
            command.add(root.resolve("deploy/local/stack").toString());
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(root.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            builder.environment().put("ANSWERLINE_DATA_DIR", dataDir().toString());
            // Prometheus scrapes every 5 s (not 15 s): MonitoringLiveIT then sees the series its traffic made sooner.
            builder.environment().putIfAbsent("ANSWERLINE_PROMETHEUS_SCRAPE_INTERVAL", "5s");
            // dispatch reads the template lists every 10 s (not 5 min): the auto-generated template of a Direct Send
            // reaches its gauge while MonitoringLiveIT waits for it.
            builder.environment().putIfAbsent("ANSWERLINE_DISPATCH_TEMPLATES_SYNCINTERVAL", "10s");
            // The fault suite's settings (an in-doubt send's deadline of 60 s, not 5 min): a kill -9 of dispatch
            // between a send's ledger entry and its HTTP request leaves it in doubt, and FaultSmokeIT waits 120 s for
            // every reply's final outcome. The restarts of stack() get the same.
            FaultSuite.STACK_ENVIRONMENT.forEach(builder.environment()::putIfAbsent);
            Process process = builder.start();
            if (!process.waitFor(START_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroy();
                throw new IllegalStateException("deploy/local/stack " + String.join(" ", args) + " did not finish in "
                        + START_TIMEOUT_SECONDS + "s; see " + log);
            }
            System.out.println(Files.readString(log, StandardCharsets.UTF_8));
            return process.exitValue();
        }

        private static String lastLinesOfServiceLogs() throws IOException {
            Path logs = dataDir().resolve("logs");
            if (!Files.isDirectory(logs)) {
                return "";
            }
            StringBuilder out = new StringBuilder();
            try (Stream<Path> files = Files.list(logs)) {
                for (Path file : files.sorted().toList()) {
                    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
                    out.append("\n--- ").append(file.getFileName()).append(" (last 15 lines) ---\n");
                    lines.subList(Math.max(0, lines.size() - 15), lines.size()).forEach(l -> out.append(l).append('\n'));
                }
            }
            return out.toString();
        }

        private static void deleteRecursively(Path dir) throws IOException {
            if (!Files.exists(dir)) {
                return;
            }
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }
}
