package com.answerline.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The walking skeleton on a broker that accepts clients only over SASL_SSL (SCRAM-SHA-512 over TLS, a CA and
 * certificates made with keytool for this run), as a managed cluster does: {@code deploy/local/stack up --secure} on
 * ports of its own, beside the e2e run's plaintext stack. Every Kafka client of every service (Streams apps, producers,
 * the live-event feed, dead letters, the send ledger, admin clients) gets the settings from {@code spring.kafka.*}
 * alone, so the customer's message, the window, the reply and the phone prove they all reached the broker.
 */
class SecureKafkaIT {

    private static final int OFFSET = 300;
    private static final Map<String, Integer> PORTS = Map.ofEntries(
            Map.entry("ANSWERLINE_KAFKA_PORT", 9092 + OFFSET), Map.entry("ANSWERLINE_KAFKA_CONTROLLER_PORT", 9093 + OFFSET),
            Map.entry("ANSWERLINE_REGISTRY_PORT", 8085 + OFFSET), Map.entry("ANSWERLINE_INGEST_PORT", 8081 + OFFSET),
            Map.entry("ANSWERLINE_INGEST_WEBHOOK_PORT", 8084 + OFFSET),
            Map.entry("ANSWERLINE_INGEST_MANAGEMENT_PORT", 9081 + OFFSET), Map.entry("ANSWERLINE_SESSION_PORT", 8082 + OFFSET),
            Map.entry("ANSWERLINE_DISPATCH_PORT", 8083 + OFFSET), Map.entry("ANSWERLINE_SANDBOX_PORT", 8089 + OFFSET),
            Map.entry("ANSWERLINE_SESSION_MANAGEMENT_PORT", 9082 + OFFSET),
            Map.entry("ANSWERLINE_DISPATCH_MANAGEMENT_PORT", 9083 + OFFSET));
    private static final String PHONE_NUMBER_ID = "100000000000001";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Path DATA = Path.of("target/secure-stack-data").toAbsolutePath();

    private final StackHttp http = new StackHttp();

    @BeforeAll
    static void startSecureStack() throws Exception {
        deleteRecursively(DATA);
        int status = stack("up", "--detach", "--no-build", "--secure");
        assertThat(status).as("deploy/local/stack up --secure (log: %s)", DATA.resolve("logs")).isZero();
    }

    @AfterAll
    static void stopSecureStack() throws Exception {
        stack("stop");
    }

    @Test
    void shouldRunTheWalkingSkeletonWithEveryClientOverSaslSsl() {
        // Given a customer who writes on WhatsApp
        String customer = "15551239001";
        String conversation = PHONE_NUMBER_ID + ":" + customer;
        StackHttp.Response sent = http.postJson(url("SANDBOX") + "/sandbox/customers/" + customer + "/messages",
                "{\"phoneNumberId\":\"" + PHONE_NUMBER_ID + "\",\"text\":\"Hello\",\"sentAt\":\"" + Instant.now() + "\"}");
        assertThat(sent.status()).as("%s", sent).isBetween(200, 299);

        // Then session-service folded it into an open window (ingest -> inbound-messages -> session, over SASL_SSL)
        await("session of " + conversation).atMost(TIMEOUT).pollInterval(Duration.ofMillis(250))
                .until(() -> session(conversation).status() == 200);
        assertThat(session(conversation).<Boolean>read("$.windowOpen")).isTrue();

        // When an agent replies through the gateway, the reply reaches the phone on WhatsApp, and its outcome the gateway
        String token = agentToken();
        StackHttp.Response accepted = http.postJson(url("INGEST") + "/api/v1/conversations/" + conversation + "/replies",
                "{\"text\":\"Hi over TLS\",\"fallback\":\"SMS\"}", token);
        assertThat(accepted.status()).as("%s", accepted).isEqualTo(202);
        await("WhatsApp text on the phone").atMost(TIMEOUT).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                assertThat(http.get(url("SANDBOX") + "/sandbox/phones/" + customer)
                        .<List<String>>read("$[?(@.channel == 'WHATSAPP')].text")).containsExactly("Hi over TLS"));
        String outcomeUrl = url("INGEST") + accepted.<String>read("$.links.outcome");
        assertThat(http.awaitOutcome(outcomeUrl, token, "status", "SENT", TIMEOUT)).containsEntry("channel", "WHATSAPP");
    }

    @Test
    void shouldRefuseAClientWithoutTheStacksCredentials() throws IOException {
        Properties client = new Properties();
        try (var in = Files.newInputStream(DATA.resolve("tls/client.properties"))) {
            client.load(in);
        }
        // Plaintext on the SASL_SSL port: no answer a Kafka client understands
        assertThat(listTopics(Map.of())).isFalse();
        // The right TLS settings but a wrong SCRAM password: authentication fails
        Map<String, Object> wrongPassword = new HashMap<>();
        client.forEach((key, value) -> wrongPassword.put((String) key, value));
        wrongPassword.put("sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"answerline\" password=\"wrong\";");
        assertThat(listTopics(wrongPassword)).isFalse();
        // And with the stack's client settings it works (the check above can fail)
        Map<String, Object> right = new HashMap<>();
        client.forEach((key, value) -> right.put((String) key, value));
        assertThat(listTopics(right)).isTrue();
    }

    private static boolean listTopics(Map<String, Object> security) {
        Map<String, Object> config = new HashMap<>(security);
        config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + PORTS.get("ANSWERLINE_KAFKA_PORT"));
        config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5_000);
        config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 4_000);
        try (Admin admin = Admin.create(config)) {
            return admin.listTopics().names().get(10, TimeUnit.SECONDS).contains("inbound-messages");
        } catch (Exception refused) {
            return false;
        }
    }

    private String agentToken() {
        StackHttp.Response response = http.postJson(url("SANDBOX") + "/sandbox/tokens",
                "{\"agentId\":\"agent-7\",\"tenantId\":\"demo\",\"roles\":[\"agent\"]}");
        assertThat(response.status()).as("%s", response).isBetween(200, 201);
        return response.read("$.token");
    }

    /** session-service's read, with an agent's token of this stack's sandbox (session takes nothing else). */
    private StackHttp.Response session(String conversation) {
        return http.session(url("SESSION"), url("SANDBOX"), "/api/v1/conversations/" + conversation, "demo");
    }

    private static String url(String service) {
        return "http://127.0.0.1:" + PORTS.get("ANSWERLINE_" + service + "_PORT");
    }

    /** Runs deploy/local/stack on this test's data folder and ports, without Prometheus; returns its exit status. */
    private static int stack(String... args) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of(
                LocalStackExtension.repoRoot().resolve("deploy/local/stack").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(Path.of("target/secure-stack.log").toFile()));
        PORTS.forEach((name, port) -> builder.environment().put(name, Integer.toString(port)));
        builder.environment().put("ANSWERLINE_DATA_DIR", DATA.toString());
        builder.environment().put("ANSWERLINE_PROMETHEUS_BIN", "");
        Process process = builder.start();
        if (!process.waitFor(300, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("deploy/local/stack " + String.join(" ", args) + " did not finish in 300 s");
        }
        return process.exitValue();
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (var files = Files.walk(path)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        }
    }
}
