package com.answerline.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import com.answerline.avro.Channel;
import com.answerline.avro.DeliveryState;
import com.answerline.avro.DeliveryStatus;
import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.InboundMessage;
import com.answerline.avro.OutcomeReason;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.SendStep;
import com.answerline.avro.ThreadMessage;
import com.answerline.schemas.serde.AvroSerdeConfig;
import com.answerline.schemas.serde.KafkaAvroDeserializer;
import com.answerline.schemas.serde.KafkaAvroSerializer;
import com.answerline.schemas.testing.LoopbackKafkaBroker;
import com.answerline.schemas.topic.Topics;

/**
 * The thread on a real broker: a conversation's messages, a reply with its delivery statuses and a reaction, read
 * through the API (pages, 404 for another tenant, 400, the media reference) and published on
 * {@code conversation-messages}; then the instance is stopped, its state directory wiped, and a fresh instance of the
 * same application restores the thread from its changelogs and serves the same pages.
 */
class ThreadIT {

    private static final String REGISTRY = "mock://thread-it";
    private static final String APPLICATION_ID = "session-thread-it";
    private static final String CONVERSATION = "100000000000001:15551234567";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Instant t0 = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
    @AutoClose
    private SessionApps apps;
    private LoopbackKafkaBroker broker;

    @Test
    void shouldServeTheThreadAndTheSameThreadAgainFromAFreshInstanceAfterTheStateIsWiped() throws Exception {
        // Given the service folding a conversation: three messages (one an image), a reply that was read, a reaction
        apps = SessionApps.onNewBroker(REGISTRY);
        broker = apps.broker();
        Path firstState = Files.createTempDirectory("session-thread-it");
        int port = SessionApps.freePort();
        ConfigurableApplicationContext firstInstance = start(firstState, port);
        produce();

        // When the thread is read
        JsonNode first = await("thread folded").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .until(() -> json(get(port, "/api/v1/conversations/" + CONVERSATION + "/messages?limit=3")),
                        page -> page.path("items").size() == 3
                                && "READ".equals(page.path("items").get(0).path("delivery").path("state").asString())
                                && page.path("items").get(0).path("reactions").size() == 1);

        // Then the newest page has the reply (read, reacted to) and the two newest messages; the next page the first
        assertThat(first.path("conversationId").asString()).isEqualTo(CONVERSATION);
        assertThat(ids(first)).containsExactly("out:cmd-1/REPLY", "in:wamid.3", "in:wamid.2");
        JsonNode reply = first.path("items").get(0);
        assertThat(reply.path("agentId").asString()).isEqualTo("agent-7");
        assertThat(reply.path("reactions").get(0).path("emoji").asString()).isEqualTo("👍");
        assertThat(reply.path("delivery").path("acceptedAt").asString()).isNotEmpty();
        assertThat(first.path("items").get(2).path("media").path("href").asString())
                .isEqualTo("/api/v1/conversations/" + CONVERSATION + "/media/MEDIA-1");
        JsonNode second = json(get(port, "/api/v1/conversations/" + CONVERSATION + "/messages?limit=3&before="
                + first.path("nextCursor").asString()));
        assertThat(ids(second)).containsExactly("in:wamid.1");
        assertThat(second.path("nextCursor").isNull()).isTrue();

        // And another tenant's read, a bad limit and an unknown media id are answered as documented
        HttpResponse<String> otherTenant = get(port, "/api/v1/conversations/" + CONVERSATION + "/messages", "other");
        assertThat(otherTenant.statusCode()).isEqualTo(404);
        HttpResponse<String> badLimit = get(port, "/api/v1/conversations/" + CONVERSATION + "/messages?limit=500");
        assertThat(badLimit.statusCode()).isEqualTo(400);
        assertThat(json(badLimit).path("field").asString()).isEqualTo("limit");
        assertThat(get(port, "/api/v1/conversations/" + CONVERSATION + "/media/MEDIA-9").statusCode())
                .isEqualTo(404);
        JsonNode media = json(get(port, "/api/v1/conversations/" + CONVERSATION + "/media/MEDIA-1"));
        assertThat(media.path("mimeType").asString()).isEqualTo("image/jpeg");
        assertThat(media.path("sizeBytes").asLong()).isEqualTo(48_213L);
        assertThat(media.path("phoneNumberId").asString()).isEqualTo("100000000000001");
        assertThat(media.path("entryId").asString()).isEqualTo("in:wamid.2");

        // And every change went out on conversation-messages
        assertThat(published()).extracting(ThreadMessage::getEntryId).contains("in:wamid.1", "in:wamid.2",
                "in:wamid.3", "out:cmd-1/REPLY");

        // When the instance stops, its state directory is wiped, and a fresh instance of the application starts
        firstInstance.close();
        deleteRecursively(firstState);
        int freshPort = SessionApps.freePort();
        start(Files.createTempDirectory("session-thread-it-fresh"), freshPort);

        // Then it serves the same pages, restored from the changelogs
        JsonNode restored = await("thread restored").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .until(() -> json(get(freshPort, "/api/v1/conversations/" + CONVERSATION + "/messages?limit=3")),
                        page -> page.path("items").size() == 3);
        assertThat(restored).isEqualTo(first);
        assertThat(json(get(freshPort, "/api/v1/conversations/" + CONVERSATION + "/messages?limit=3&before="
                + first.path("nextCursor").asString()))).isEqualTo(second);
    }

    private void produce() {
        try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, KafkaAvroSerializer.class,
                AvroSerdeConfig.SCHEMA_REGISTRY_URL, REGISTRY))) {
            send(producer, Topics.INBOUND_MESSAGES.name(), message("wamid.1", t0, "text", Map.of()));
            send(producer, Topics.INBOUND_MESSAGES.name(), message("wamid.2", t0.plusSeconds(10), "image",
                    Map.of("media_id", "MEDIA-1", "mime_type", "image/jpeg", "file_size", "48213")));
            send(producer, Topics.INBOUND_MESSAGES.name(), message("wamid.3", t0.plusSeconds(20), "text", Map.of()));
            Instant replied = t0.plusSeconds(60);
            send(producer, Topics.DISPATCH_OUTCOMES.name(), DispatchOutcome.newBuilder().setCommandId("cmd-1")
                    .setTenantId("demo").setConversationId(CONVERSATION).setStatus(OutcomeStatus.SENT)
                    .setChannel(Channel.WHATSAPP).setReason("WINDOW_OPEN").setOutcomeReason(OutcomeReason.WINDOW_OPEN)
                    .setStep(SendStep.REPLY).setAgentId("agent-7").setProviderMessageId("wamid.out")
                    .setRenderedText("On its way").setFinal$(true).setOccurredAt(replied).build());
            send(producer, Topics.DELIVERY_STATUSES.name(), status(DeliveryState.DELIVERED, replied.plusSeconds(2)));
            send(producer, Topics.DELIVERY_STATUSES.name(), status(DeliveryState.READ, replied.plusSeconds(5)));
            send(producer, Topics.INBOUND_MESSAGES.name(), message("wamid.r", replied.plusSeconds(9), "reaction",
                    Map.of("reacted_message_id", "wamid.out")));
            producer.flush();
        }
    }

    /** In the order given: record timestamps increase, so the three topics are read in that order. */
    private static void send(KafkaProducer<String, SpecificRecord> producer, String topic, SpecificRecord value) {
        producer.send(new ProducerRecord<>(topic, null, System.currentTimeMillis(), CONVERSATION, value));
        producer.flush();
    }

    private InboundMessage message(String wamid, Instant sentAt, String type, Map<String, String> details) {
        return InboundMessage.newBuilder().setTenantId("demo").setConversationId(CONVERSATION)
                .setPhoneNumberId("100000000000001").setChannel(Channel.WHATSAPP).setMessageId(wamid)
                .setCustomerPhone("15551234567").setType(type).setText("reaction".equals(type) ? "👍" : "hello")
                .setDetails(details).setSentAt(sentAt).setReceivedAt(sentAt.plusSeconds(1)).build();
    }

    private static DeliveryStatus status(DeliveryState state, Instant at) {
        return DeliveryStatus.newBuilder().setTenantId("demo").setConversationId(CONVERSATION)
                .setPhoneNumberId("100000000000001").setChannel(Channel.WHATSAPP).setProviderMessageId("wamid.out")
                .setStatus(state).setRecipientPhone("15551234567").setOccurredAt(at).setReceivedAt(at).build();
    }

    private List<ThreadMessage> published() {
        List<ThreadMessage> messages = new ArrayList<>();
        try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "thread-it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, KafkaAvroDeserializer.class,
                AvroSerdeConfig.SCHEMA_REGISTRY_URL, REGISTRY,
                AvroSerdeConfig.SPECIFIC_AVRO_READER, true))) {
            consumer.subscribe(List.of(Topics.CONVERSATION_MESSAGES.name()));
            await("conversation-messages").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> messages.add((ThreadMessage) record.value()));
                assertThat(messages).extracting(ThreadMessage::getEntryId).contains("out:cmd-1/REPLY");
            });
        }
        return messages;
    }

    private ConfigurableApplicationContext start(Path dataDir, int port) {
        // Streams does not leave the group on close: the fresh instance waits for the first to time out.
        return apps.start(APPLICATION_ID, dataDir, port, "--answerline.kafka.membership.session-timeout=6s");
    }

    private static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return get(port, path, "demo");
    }

    /** As an agent of {@code tenant} (the tenant is the token's). */
    private static HttpResponse<String> get(int port, String path, String tenant)
            throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", SessionApps.bearer(tenant)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    private static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.path("items").forEach(item -> ids.add(item.path("id").asString()));
        return ids;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path path : paths.sorted((a, b) -> b.compareTo(a)).toList()) {
                Files.delete(path);
            }
        }
    }
}
