package com.answerline.session;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import com.answerline.platform.testing.TestTokens;
import com.answerline.schemas.testing.LoopbackKafkaBroker;

/**
 * Instances of the whole application in this JVM, on a broker of their own (also in this JVM) with the in-memory
 * registry, each instance with its own port and state directory; {@link #close()} stops them and the broker.
 */
final class SessionApps implements AutoCloseable {

    /** The identity provider of the session ITs in this JVM: every API call carries an agent's token of it. */
    static final TestTokens TOKENS = TestTokens.start();

    private final LoopbackKafkaBroker broker;
    private final String registry;
    private final List<ConfigurableApplicationContext> started = new ArrayList<>();

    private SessionApps(LoopbackKafkaBroker broker, String registry) {
        this.broker = broker;
        this.registry = registry;
    }

    /** A new broker for instances that use {@code registry} ({@code mock://<scope>}). */
    static SessionApps onNewBroker(String registry) throws Exception {
        return new SessionApps(LoopbackKafkaBroker.start(), registry);
    }

    LoopbackKafkaBroker broker() {
        return broker;
    }

    /** One instance of {@code applicationId}, answering on 127.0.0.1:{@code port}; {@code extra}: more arguments. */
    ConfigurableApplicationContext start(String applicationId, Path dataDir, int port, String... extra) {
        List<String> arguments = new ArrayList<>(List.of(
                "--server.port=" + port,
                "--answerline.session.data-dir=" + dataDir,
                "--answerline.session.jwt.jwks-uri=" + TOKENS.jwksUri(),
                "--management.server.port=0",
                "--spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                "--spring.kafka.properties.schema.registry.url=" + registry,
                "--answerline.session.streams.application-id=" + applicationId,
                "--answerline.session.streams.application-server=",
                "--answerline.session.streams.commit-interval=50ms",
                // The in-JVM broker logs every partition at INFO.
                "--logging.level.kafka=WARN",
                "--logging.level.state.change.logger=WARN",
                "--logging.level.org.apache.kafka.storage=WARN",
                "--logging.level.org.apache.kafka.controller=WARN",
                "--logging.level.org.apache.kafka.raft=WARN",
                "--logging.level.org.apache.kafka.coordinator=WARN"));
        arguments.addAll(List.of(extra));
        ConfigurableApplicationContext context = new SpringApplicationBuilder(SessionServiceApplication.class)
                .run(arguments.toArray(String[]::new));
        started.add(context);
        return context;
    }

    /** The Authorization header of an agent of {@code tenant}. */
    static String bearer(String tenant) {
        return "Bearer " + TOKENS.agent("agent-7", tenant);
    }

    /** A port free on 127.0.0.1 right now. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        started.forEach(ConfigurableApplicationContext::close);
        broker.close();
    }
}
