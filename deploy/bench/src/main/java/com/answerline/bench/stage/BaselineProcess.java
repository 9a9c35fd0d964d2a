package com.answerline.bench.stage;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A baseline app ({@code com.answerline.bench.baseline}) in a JVM of its own with the services' JVM options: started
 * until it prints {@code running}, stopped by closing its standard input (then killed if it does not exit).
 */
final class BaselineProcess implements AutoCloseable {

    private final Process app;

    private BaselineProcess(Process app) {
        this.app = app;
    }

    /** Starts {@code mainClass} with {@code args}; fails when it has not said {@code running} within 2 minutes. */
    static BaselineProcess start(Harness harness, String name, String mainClass, String... args) throws IOException {
        List<String> command = RawKafkaBaseline.harnessJava(harness.serviceJavaOptions(), mainClass, args);
        Process app = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Boolean> running = CompletableFuture.supplyAsync(() -> {
            try {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    if (line.equals("running")) {
                        return true;
                    }
                }
                return false;
            } catch (IOException e) {
                return false;
            }
        });
        try {
            if (running.get(2, TimeUnit.MINUTES)) {
                return new BaselineProcess(app);
            }
        } catch (ExecutionException | TimeoutException e) {
            // below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        app.destroyForcibly();
        throw new IOException(name + " did not say it was running within 2 minutes (exit "
                + (app.isAlive() ? "none" : app.exitValue()) + ")");
    }

    @Override
    public void close() {
        try {
            app.getOutputStream().close();
            if (!app.waitFor(30, TimeUnit.SECONDS)) {
                app.destroyForcibly();
            }
        } catch (IOException e) {
            app.destroyForcibly();
        } catch (InterruptedException e) {
            app.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
