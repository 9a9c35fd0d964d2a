package com.answerline.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import com.answerline.avro.Channel;
import com.answerline.avro.DeliveryState;
import com.answerline.avro.DeliveryStatus;
import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.InboundMessage;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.SessionState;
import com.answerline.avro.WindowEvent;
import com.answerline.avro.WindowEventType;
import com.answerline.schemas.conversation.ConversationId;
import com.answerline.schemas.serde.AvroSerdeConfig;
import com.answerline.schemas.testing.LoopbackKafkaBroker;
import com.answerline.schemas.topic.Topics;
import com.answerline.platform.upstream.ConversationPartitioner;
import com.answerline.platform.testing.TestTokens;
import com.answerline.platform.upstream.UpstreamGuard;

/**
 * The service on a real KRaft broker (in this JVM) pinned to loopback, with the in-memory registry: messages
 * in, session state out on the compacted topic, window events on the wall clock, the query API answering from
 * the store, poison to the DLT.
 */
@SpringBootTest(classes = SessionServiceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "spring.kafka.properties.schema.registry.url=" + SessionServiceIT.REGISTRY,
                "answerline.session.streams.application-server=",
                "answerline.session.streams.commit-interval=50ms",
                "management.server.port=0",
                // The in-JVM broker logs every partition at INFO.
                "logging.level.kafka=WARN",
                "logging.level.state.change.logger=WARN",
                "logging.level.org.apache.kafka.storage=WARN",
                "logging.level.org.apache.kafka.controller=WARN",
                "logging.level.org.apache.kafka.raft=WARN",
                "logging.level.org.apache.kafka.coordinator=WARN"})
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class SessionServiceIT {

    static final String REGISTRY = "mock://session-it";
    private static final String CONVERSATION = "100000000000001:15551239999";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static Path dataDir;

    /** Stopped when the JVM exits, after Spring closed the context (and Streams) at the end of the class. */
    private static final LoopbackKafkaBroker BROKER = startBroker();

    /** Every API call carries an agent's token of this provider (the gateway relays the agent's own). */
    private static final TestTokens TOKENS = TestTokens.start();

    @LocalServerPort
    int port;

    @LocalManagementPort
    int managementPort;

    @Value("${server.address}")
    String serverAddress;

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) throws IOException {
        dataDir = Files.createTempDirectory("session-service-it");
        registry.add("answerline.session.data-dir", dataDir::toString);
        registry.add("spring.kafka.bootstrap-servers", BROKER::bootstrapServers);
        registry.add("answerline.session.jwt.jwks-uri", TOKENS::jwksUri);
    }

    @Test
    void shouldFoldInboundMessagesPublishTheSessionAndAnswerQueries() throws Exception {
        // Given the service is up and its Streams RUNNING
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(management("/actuator/health").statusCode()).isEqualTo(200));

        // When a customer's message arrives twice (redelivery) and then an earlier one, late
        Instant sentAt = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
        try (KafkaProducer<String, Object> producer = avroProducer()) {
            producer.send(new ProducerRecord<>(Topics.INBOUND_MESSAGES.name(), CONVERSATION, message("wamid.B", sentAt)));
            producer.send(new ProducerRecord<>(Topics.INBOUND_MESSAGES.name(), CONVERSATION, message("wamid.B", sentAt)));
            producer.send(new ProducerRecord<>(Topics.INBOUND_MESSAGES.name(), CONVERSATION,
                    message("wamid.A", sentAt.minus(3, ChronoUnit.HOURS))));
        }

        // Then the compacted topic carries versions 1 and 2 only, the window ending at the newest send time + 24h
        List<SessionState> published = new ArrayList<>();
        try (KafkaConsumer<String, Object> consumer = avroConsumer()) {
            consumer.subscribe(List.of(Topics.CONVERSATION_SESSIONS.name()));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (CONVERSATION.equals(r.key())) {
                        published.add((SessionState) r.value());
                    }
                });
                assertThat(published).extracting(SessionState::getVersion).contains(2L);
            });
        }
        assertThat(published).extracting(SessionState::getVersion).containsExactly(1L, 2L);
        SessionState latest = published.get(1);
        assertThat(latest.getWindowExpiresAt()).isEqualTo(sentAt.plus(24, ChronoUnit.HOURS));
        assertThat(latest.getInboundCount()).isEqualTo(2);

        // And the query API answers from the store, with the window open now; like any client it retries the
        // documented 503 (Streams not RUNNING: the group may still settle after the first commit)
        HttpResponse<String> response = await().atMost(Duration.ofSeconds(30))
                .until(() -> get("/api/v1/conversations/" + CONVERSATION), r -> r.statusCode() != 503);
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("windowOpen").asBoolean()).isTrue();
        assertThat(body.get("windowState").asString()).isEqualTo("OPEN");
        assertThat(body.get("version").asLong()).isEqualTo(2);
        assertThat(Instant.parse(body.get("windowExpiresAt").asString())).isEqualTo(sentAt.plus(24, ChronoUnit.HOURS));
        HttpResponse<String> unknown = get("/api/v1/conversations/100000000000001:15550009999");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(JSON.readTree(unknown.body()).get("status").asInt()).isEqualTo(404);
        HttpResponse<String> malformed = get("/api/v1/conversations/no-colon");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(malformed.body()).get("field").asString()).isEqualTo("conversationId");

        // When the reply goes out and WhatsApp reports it read (delivery-statuses)
        Instant repliedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        try (KafkaProducer<String, Object> producer = avroProducer()) {
            producer.send(new ProducerRecord<>(Topics.DISPATCH_OUTCOMES.name(), CONVERSATION, DispatchOutcome.newBuilder()
                    .setCommandId("cmd-it").setTenantId("demo").setConversationId(CONVERSATION)
                    .setStatus(OutcomeStatus.SENT).setChannel(Channel.WHATSAPP).setReason("WINDOW_OPEN")
                    .setProviderMessageId("wamid.out").setFinal$(true).setOccurredAt(repliedAt).build())).get();
            producer.send(new ProducerRecord<>(Topics.DELIVERY_STATUSES.name(), CONVERSATION, DeliveryStatus.newBuilder()
                    .setTenantId("demo").setConversationId(CONVERSATION).setPhoneNumberId("100000000000001")
                    .setChannel(Channel.WHATSAPP).setProviderMessageId("wamid.out").setStatus(DeliveryState.READ)
                    .setOccurredAt(repliedAt.plusSeconds(1)).setReceivedAt(repliedAt.plusSeconds(2)).build())).get();
        }

        // Then the session shows it read and answered
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            JsonNode read = JSON.readTree(get("/api/v1/conversations/" + CONVERSATION).body());
            assertThat(read.get("lastOutboundOutcome").asString()).isEqualTo("READ");
            assertThat(read.get("lastOutbound").get("status").asString()).isEqualTo("READ");
            assertThat(read.get("lastOutbound").get("commandId").asString()).isEqualTo("cmd-it");
            assertThat(read.get("unansweredSince").isNull()).isTrue();
        });
        // And Prometheus exports the domain metrics, the first response time with histogram buckets
        assertThat(management("/actuator/prometheus").body())
                .containsPattern("answerline_session_windows_open\\{[^}]*tenant=\"demo\"")
                .containsPattern("answerline_session_windows_expiring\\{[^}]*tenant=\"demo\"")
                .containsPattern("answerline_session_first_response_seconds_bucket\\{[^}]*tenant=\"demo\",le=")
                .containsPattern("answerline_session_first_response_seconds_count\\{[^}]*tenant=\"demo\"} 1")
                .containsPattern("answerline_session_fold_lag_seconds_bucket\\{[^}]*event=\"delivery_status\"")
                .contains("answerline_session_timers_tick_seconds_count", "answerline_session_store_sessions");
    }

    @Test
    void shouldAnnounceAWindowThatEndsInSecondsOnTheWallClock() throws Exception {
        // Given the service is running
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(management("/actuator/health").statusCode()).isEqualTo(200));
        String conversation = "100000000000001:15551237777";

        // When a customer's message arrives whose window ends 10 s from now (inside the 1 h lead), unanswered
        Instant sentAt = Instant.now().minus(24, ChronoUnit.HOURS).plusSeconds(10).truncatedTo(ChronoUnit.MILLIS);
        try (KafkaProducer<String, Object> producer = avroProducer()) {
            producer.send(new ProducerRecord<>(Topics.INBOUND_MESSAGES.name(), conversation,
                    message(conversation, "wamid.T", sentAt))).get();
        }

        // Then window-events carries OPENED, EXPIRING at the next tick and CLOSED unanswered at the end
        List<WindowEvent> events = new ArrayList<>();
        try (KafkaConsumer<String, Object> consumer = avroConsumer()) {
            consumer.subscribe(List.of(Topics.WINDOW_EVENTS.name()));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (conversation.equals(r.key())) {
                        events.add((WindowEvent) r.value());
                    }
                });
                assertThat(events).extracting(WindowEvent::getType).contains(WindowEventType.CLOSED);
            });
        }
        assertThat(events).extracting(WindowEvent::getType)
                .containsExactly(WindowEventType.OPENED, WindowEventType.EXPIRING, WindowEventType.CLOSED);
        WindowEvent closed = events.get(2);
        assertThat(closed.getAnswered()).isFalse();
        assertThat(closed.getWindowExpiresAt()).isEqualTo(sentAt.plus(24, ChronoUnit.HOURS));
        assertThat(closed.getEmittedAt()).isAfterOrEqualTo(closed.getWindowExpiresAt());
        // And the counter is exported
        assertThat(management("/actuator/prometheus").body())
                .contains("answerline_session_window_events_total{", "type=\"CLOSED\"");
    }

    @Test
    void shouldSendPoisonBytesToTheDeadLetterTopicAndStayHealthy() throws Exception {
        // Given the service is running
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(management("/actuator/health").statusCode()).isEqualTo(200));
        String poisonKey = "100000000000001:15551238888";
        byte[] poison = ("garbage-" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);

        // When bytes that are not Avro arrive on the inbound topic
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.bootstrapServers()),
                new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.INBOUND_MESSAGES.name(), poisonKey, poison)).get();
        }

        // Then they land unchanged on the dead-letter twin with the cause, and the service stays UP
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "it-dlt-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.INBOUND_MESSAGES.deadLetter()));
            List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(dead::add);
                assertThat(dead).anySatisfy(r -> assertThat(r.value()).isEqualTo(poison));
            });
            ConsumerRecord<String, byte[]> record = dead.stream()
                    .filter(r -> java.util.Arrays.equals(r.value(), poison)).findFirst().orElseThrow();
            assertThat(record.key()).isEqualTo(poisonKey);
            assertThat(new String(record.headers().lastHeader(KafkaHeaders.DLT_EXCEPTION_MESSAGE).value(),
                    StandardCharsets.UTF_8)).contains("magic byte");
        }
        assertThat(management("/actuator/health").statusCode()).isEqualTo(200);
    }

    @Test
    void shouldFoldARecordAnUpstreamClientPutOnAnotherPartitionOnceWhereItsConversationLives() throws Exception {
        // Given a conversation whose partition (Java's murmur2, as every producer of ours) is not partition 5
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(management("/actuator/health").statusCode()).isEqualTo(200));
        String conversation = java.util.stream.IntStream.range(0, 100).mapToObj(i -> "100000000000001:1555737" + (3800 + i))
                .filter(key -> ConversationPartitioner.partitionOf(key, Topics.CONVERSATION_PARTITIONS) != 5)
                .findFirst().orElseThrow();
        int owner = ConversationPartitioner.partitionOf(conversation, Topics.CONVERSATION_PARTITIONS);

        // When an upstream producer writes its message to partition 5 (librdkafka's default, or an explicit partition)
        Instant sentAt = Instant.now().minus(5, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.MILLIS);
        try (KafkaProducer<String, Object> producer = avroProducer()) {
            producer.send(new ProducerRecord<>(Topics.INBOUND_MESSAGES.name(), 5, conversation,
                    message(conversation, "wamid.misplaced", sentAt))).get();
        }

        // Then one session is published, on the conversation's own partition, with the message folded once
        List<ConsumerRecord<String, Object>> sessions = new ArrayList<>();
        List<ConsumerRecord<String, Object>> inbound = new ArrayList<>();
        try (KafkaConsumer<String, Object> consumer = avroConsumer()) {
            consumer.subscribe(List.of(Topics.CONVERSATION_SESSIONS.name(), Topics.INBOUND_MESSAGES.name()));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> {
                    if (conversation.equals(r.key())) {
                        (r.topic().equals(Topics.CONVERSATION_SESSIONS.name()) ? sessions : inbound).add(r);
                    }
                });
                assertThat(sessions).isNotEmpty();
            });
        }
        assertThat(sessions).singleElement().satisfies(record -> {
            assertThat(record.partition()).isEqualTo(owner);
            assertThat(((SessionState) record.value()).getInboundCount()).isEqualTo(1);
        });
        // And the topic holds the misplaced original and one forwarded copy on the owner's partition, marked
        assertThat(inbound).extracting(ConsumerRecord::partition).containsExactlyInAnyOrder(5, owner);
        assertThat(inbound).filteredOn(r -> r.partition() == owner).singleElement().satisfies(copy ->
                assertThat(new String(copy.headers().lastHeader(UpstreamGuard.FORWARDED_FROM_HEADER).value(),
                        StandardCharsets.UTF_8)).isEqualTo("5"));
        assertThat(management("/actuator/prometheus").body())
                .containsPattern("answerline_upstream_forwarded_total\\{[^}]*topic=\"inbound-messages\"[^}]*} [1-9]");
    }

    @Test
    void shouldRefuseEveryReadWithoutAValidAgentTokenWith401ProblemDetails() throws Exception {
        // Given the service is up
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(management("/actuator/health").statusCode()).isEqualTo(200));
        List<String> reads = List.of("/api/v1/conversations/" + CONVERSATION, "/api/v1/conversations?window=open",
                "/api/v1/conversations/" + CONVERSATION + "/messages",
                "/api/v1/conversations/" + CONVERSATION + "/media/MEDIA-1");
        Map<String, String> refused = new java.util.LinkedHashMap<>(TOKENS.refused("demo"));
        refused.put("without a token", null);

        for (String read : reads) {
            refused.forEach((what, token) -> {
                // When each read is sent with a token that is incomplete, out of time, for another service or forged
                HttpResponse<String> response = send(read, token == null ? null : "Bearer " + token);

                // Then it is refused before any data is touched: 401, WWW-Authenticate, problem details
                assertThat(response.statusCode()).as("%s %s", read, what).isEqualTo(401);
                assertThat(response.headers().firstValue("WWW-Authenticate")).as("%s %s", read, what)
                        .hasValueSatisfying(value -> assertThat(value).startsWith("Bearer"));
                assertThat(JSON.readTree(response.body()).get("status").asInt()).as("%s %s", read, what)
                        .isEqualTo(401);
            });
        }
    }

    @Test
    void shouldAnswerAnotherTenantsConversationAsUnknownWhateverTheQuerySays() throws Exception {
        // Given a conversation of tenant demo, folded and readable by demo's agent
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(management("/actuator/health").statusCode()).isEqualTo(200));
        String conversation = "100000000000001:15557770001";
        try (KafkaProducer<String, Object> producer = avroProducer()) {
            producer.send(new ProducerRecord<>(Topics.INBOUND_MESSAGES.name(), conversation,
                    message(conversation, "wamid.tenant", Instant.now().minus(5, ChronoUnit.MINUTES)))).get();
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> get("/api/v1/conversations/" + conversation).statusCode() == 200);
        String other = "Bearer " + TOKENS.agent("agent-9", "other");

        // When an agent of tenant other reads it directly on session-service, by id, thread and media, and lists
        // "demo" by the old query parameter
        // Then each read answers 404 as for an unknown conversation, and the list is other's (without it)
        assertThat(send("/api/v1/conversations/" + conversation, other).statusCode()).isEqualTo(404);
        assertThat(send("/api/v1/conversations/" + conversation + "/messages", other).statusCode()).isEqualTo(404);
        assertThat(send("/api/v1/conversations/" + conversation + "/media/MEDIA-1", other).statusCode()).isEqualTo(404);
        JsonNode list = JSON.readTree(send("/api/v1/conversations?tenantId=demo&limit=100", other).body());
        assertThat(list.get("items")).extracting(item -> item.get("conversationId").asString())
                .doesNotContain(conversation);
        assertThat(JSON.readTree(get("/api/v1/conversations?limit=100").body()).get("items"))
                .extracting(item -> item.get("conversationId").asString()).contains(conversation);
    }

    @Test
    void shouldServeHealthAndMetricsOnTheManagementPortOnly() throws Exception {
        // Given the service is up, Then health shows its components on the management port
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(management("/actuator/health").statusCode()).isEqualTo(200));
        assertThat(JSON.readTree(management("/actuator/health").body()).get("components").has("kafkaStreams")).isTrue();

        // And the API port maps no actuator at all, with a token or without
        for (String path : List.of("/actuator/health", "/actuator/prometheus", "/actuator")) {
            assertThat(send(path, null).statusCode()).as(path).isEqualTo(404);
            assertThat(get(path).statusCode()).as(path).isEqualTo(404);
        }
    }

    @Test
    void shouldListenOnLoopbackOnly() throws IOException {
        // Given the broker, its controller and the web server of this JVM are up
        assertThat(serverAddress).isEqualTo("127.0.0.1");
        BROKER.assertListensOnLoopbackOnly();

        // Then every listening TCP socket this process owns is bound to 127.0.0.1
        Set<String> ownSockets = new HashSet<>();
        try (var fds = Files.list(Path.of("/proc/self/fd"))) {
            fds.forEach(fd -> {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:[")) {
                        ownSockets.add(target.substring(8, target.length() - 1));
                    }
                } catch (IOException ignored) {
                    // fd closed meanwhile
                }
            });
        }
        List<String> listening = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines = Files.readAllLines(Path.of(table));
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                boolean listen = "0A".equals(f[3]);
                if (listen && ownSockets.contains(f[9])) {
                    listening.add(f[1]);
                }
            }
        }
        // The broker, its controller and Tomcat at least.
        assertThat(listening).hasSizeGreaterThanOrEqualTo(3);
        // 0100007F is 127.0.0.1 (little-endian hex) in /proc/net/tcp; IPv4-mapped in tcp6.
        assertThat(listening).allSatisfy(local -> assertThat(local).matches(
                "(0100007F|0000000000000000FFFF00000100007F):[0-9A-F]{4}"));
    }

    private static LoopbackKafkaBroker startBroker() {
        LoopbackKafkaBroker broker = LoopbackKafkaBroker.start();
        Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "loopback-kafka-stop"));
        return broker;
    }

    /** As an agent of tenant demo. */
    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(path, "Bearer " + TOKENS.agent("agent-7", "demo"));
    }

    /** With this Authorization header, or none when null. */
    private HttpResponse<String> send(String path, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> management(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private KafkaProducer<String, Object> avroProducer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, com.answerline.schemas.serde.KafkaAvroSerializer.class,
                AvroSerdeConfig.SCHEMA_REGISTRY_URL, REGISTRY));
    }

    private KafkaConsumer<String, Object> avroConsumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, BROKER.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, com.answerline.schemas.serde.KafkaAvroDeserializer.class,
                AvroSerdeConfig.SCHEMA_REGISTRY_URL, REGISTRY,
                AvroSerdeConfig.SPECIFIC_AVRO_READER, true));
    }

    private static InboundMessage message(String wamid, Instant sentAt) {
        return message(CONVERSATION, wamid, sentAt);
    }

    private static InboundMessage message(String conversation, String wamid, Instant sentAt) {
        return InboundMessage.newBuilder()
                .setTenantId("demo").setConversationId(conversation).setPhoneNumberId("100000000000001")
                .setChannel(Channel.WHATSAPP).setMessageId(wamid).setCustomerPhone(ConversationId.parse(conversation).customerKey())
                .setType("text").setText("hello").setSentAt(sentAt).setReceivedAt(Instant.now())
                .build();
    }
}
