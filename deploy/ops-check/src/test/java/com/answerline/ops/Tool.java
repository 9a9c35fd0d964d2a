package com.answerline.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An external command-line tool the checks run (promtool, kubectl). A tool that is not installed fails the test with
 * what to install, never a skip: a green build must mean the manifests were really checked. Own code because
 * ProcessBuilder with a timeout is all it takes; no library needed.
 */
record Tool(String name, String executable, String installHint) {

    static final Path ROOT = Path.of(System.getProperty("answerline.root", "../..")).toAbsolutePath().normalize();

    static Tool promtool() {
        return new Tool("promtool", property("ops.promtool", "promtool"),
                "install Debian's prometheus package (apt-get install --no-install-recommends prometheus; deploy/verify does), "
                        + "or point -Dops.promtool at a promtool binary");
    }

    static Tool kubectl() {
        return new Tool("kubectl", property("ops.kubectl", "kubectl"),
                "install kubectl (Debian: apt-get install --no-install-recommends kubernetes-client; deploy/verify does), "
                        + "or point -Dops.kubectl at a kubectl binary");
    }

    static Tool haproxy() {
        return new Tool("haproxy", property("ops.haproxy", "haproxy"),
                "install Debian's haproxy package (apt-get install --no-install-recommends haproxy; deploy/verify does), "
                        + "or point -Dops.haproxy at a haproxy binary");
    }

    private static String property(String key, String fallback) {
        String value = System.getProperty(key);
        return value == null || value.isBlank() || value.startsWith("${") ? fallback : value;
    }

    /** The finished command: exit code and the merged stdout/stderr. */
    record Result(int exitCode, String output, String stdout) {
    }

    Result run(Path workingDirectory, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(executable);
        command.addAll(List.of(arguments));
        try {
            Path stderr = Files.createTempFile("ops-check-" + name, ".err");
            try {
                Process process = new ProcessBuilder(command).directory(workingDirectory.toFile())
                        .redirectError(stderr.toFile()).start();
                process.getOutputStream().close();
                String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                if (!process.waitFor(120, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError(String.join(" ", command) + " did not finish within 120 s");
                }
                String err = Files.readString(stderr);
                return new Result(process.exitValue(), stdout + err, stdout);
            } finally {
                Files.deleteIfExists(stderr);
            }
        } catch (IOException e) {
            throw new AssertionError(name + " could not be run (" + executable + ": " + e.getMessage() + "): "
                    + installHint, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Runs the command and fails the test, with the tool's own output, unless it exits 0. */
    Result succeed(Path workingDirectory, String... arguments) {
        Result result = run(workingDirectory, arguments);
        if (result.exitCode() != 0) {
            throw new AssertionError(name + " " + String.join(" ", arguments) + " exited " + result.exitCode()
                    + ":\n" + result.output());
        }
        return result;
    }
}
