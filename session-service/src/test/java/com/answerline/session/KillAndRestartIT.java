package com.answerline.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import com.answerline.avro.Channel;
import com.answerline.avro.InboundMessage;
import com.answerline.avro.SessionState;
import com.answerline.schemas.serde.ApicurioRegistryExtension;
import com.answerline.schemas.serde.ApicurioRegistryExtension.ApicurioRegistry;
import com.answerline.schemas.serde.AvroSerdeConfig;
import com.answerline.schemas.serde.KafkaAvroDeserializer;
import com.answerline.schemas.serde.KafkaAvroSerializer;
import com.answerline.schemas.testing.LoopbackKafkaBroker;
import com.answerline.schemas.topic.Topics;

/**
 * Issue 4: a crash loses nothing and counts nothing twice. The service runs as a separate JVM from the jar the
 * module's {@code package} phase built, is killed with SIGKILL ({@link Process#destroyForcibly()}: no shutdown hook,
 * no commit, no checkpoint) in the middle of a burst (checked: what it had committed holds some of the burst, not all),
 * and restarted with the same application id: every session is back with exact counters (the records replayed after
 * the crash are folded once: exactly-once), a redelivered wamid changes nothing, nor does an SMS Twilio redelivers
 * with a later receipt time (same MessageSid), and a later message renews the window. A second kill also wipes the state
 * directory, so the restart restores purely from the changelog topics.
 *
 * <p>The in-memory {@code mock://} registry lives inside one JVM, so the test and the process share the real
 * Apicurio registry (started from its Maven Central tarball by the schemas test-jar's extension). The process'
 * output goes to {@code target/kill-and-restart-<n>.log}.
 */
@ExtendWith(ApicurioRegistryExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KillAndRestartIT {

    private static final String APPLICATION_ID = "session-kill-and-restart-it";
    private static final String PHONE_NUMBER_ID = "100000000000001";
    private static final int CONVERSATIONS = 8;
    private static final int FIRST_MESSAGES = 3;
    /** Large enough that the kill lands while the burst is being folded (the test checks that it did). */
    private static final int BURST_MESSAGES = 150;
    /** The conversation that also gets an SMS, redelivered by Twilio with later receipt times across the restarts. */
    private static final int SMS_CONVERSATION = 4;
    private static final String SMS_SID = "SM0000000000000000000000000000c004";
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(6);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private LoopbackKafkaBroker broker;
    private String registryUrl;
    private Path dataDir;
    private ServiceProcess service;
    private int starts;
    private final Instant base = Instant.now().minus(5, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);

    /** The child JVM and the port its API listens on. */
    private record ServiceProcess(Process process, int port, int managementPort, Path log) {
    }

    @BeforeAll
    void startBrokerAndRegistry(ApicurioRegistry registry) throws IOException {
        broker = LoopbackKafkaBroker.start();
        registryUrl = registry.ccompatUrl();
        dataDir = Files.createTempDirectory("session-kill-and-restart");
    }

    @AfterAll
    void stop() throws IOException {
        // Whatever happened in the test, the child JVM never outlives it.
        kill();
        if (broker != null) {
            broker.close();
        }
        deleteRecursively(dataDir);
    }

    @Test
    void shouldRestoreEverySessionExactlyOnceAfterKillMinus9() throws Exception {
        // Given the service runs as its own process and has folded three messages of each conversation
        service = launch();
        awaitUp(Duration.ofSeconds(90));
        Map<String, Integer> expectedInbound = new HashMap<>();
        try (KafkaProducer<String, Object> producer = producer()) {
            for (int c = 0; c < CONVERSATIONS; c++) {
                for (int m = 0; m < FIRST_MESSAGES; m++) {
                    send(producer, c, "wamid.c" + c + ".m" + m, base.plusSeconds(m));
                }
                expectedInbound.put(conversation(c), FIRST_MESSAGES);
            }
            // An SMS (ingest times it at its receipt: Twilio sends no send time)
            sendSms(producer, SMS_CONVERSATION, SMS_SID, base.plusSeconds(FIRST_MESSAGES));
            expectedInbound.merge(conversation(SMS_CONVERSATION), 1, Integer::sum);
            producer.flush();
        }
        awaitSessions(expectedInbound, Duration.ofSeconds(60));
        Map<String, JsonNode> beforeCrash = readAll();

        // When a burst of messages arrives and the process is killed -9 while folding it
        try (KafkaProducer<String, Object> producer = producer()) {
            for (int m = 0; m < BURST_MESSAGES; m++) {
                for (int c = 0; c < CONVERSATIONS; c++) {
                    send(producer, c, "wamid.c" + c + ".burst" + m, base.plusSeconds(FIRST_MESSAGES + m));
                }
            }
            producer.flush();
        }
        await("some of the burst folded").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10))
                .until(() -> inboundCount(conversation(0)).orElse(0) > FIRST_MESSAGES);
        kill();
        Map<String, Integer> before = new HashMap<>(expectedInbound);
        expectedInbound.replaceAll((id, n) -> n + BURST_MESSAGES);
        // And the kill came mid-burst: the process had begun folding it (the read above saw a burst fold in its store,
        // which shows a transaction's writes before their commit), and what it committed holds not all of it. Whether
        // a commit of the burst (every 100 ms) came before the kill is timing, so it is reported, not required: a CI
        // run killed it with 0 committed.
        Map<String, Integer> committed = committedInboundCounts();
        int burstCommitted = before.keySet().stream()
                .mapToInt(id -> Math.max(0, committed.getOrDefault(id, 0) - before.get(id))).sum();
        System.out.printf("KillAndRestartIT: killed -9 with %d of %d burst folds committed%n", burstCommitted,
                CONVERSATIONS * BURST_MESSAGES);
        assertThat(burstCommitted).as("burst folds committed when the process was killed")
                .isLessThan(CONVERSATIONS * BURST_MESSAGES);

        // And while it is down, Meta redelivers a message already folded and a customer writes again later
        Instant renewalSentAt = base.plus(2, ChronoUnit.HOURS);
        try (KafkaProducer<String, Object> producer = producer()) {
            send(producer, 0, "wamid.c0.m1", base.plusSeconds(1));
            // Twilio redelivers the SMS (our answer was lost in the crash): the copy is timed at its own receipt
            sendSms(producer, SMS_CONVERSATION, SMS_SID, base.plus(1, ChronoUnit.HOURS));
            send(producer, 1, "wamid.c1.renewal", renewalSentAt);
            producer.flush();
        }
        expectedInbound.merge(conversation(1), 1, Integer::sum);

        // And the process is started again with the same application id and state directory
        Instant restartedAt = Instant.now();
        service = launch();

        // Then every session is back with exact counters: nothing lost, nothing folded twice
        awaitSessions(expectedInbound, Duration.ofSeconds(90));
        Duration restore = Duration.between(restartedAt, Instant.now());
        Map<String, JsonNode> afterRestart = readAll();
        for (int c = 0; c < CONVERSATIONS; c++) {
            JsonNode session = afterRestart.get(conversation(c));
            int inbound = expectedInbound.get(conversation(c));
            assertThat(session.get("inboundCount").asLong()).as("inboundCount of %s", conversation(c)).isEqualTo(inbound);
            // Every distinct message is exactly one change: a double-applied event would show here too.
            assertThat(session.get("version").asLong()).as("version of %s", conversation(c)).isEqualTo(inbound);
            assertThat(session.get("windowOpenedAt").asString())
                    .isEqualTo(beforeCrash.get(conversation(c)).get("windowOpenedAt").asString());
        }
        // And the redelivered wamid and the redelivered SMS changed nothing
        assertThat(afterRestart.get(conversation(0)).get("inboundCount").asLong())
                .isEqualTo(FIRST_MESSAGES + BURST_MESSAGES);
        assertThat(afterRestart.get(conversation(SMS_CONVERSATION)).get("inboundCount").asLong())
                .isEqualTo(FIRST_MESSAGES + 1 + BURST_MESSAGES);
        // And the later message renewed the window to its send time + 24 h
        assertThat(Instant.parse(afterRestart.get(conversation(1)).get("windowExpiresAt").asString()))
                .isEqualTo(renewalSentAt.plus(24, ChronoUnit.HOURS));
        assertThat(Instant.parse(afterRestart.get(conversation(2)).get("windowExpiresAt").asString()))
                .isEqualTo(base.plusSeconds(FIRST_MESSAGES + BURST_MESSAGES - 1).plus(24, ChronoUnit.HOURS));
        System.out.printf("KillAndRestartIT: restart after kill -9 to all sessions exact: %d ms%n", restore.toMillis());

        // When it is killed again, its local state is deleted, and one more message per conversation arrives
        kill();
        deleteRecursively(dataDir.resolve("state"));
        try (KafkaProducer<String, Object> producer = producer()) {
            for (int c = 0; c < CONVERSATIONS; c++) {
                send(producer, c, "wamid.c" + c + ".after-wipe", renewalSentAt.plusSeconds(c));
            }
            producer.flush();
        }
        expectedInbound.replaceAll((id, n) -> n + 1);
        restartedAt = Instant.now();
        service = launch();

        // Then the stores are rebuilt from the changelogs alone, and the dedup store with them
        awaitSessions(expectedInbound, Duration.ofSeconds(90));
        restore = Duration.between(restartedAt, Instant.now());
        Map<String, JsonNode> afterWipe = readAll();
        for (int c = 0; c < CONVERSATIONS; c++) {
            JsonNode session = afterWipe.get(conversation(c));
            assertThat(session.get("version").asInt()).isEqualTo(expectedInbound.get(conversation(c)));
            assertThat(Instant.parse(session.get("windowExpiresAt").asString()))
                    .isEqualTo(renewalSentAt.plusSeconds(c).plus(24, ChronoUnit.HOURS));
        }
        System.out.printf("KillAndRestartIT: restart after kill -9 with the state dir deleted: %d ms%n",
                restore.toMillis());
        // And the dedup store came back from its changelog too: a redelivered copy (a wamid, an SMS timed at a later
        // receipt), then a new message, count once
        try (KafkaProducer<String, Object> producer = producer()) {
            send(producer, 3, "wamid.c3.m0", base);
            send(producer, 3, "wamid.c3.after-all", renewalSentAt.plusSeconds(60));
            sendSms(producer, SMS_CONVERSATION, SMS_SID, renewalSentAt.plus(3, ChronoUnit.HOURS));
            send(producer, SMS_CONVERSATION, "wamid.c4.after-all", renewalSentAt.plusSeconds(120));
            producer.flush();
        }
        expectedInbound.merge(conversation(3), 1, Integer::sum);
        expectedInbound.merge(conversation(SMS_CONVERSATION), 1, Integer::sum);
        awaitSessions(expectedInbound, Duration.ofSeconds(30));
        Map<String, JsonNode> atEnd = readAll();
        assertThat(atEnd.get(conversation(3)).get("version").asInt()).isEqualTo(expectedInbound.get(conversation(3)));
        assertThat(atEnd.get(conversation(SMS_CONVERSATION)).get("version").asInt())
                .isEqualTo(expectedInbound.get(conversation(SMS_CONVERSATION)));
    }

    /** Waits until every conversation answers 200 with exactly the expected inbound count (never more). */
    private void awaitSessions(Map<String, Integer> expectedInbound, Duration atMost) {
        await("sessions folded").atMost(atMost).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            assertThat(service.process().isAlive()).as("service process alive (log: %s)", service.log()).isTrue();
            for (Map.Entry<String, Integer> expected : expectedInbound.entrySet()) {
                Optional<Integer> count = inboundCount(expected.getKey());
                assertThat(count).as("inboundCount of %s", expected.getKey()).isPresent();
                assertThat(count.get()).as("inboundCount of %s", expected.getKey())
                        .isLessThanOrEqualTo(expected.getValue()).isEqualTo(expected.getValue());
            }
        });
    }

    private void awaitUp(Duration atMost) {
        await("service up (log: " + service.log() + ")").atMost(atMost).pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    assertThat(service.process().isAlive()).as("service process alive (log: %s)", service.log())
                            .isTrue();
                    return status("/actuator/health") == 200;
                });
    }

    private Optional<Integer> inboundCount(String conversation) {
        return session(conversation).map(s -> s.get("inboundCount").asInt());
    }

    private Map<String, JsonNode> readAll() {
        Map<String, JsonNode> sessions = new HashMap<>();
        for (int c = 0; c < CONVERSATIONS; c++) {
            sessions.put(conversation(c), session(conversation(c)).orElseThrow());
        }
        return sessions;
    }

    /** The session, or empty while the process starts, restores (503) or does not know it yet (404). */
    private Optional<JsonNode> session(String conversation) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(
                            "http://127.0.0.1:" + service.port() + "/api/v1/conversations/" + conversation))
                    .header("Authorization", SessionApps.bearer("demo"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(JSON.readTree(response.body())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private int status(String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + service.managementPort() + path))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** Starts the packaged jar as a child JVM on a free loopback port, same application id and data dir every time. */
    private ServiceProcess launch() throws IOException {
        int port = SessionApps.freePort();
        int managementPort = SessionApps.freePort();
        Path log = Path.of("target", "kill-and-restart-" + (++starts) + ".log").toAbsolutePath();
        Process process = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx320m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-jar", packagedJar().toString(),
                "--server.port=" + port,
                "--management.server.port=" + managementPort,
                "--answerline.session.jwt.jwks-uri=" + SessionApps.TOKENS.jwksUri(),
                "--answerline.session.data-dir=" + dataDir,
                "--spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                "--spring.kafka.properties.schema.registry.url=" + registryUrl,
                "--answerline.session.streams.application-id=" + APPLICATION_ID,
                "--answerline.session.streams.commit-interval=50ms",
                // The killed instance's group member is dropped after this; with Kafka's 45 s the restart waits
                // about 40 s for it (measured), the broker's minimum 6 s keeps the test short.
                "--answerline.kafka.membership.session-timeout=" + SESSION_TIMEOUT.toSeconds() + "s")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        // @AfterAll kills it; this covers a test JVM that exits without running it.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "kill-session-service-child"));
        return new ServiceProcess(process, port, managementPort, log);
    }

    /** SIGKILL: the JVM gets no chance to close Streams, commit or write checkpoints. */
    private void kill() {
        if (service == null) {
            return;
        }
        service.process().destroyForcibly();
        try {
            if (!service.process().waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("service process did not die after SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        service = null;
    }

    /** The jar spring-boot-maven-plugin repackaged in {@code package}, which failsafe runs after. */
    private static Path packagedJar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            List<Path> jars = files.filter(f -> {
                String name = f.getFileName().toString();
                return name.startsWith("session-service-") && name.endsWith(".jar")
                        && !name.endsWith("-plain.jar") && !name.endsWith("-sources.jar");
            }).toList();
            if (jars.size() != 1) {
                throw new IllegalStateException("expected one packaged session-service jar in target/ (run through"
                        + " Maven: ./mvnw -pl session-service verify), found " + jars);
            }
            return jars.get(0).toAbsolutePath();
        }
    }

    private KafkaProducer<String, Object> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, KafkaAvroSerializer.class,
                AvroSerdeConfig.SCHEMA_REGISTRY_URL, registryUrl));
    }

    private static void send(KafkaProducer<String, Object> producer, int c, String wamid, Instant sentAt) {
        String conversation = conversation(c);
        producer.send(new ProducerRecord<>(Topics.INBOUND_MESSAGES.name(), conversation, InboundMessage.newBuilder()
                .setTenantId("demo").setConversationId(conversation).setPhoneNumberId(PHONE_NUMBER_ID)
                .setChannel(Channel.WHATSAPP).setMessageId(wamid).setCustomerPhone(conversation.split(":")[1])
                .setType("text").setText("hello").setSentAt(sentAt).setReceivedAt(Instant.now())
                .build()));
    }

    /** An inbound SMS as ingest writes it: the MessageSid as message id, sent and received at the receipt time. */
    private static void sendSms(KafkaProducer<String, Object> producer, int c, String messageSid, Instant receivedAt) {
        String conversation = conversation(c);
        producer.send(new ProducerRecord<>(Topics.INBOUND_MESSAGES.name(), conversation, InboundMessage.newBuilder()
                .setTenantId("demo").setConversationId(conversation).setPhoneNumberId(PHONE_NUMBER_ID)
                .setChannel(Channel.SMS).setMessageId(messageSid).setCustomerPhone(conversation.split(":")[1])
                .setType("text").setText("hello by sms").setSentAt(receivedAt).setReceivedAt(receivedAt)
                .build()));
    }

    /**
     * Each conversation's highest inboundCount on conversation-sessions as committed (read_committed, up to the last
     * stable offsets): what the process had committed when it died.
     */
    private Map<String, Integer> committedInboundCounts() {
        Map<String, Integer> counts = new HashMap<>();
        try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, KafkaAvroDeserializer.class,
                AvroSerdeConfig.SCHEMA_REGISTRY_URL, registryUrl,
                AvroSerdeConfig.SPECIFIC_AVRO_READER, true))) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.CONVERSATION_SESSIONS.name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            await("conversation-sessions read to its last stable offsets").atMost(Duration.ofSeconds(30))
                    .until(() -> {
                        consumer.poll(Duration.ofMillis(100)).forEach(r -> {
                            if (r.value() instanceof SessionState state) {
                                counts.merge(state.getConversationId().toString(), (int) state.getInboundCount(),
                                        Math::max);
                            }
                        });
                        return partitions.stream().allMatch(p -> consumer.position(p) >= ends.get(p));
                    });
        }
        return counts;
    }

    private static String conversation(int c) {
        return PHONE_NUMBER_ID + ":155512340" + (10 + c);
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
