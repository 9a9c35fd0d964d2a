package com.answerline.ingest.it;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.Uuid;

/**
 * A real single-node KRaft broker in a child JVM, every listener bound to 127.0.0.1, started from the
 * kafka_2.13 classes already on the test classpath.
 *
 * <p>Why not spring-kafka-test's embedded broker: its KafkaClusterTestKit pre-binds each listener port with
 * {@code new InetSocketAddress(port)}, the wildcard address, whatever {@code listeners} says (seen with
 * {@code ss -ltn}: {@code *:<port>} while the broker logs 127.0.0.1). This one binds only where told.
 */
final class LoopbackKafkaBroker implements AutoCloseable {

    private final Process process;
    private final Path dataDir;
    private final int port;

    private LoopbackKafkaBroker(Process process, Path dataDir, int port) {
        this.process = process;
        this.dataDir = dataDir;
        this.port = port;
    }

    static LoopbackKafkaBroker start() {
        try {
            Path dir = Files.createTempDirectory("ingest-it-kafka");
            int port = freePort();
            int controllerPort = freePort();
            Path config = dir.resolve("server.properties");
            Files.writeString(config, String.join("\n",
                    "process.roles=broker,controller",
                    "node.id=1",
                    "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                    "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                    "controller.listener.names=CONTROLLER",
                    "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                    "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                    "log.dirs=" + dir.resolve("logs"),
                    "offsets.topic.replication.factor=1",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "group.initial.rebalance.delay.ms=0",
                    "num.partitions=1",
                    ""));
            Path output = dir.resolve("broker.log");
            run(List.of("kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString()),
                    output).waitFor(60, TimeUnit.SECONDS);
            Process broker = run(List.of("kafka.Kafka", config.toString()), output);
            LoopbackKafkaBroker started = new LoopbackKafkaBroker(broker, dir, port);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(started::accepting);
            return started;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    int port() {
        return port;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (var paths = Files.walk(dataDir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp directory left behind is harmless
        }
    }

    private boolean accepting() {
        if (!process.isAlive()) {
            throw new IllegalStateException("broker exited with " + process.exitValue() + ", see " + dataDir.resolve("broker.log"));
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    private static Process run(List<String> mainAndArgs, Path output) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path")));
        command.addAll(mainAndArgs);
        return new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile())).start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
