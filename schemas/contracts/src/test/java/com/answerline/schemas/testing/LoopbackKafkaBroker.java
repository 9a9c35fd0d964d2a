package com.answerline.schemas.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;

import com.answerline.schemas.topic.Topics;

/**
 * A real single-node KRaft broker (broker and controller in one) in the test JVM, every listener bound to
 * 127.0.0.1, ready for exactly-once on one node, with topic auto-creation off (services create their topics).
 *
 * <p>Why not spring-kafka-test's {@code EmbeddedKafkaKraftBroker}: its {@code KafkaClusterTestKit} pre-binds each
 * listener port with {@code new InetSocketAddress(port)}, the wildcard address, whatever {@code listeners} says
 * ({@code ss -ltn} shows {@code *:<port>}). This is the local stack's standalone broker ({@code format
 * --standalone}, then start) run in-process, so it binds only where told; {@link #assertListensOnLoopbackOnly()}
 * proves it.
 *
 * <p>Published in the schemas test-jar. Test-scoped dependencies are not transitive, so a module using it needs
 * the broker classes ({@code org.apache.kafka:kafka_2.13}) on its own test classpath; spring-kafka-test brings them.
 */
public final class LoopbackKafkaBroker implements AutoCloseable {

    private static final String LOOPBACK = "127.0.0.1";
    private static final Duration READY_WITHIN = Duration.ofSeconds(90);
    private static final List<Path> SOCKET_TABLES = List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6"));
    /** 127.0.0.1 as /proc/net/tcp writes it (little-endian hex), and its IPv4-mapped form in /proc/net/tcp6. */
    private static final List<String> LOOPBACK_IN_SOCKET_TABLE = List.of("0100007F", "0000000000000000FFFF00000100007F");
    private static final String LISTEN_STATE = "0A";

    private final Path dir;
    private final int brokerPort;
    private final int controllerPort;
    /** The running server; null while {@link #stop() stopped}. */
    private KafkaRaftServer server;
    private boolean closed;

    private LoopbackKafkaBroker(Path dir, int brokerPort, int controllerPort, KafkaRaftServer server) {
        this.dir = dir;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
        this.server = server;
    }

    /** Formats a fresh data folder, starts the broker and returns once it answers a cluster description. */
    public static LoopbackKafkaBroker start() {
        Path dir;
        try {
            dir = Files.createTempDirectory("loopback-kafka");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        KafkaRaftServer server = null;
        try {
            int brokerPort = freeLoopbackPort();
            int controllerPort = freeLoopbackPort();
            Properties config = config(dir, brokerPort, controllerPort);
            format(dir, config);
            server = new KafkaRaftServer(KafkaConfig.fromProps(config), Time.SYSTEM);
            server.startup();
            LoopbackKafkaBroker broker = new LoopbackKafkaBroker(dir, brokerPort, controllerPort, server);
            broker.awaitReady();
            return broker;
        } catch (Exception e) {
            if (server != null) {
                server.shutdown();
                server.awaitShutdown();
            }
            deleteRecursively(dir);
            throw new IllegalStateException("cannot start the loopback Kafka broker", e);
        }
    }

    public String bootstrapServers() {
        return LOOPBACK + ":" + brokerPort;
    }

    public int brokerPort() {
        return brokerPort;
    }

    public int controllerPort() {
        return controllerPort;
    }

    /** Where the broker keeps its data (deleted by {@link #close()}). */
    Path dataDir() {
        return dir;
    }

    /**
     * Throws an {@link AssertionError} unless the broker and controller ports listen on 127.0.0.1 and nowhere else:
     * the kernel's socket tables (Linux {@code /proc/net/tcp}, {@code tcp6}) show each port bound to 127.0.0.1 only,
     * loopback accepts a connection, and every other address of this machine refuses one.
     */
    public void assertListensOnLoopbackOnly() {
        for (int port : new int[] {brokerPort, controllerPort}) {
            List<String> bound = listeningLocalAddresses(port);
            if (bound.isEmpty()) {
                throw new AssertionError("no listening socket on port " + port + " in " + SOCKET_TABLES);
            }
            if (!bound.stream().allMatch(LOOPBACK_IN_SOCKET_TABLE::contains)) {
                throw new AssertionError("port " + port + " is bound to " + bound + " (kernel hex), not only to 127.0.0.1");
            }
            try {
                connect(InetAddress.getByName(LOOPBACK), port);
            } catch (IOException e) {
                throw new AssertionError("loopback refuses port " + port, e);
            }
            for (InetAddress address : otherAddressesOfThisMachine()) {
                try {
                    connect(address, port);
                    throw new AssertionError("port " + port + " answers on " + address.getHostAddress());
                } catch (IOException expected) {
                    // refused: not listening there
                }
            }
        }
    }

    /**
     * Stops the broker (a controlled shutdown: its logs are flushed) but keeps its data folder and its ports, so
     * clients see a broker that went away; {@link #restart()} brings it back. Does nothing when already stopped.
     */
    public synchronized void stop() {
        if (closed) {
            throw new IllegalStateException("the broker is closed");
        }
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    /**
     * Starts a {@link #stop() stopped} broker again on the same ports, with the same data (the folder is already
     * formatted), and returns once it answers a cluster description. Does nothing when it is running.
     */
    public synchronized void restart() {
        if (closed) {
            throw new IllegalStateException("the broker is closed");
        }
        if (server != null) {
            return;
        }
        KafkaRaftServer restarted = new KafkaRaftServer(
                KafkaConfig.fromProps(config(dir, brokerPort, controllerPort)), Time.SYSTEM);
        server = restarted;
        try {
            restarted.startup();
            awaitReady();
        } catch (Exception e) {
            throw new IllegalStateException("cannot restart the loopback Kafka broker on port " + brokerPort, e);
        }
    }

    /** False between {@link #stop()} and {@link #restart()}, and after {@link #close()}. */
    public synchronized boolean isRunning() {
        return server != null && !closed;
    }

    /** Stops the broker and deletes its data folder; safe to call twice (e.g. from a shutdown hook too). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
        deleteRecursively(dir);
    }

    private static Properties config(Path dir, int brokerPort, int controllerPort) {
        Properties config = new Properties();
        config.putAll(Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", "1"),
                Map.entry("listeners", "PLAINTEXT://" + LOOPBACK + ":" + brokerPort + ",CONTROLLER://" + LOOPBACK + ":" + controllerPort),
                Map.entry("advertised.listeners", "PLAINTEXT://" + LOOPBACK + ":" + brokerPort),
                Map.entry("controller.listener.names", "CONTROLLER"),
                Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
                Map.entry("controller.quorum.bootstrap.servers", LOOPBACK + ":" + controllerPort),
                Map.entry("log.dirs", dir.resolve("data").toString()),
                // Services declare their topics; a typo must fail rather than create a one-partition topic.
                Map.entry("auto.create.topics.enable", "false"),
                Map.entry("num.partitions", String.valueOf(Topics.CONVERSATION_PARTITIONS)),
                // One node: the internal topics behind consumer groups and transactions (exactly-once) get one replica.
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("offsets.topic.num.partitions", "3"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("transaction.state.log.num.partitions", "3"),
                Map.entry("min.insync.replicas", "1"),
                Map.entry("group.initial.rebalance.delay.ms", "0")));
        return config;
    }

    private static void format(Path dir, Properties config) throws IOException {
        Path file = dir.resolve("server.properties");
        try (Writer out = Files.newBufferedWriter(file)) {
            config.store(out, "loopback test broker");
        }
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        int exit = StorageTool.execute(new String[] {"format", "--standalone", "-t", Uuid.randomUuid().toString(),
                "-c", file.toString()}, new PrintStream(log, true, StandardCharsets.UTF_8));
        if (exit != 0) {
            throw new IllegalStateException("kafka storage format failed: " + log.toString(StandardCharsets.UTF_8));
        }
    }

    private void awaitReady() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            admin.describeCluster().nodes().get(READY_WITHIN.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /** Local addresses (kernel hex) of the sockets listening on this port, from the Linux socket tables. */
    private static List<String> listeningLocalAddresses(int port) {
        String portHex = String.format("%04X", port);
        List<String> addresses = new ArrayList<>();
        for (Path table : SOCKET_TABLES) {
            if (!Files.isReadable(table)) {
                continue;
            }
            try (Stream<String> lines = Files.lines(table)) {
                lines.skip(1).map(line -> line.trim().split("\\s+"))
                        .filter(fields -> LISTEN_STATE.equals(fields[3]) && fields[1].endsWith(":" + portHex))
                        .forEach(fields -> addresses.add(fields[1].substring(0, fields[1].indexOf(':'))));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return addresses;
    }

    private static List<InetAddress> otherAddressesOfThisMachine() {
        List<InetAddress> addresses = new ArrayList<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                nic.inetAddresses()
                        .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                        .forEach(addresses::add);
            }
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
        return addresses;
    }

    private static void connect(InetAddress address, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 1_000);
        }
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            return socket.getLocalPort();
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder left behind is harmless
        }
    }
}
