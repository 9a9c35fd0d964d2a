package com.answerline.bench.stack;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * The local stack of one data folder, driven through {@code deploy/local/stack} (never by re-implementing it):
 * start and stop it, kill -9 or restart one component, and read each process's memory from {@code /proc}.
 */
public final class Stack {

    /** The four Boot applications, in the stack's start order. */
    public static final List<String> SERVICES = List.of("ingest-service", "session-service", "dispatch-service",
            "provider-sandbox");

    private final Path root;
    private final Path dataDir;
    private final Map<String, String> environment;

    /**
     * @param root        the repository root (holds deploy/local/stack)
     * @param dataDir     the stack's data folder ({@code ANSWERLINE_DATA_DIR})
     * @param environment extra variables for the script (ports, JVM options)
     */
    public Stack(Path root, Path dataDir, Map<String, String> environment) {
        this.root = root.toAbsolutePath().normalize();
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.environment = Map.copyOf(environment);
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path root() {
        return root;
    }

    public Path logs() {
        return dataDir.resolve("logs");
    }

    /** {@code up --detach --no-build} on this data folder. */
    public void up() {
        script(Duration.ofMinutes(5), "up", "--detach", "--no-build");
    }

    /** Stops everything this data folder started. */
    public void stop() {
        script(Duration.ofMinutes(3), "stop");
    }

    /** kill -9 of one component: no shutdown hook, no leave-group, no flush. */
    public void kill(String component) {
        script(Duration.ofSeconds(30), "kill", component);
    }

    /** SIGTERM (then kill -9 after the stack's grace) of one component. */
    public void stop(String component) {
        script(Duration.ofMinutes(2), "stop", component);
    }

    /** Starts one component that is down and waits until it is healthy. */
    public void start(String component) {
        script(Duration.ofMinutes(5), "start", component);
    }

    /** The pid of a running component, from the stack's pid file; empty when it does not run. */
    public OptionalLong pid(String component) {
        Path file = dataDir.resolve("run").resolve(component + ".pid");
        try {
            if (!Files.isRegularFile(file)) {
                return OptionalLong.empty();
            }
            long pid = Long.parseLong(Files.readString(file).trim());
            return Files.exists(Path.of("/proc", Long.toString(pid))) ? OptionalLong.of(pid) : OptionalLong.empty();
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** Resident memory now and at its peak (VmRSS, VmHWM), in MiB, of each running service. */
    public Map<String, Memory> memory() {
        Map<String, Memory> memory = new LinkedHashMap<>();
        for (String service : SERVICES) {
            pid(service).ifPresent(pid -> Memory.of(pid).ifPresent(m -> memory.put(service, m)));
        }
        return memory;
    }

    /** CPU time (user + system) each running component has used so far, in seconds, from /proc/<pid>/stat. */
    public Map<String, Double> cpuSeconds(List<String> components) {
        Map<String, Double> cpu = new LinkedHashMap<>();
        for (String component : components) {
            pid(component).ifPresent(pid -> {
                try {
                    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
                    // Fields after the command name (which may hold spaces, in parentheses): utime is the 14th field.
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    cpu.put(component, ticks / 100.0);
                } catch (IOException | RuntimeException e) {
                    // gone meanwhile
                }
            });
        }
        return cpu;
    }

    /** Resident set of one process, from /proc/<pid>/status. */
    public record Memory(long rssMib, long peakRssMib) {

        static java.util.Optional<Memory> of(long pid) {
            try {
                long rss = -1;
                long hwm = -1;
                for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                    if (line.startsWith("VmRSS:")) {
                        rss = kib(line);
                    } else if (line.startsWith("VmHWM:")) {
                        hwm = kib(line);
                    }
                }
                return rss < 0 ? java.util.Optional.empty() : java.util.Optional.of(new Memory(rss / 1024, hwm / 1024));
            } catch (IOException e) {
                return java.util.Optional.empty();
            }
        }

        private static long kib(String line) {
            return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
    }

    private void script(Duration timeout, String... args) {
        List<String> command = new ArrayList<>();
        command.add(root.resolve("deploy/local/stack").toString());
        command.addAll(List.of(args));
        try {
            Files.createDirectories(dataDir);
            Path log = dataDir.resolveSibling(dataDir.getFileName() + "-script.log");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(root.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().putAll(environment);
            builder.environment().put("ANSWERLINE_DATA_DIR", dataDir.toString());
            long offset = Files.exists(log) ? Files.size(log) : 0;
            Process process = builder.start();
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("deploy/local/stack " + String.join(" ", args) + " did not finish in "
                        + timeout + "; see " + log);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("deploy/local/stack " + String.join(" ", args) + " failed (exit "
                        + process.exitValue() + "):\n" + tail(log, offset));
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not run deploy/local/stack: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running deploy/local/stack", e);
        }
    }

    private static String tail(Path log, long offset) throws IOException {
        byte[] bytes = Files.readAllBytes(log);
        String text = new String(bytes, (int) Math.min(offset, bytes.length), (int) Math.max(0, bytes.length - offset),
                StandardCharsets.UTF_8);
        String[] lines = text.split("\n");
        return String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 40), lines.length));
    }
}
