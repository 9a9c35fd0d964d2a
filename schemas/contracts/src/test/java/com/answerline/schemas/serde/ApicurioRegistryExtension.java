package com.answerline.schemas.serde;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts the real Apicurio Registry (unpacked from its Maven Central tarball by maven-dependency-plugin in
 * pre-integration-test) as a child JVM on a free 127.0.0.1 port, once per test run, with global compatibility
 * BACKWARD as in the local stack; kills it when the run ends. Test methods get it as an {@link ApicurioRegistry}
 * parameter.
 */
public class ApicurioRegistryExtension implements ParameterResolver {

    /** The running registry: its Confluent-compatible API base URL. */
    public record ApicurioRegistry(String ccompatUrl) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == ApicurioRegistry.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.create(ApicurioRegistryExtension.class))
                .computeIfAbsent(RunningRegistry.class, k -> RunningRegistry.start(), RunningRegistry.class)
                .registry();
    }

    private record RunningRegistry(Process process, ApicurioRegistry registry) implements AutoCloseable {

        static RunningRegistry start() {
            Path home = Path.of(System.getProperty("apicurio.home", "target/apicurio"));
            Path runner = runnerJar(home);
            int port = freePort();
            Path log = home.resolveSibling("apicurio-registry.log");
            Process process;
            try {
                process = new ProcessBuilder(javaExecutable(), "-Xmx384m", "-XX:+UseSerialGC",
                        "-Dquarkus.http.host=127.0.0.1",
                        "-Dquarkus.management.enabled=false", // no second listener

                        "-Dquarkus.http.port=" + port,
                        "-Dregistry.ccompat.use-canonical-hash=true",
                        "-jar", runner.toString())
                        .directory(home.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start Apicurio Registry from " + runner, e);
            }
            RunningRegistry running = new RunningRegistry(process,
                    new ApicurioRegistry("http://127.0.0.1:" + port + "/apis/ccompat/v7"));
            try {
                await("Apicurio Registry on port " + port + " ready (log: " + log + ")")
                        .atMost(Duration.ofSeconds(180)) // about 2 s idle, 40 s seen on a loaded 2-core box
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> {
                            if (!process.isAlive()) {
                                throw new IllegalStateException("Apicurio Registry exited with " + process.exitValue()
                                        + "; see " + log);
                            }
                            return status("GET", running.registry().ccompatUrl() + "/config", null) == 200;
                        });
                int status = status("PUT", running.registry().ccompatUrl() + "/config", "{\"compatibility\":\"BACKWARD\"}");
                if (status != 200) {
                    throw new IllegalStateException("setting global compatibility BACKWARD answered HTTP " + status);
                }
            } catch (RuntimeException e) {
                running.close();
                throw e;
            }
            return running;
        }

        @Override
        public void close() {
            process.destroy();
            try {
                if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }

        private static int status(String method, String url, String body) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                    .header("Content-Type", "application/vnd.schemaregistry.v1+json");
            request.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
            try {
                return HTTP.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (IOException e) {
                return -1; // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return -1;
            }
        }

        private static Path runnerJar(Path home) {
            try (Stream<Path> files = Files.list(home)) {
                List<Path> runners = files.filter(f -> f.getFileName().toString().matches("apicurio-registry-app-.*-runner\\.jar"))
                        .toList();
                if (runners.size() != 1) {
                    throw new IllegalStateException("expected one apicurio-registry-app-*-runner.jar in " + home
                            + " (unpacked by maven-dependency-plugin in pre-integration-test), found " + runners);
                }
                return runners.get(0);
            } catch (IOException e) {
                throw new UncheckedIOException("no unpacked Apicurio Registry in " + home
                        + "; run the integration tests through Maven (./mvnw -B -pl schemas/contracts verify)", e);
            }
        }

        private static int freePort() {
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static String javaExecutable() {
            return Path.of(System.getProperty("java.home"), "bin", "java" + (File.separatorChar == '\\' ? ".exe" : "")).toString();
        }
    }
}
