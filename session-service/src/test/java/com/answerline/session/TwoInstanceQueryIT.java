package com.answerline.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.MeterRegistry;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import com.answerline.avro.AssignmentChanged;
import com.answerline.avro.Channel;
import com.answerline.avro.InboundMessage;
import com.answerline.schemas.serde.AvroSerdeConfig;
import com.answerline.schemas.testing.LoopbackKafkaBroker;
import com.answerline.schemas.topic.Topics;
import com.answerline.session.topology.SessionTopology;

/**
 * Two session-service instances (one Streams application, the partitions split between them) on a real KRaft
 * broker: either instance answers for every conversation (forwarding to the owner) and lists a tenant completely
 * (gathering from both); with the owner gone, reads of its conversations answer 503, never a wrong 404 or a
 * partial list. The last test stops instance B, so the order is fixed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoInstanceQueryIT {

    private static final String REGISTRY = "mock://two-instance-query-it";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Map<String, String> PHONE_NUMBER_IDS = Map.of("demo", "100000000000001",
            "other", "100000000000002");
    private static final String AGENT = "agent-7";

    private LoopbackKafkaBroker broker;
    private Instance a;
    private Instance b;
    private final List<Conversation> conversations = new ArrayList<>();

    /** What the test wrote for one conversation, and what the API must say about it. */
    private record Conversation(String id, String tenantId, Kind kind, Instant sentAt) {
    }

    private enum Kind {
        /** Customer wrote an hour or two ago. */
        OPEN,
        /** Customer wrote 30 h ago. */
        CLOSED,
        /** Customer wrote 23.5 h ago: open, ending within the 1 h EXPIRING lead. */
        EXPIRING,
        /** Customer wrote by SMS only: never a WhatsApp window. */
        SMS_ONLY,
        /** Open and assigned to {@link #AGENT}. */
        ASSIGNED
    }

    private record Instance(ConfigurableApplicationContext context, int port) {
        KafkaStreams streams() {
            return context.getBean(StreamsBuilderFactoryBean.class).getKafkaStreams();
        }

        HostInfo host() {
            return new HostInfo("127.0.0.1", port);
        }

        double forwards(String kind) {
            return context.getBean(MeterRegistry.class).counter("answerline.session.query.forwards", "kind", kind)
                    .count();
        }
    }

    @BeforeAll
    void startBrokerTwoInstancesAndConversations() throws Exception {
        broker = LoopbackKafkaBroker.start();
        // Given two instances of the same application, each with its own port, state and advertised address
        a = start();
        b = start();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (Instance instance : List.of(a, b)) {
                assertThat(instance.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
                Collection<StreamsMetadata> clients = instance.streams().metadataForAllStreamsClients();
                assertThat(clients).extracting(StreamsMetadata::hostInfo).containsExactlyInAnyOrder(a.host(), b.host());
                assertThat(clients).allSatisfy(client -> assertThat(client.topicPartitions()).isNotEmpty());
            }
        });

        // And 30 conversations over two tenants, of every kind
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        try (KafkaProducer<String, Object> producer = avroProducer()) {
            for (int i = 0; i < 30; i++) {
                String tenant = i % 2 == 0 ? "demo" : "other";
                Kind kind = Kind.values()[i % Kind.values().length];
                Duration ago = switch (kind) {
                    case OPEN, SMS_ONLY -> Duration.ofHours(1);
                    case ASSIGNED -> Duration.ofHours(2);
                    case CLOSED -> Duration.ofHours(30);
                    case EXPIRING -> Duration.ofHours(23).plusMinutes(30);
                };
                Instant sentAt = now.minus(ago).minusSeconds(i);
                Conversation conversation = new Conversation(PHONE_NUMBER_IDS.get(tenant) + ":1555123" + (1000 + i),
                        tenant, kind, sentAt);
                conversations.add(conversation);
                producer.send(new ProducerRecord<>(Topics.INBOUND_MESSAGES.name(), conversation.id(),
                        message(conversation)));
                if (kind == Kind.ASSIGNED) {
                    producer.send(new ProducerRecord<>(Topics.ASSIGNMENT_CHANGES.name(), conversation.id(),
                            AssignmentChanged.newBuilder().setTenantId(tenant).setConversationId(conversation.id())
                                    .setAssigneeId(AGENT).setChangedBy("supervisor-1").setChangedAt(now).build()));
                }
            }
            producer.flush();
        }
        // Folded: every tenant lists all its conversations, the assigned ones with their agent
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String tenant : PHONE_NUMBER_IDS.keySet()) {
                assertThat(items(a, tenant, "limit=200")).hasSize(15);
                assertThat(items(a, tenant, "assignee=" + AGENT)).hasSize(3);
            }
        });
    }

    @AfterAll
    void stop() {
        for (Instance instance : new Instance[] {b, a}) {
            if (instance != null) {
                instance.context().close();
            }
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    @Order(1)
    void shouldAnswerEveryConversationAndItsThreadFromEitherInstanceForwardingToTheOwner() throws Exception {
        // Given the conversations' keys fall on every partition, and each instance owns some partitions
        Set<Integer> partitions = new HashSet<>();
        Set<HostInfo> owners = new HashSet<>();
        for (Conversation conversation : conversations) {
            KeyQueryMetadata metadata = a.streams().queryMetadataForKey(SessionTopology.SESSION_STORE,
                    conversation.id(), Serdes.String().serializer());
            partitions.add(metadata.partition());
            owners.add(metadata.activeHost());
        }
        assertThat(partitions).hasSize(Topics.CONVERSATION_PARTITIONS);
        assertThat(owners).containsExactlyInAnyOrder(a.host(), b.host());
        double forwardedByA = a.forwards("key");
        double forwardedByB = b.forwards("key");

        // When every conversation is read from both instances
        for (Conversation conversation : conversations) {
            for (Instance instance : List.of(a, b)) {
                HttpResponse<String> response = get(instance, "/api/v1/conversations/" + conversation.id(),
                        conversation.tenantId());

                // Then each answers 200 with that conversation's session, wherever it is stored
                assertThat(response.statusCode()).as(conversation.id()).isEqualTo(200);
                JsonNode session = JSON.readTree(response.body());
                assertThat(session.get("conversationId").asString()).isEqualTo(conversation.id());
                assertThat(session.get("tenantId").asString()).isEqualTo(conversation.tenantId());
                assertThat(session.get("windowOpen").asBoolean()).as(conversation.id())
                        .isEqualTo(isOpen(conversation.kind()));
                assertThat(session.get("inboundCount").asLong()).isEqualTo(1);
                assertThat(session.get("assigneeId").isNull()).isEqualTo(conversation.kind() != Kind.ASSIGNED);

                // And its thread, kept with the session: the customer's message, for its tenant only
                HttpResponse<String> thread = get(instance, "/api/v1/conversations/" + conversation.id()
                        + "/messages", conversation.tenantId());
                assertThat(thread.statusCode()).as(thread.body()).isEqualTo(200);
                assertThat(JSON.readTree(thread.body()).get("items").get(0).get("id").asString())
                        .isEqualTo("in:" + message(conversation).getMessageId());
                String otherTenant = conversation.tenantId().equals("demo") ? "other" : "demo";
                assertThat(get(instance, "/api/v1/conversations/" + conversation.id() + "/messages", otherTenant)
                        .statusCode()).isEqualTo(404);
                assertThat(get(instance, "/api/v1/conversations/" + conversation.id(), otherTenant).statusCode())
                        .isEqualTo(404);
            }
        }
        // And each instance forwarded the reads of the other one's conversations (15 expected on average)
        assertThat(a.forwards("key") - forwardedByA).isPositive();
        assertThat(b.forwards("key") - forwardedByB).isPositive();
    }

    @Test
    @Order(2)
    void shouldListATenantCompletelyInPagesFromEitherInstance() throws Exception {
        for (Instance instance : List.of(a, b)) {
            for (String tenant : PHONE_NUMBER_IDS.keySet()) {
                double forwarded = instance.forwards("list");

                // When the tenant is listed 7 at a time through this instance
                List<JsonNode> items = new ArrayList<>();
                List<Integer> pageSizes = new ArrayList<>();
                String cursor = null;
                do {
                    JsonNode page = JSON.readTree(list(instance, tenant, "limit=7"
                            + (cursor == null ? "" : "&cursor=" + cursor)).body());
                    page.get("items").forEach(items::add);
                    pageSizes.add(page.get("items").size());
                    cursor = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asString();
                } while (cursor != null && pageSizes.size() < 10);

                // Then exactly the tenant's conversations, once each, most urgent first, no-window ones last
                assertThat(pageSizes).containsExactly(7, 7, 1);
                assertThat(ids(items)).doesNotHaveDuplicates()
                        .containsExactlyInAnyOrderElementsOf(ids(conversations, tenant, kind -> true));
                assertThat(items).extracting(item -> item.get("windowExpiresAt").isNull()
                                ? null : Instant.parse(item.get("windowExpiresAt").asString()))
                        .isSortedAccordingTo(Comparator.nullsLast(Comparator.naturalOrder()));
                assertThat(items.subList(12, 15)).allSatisfy(item -> assertThat(item.get("windowExpiresAt").isNull())
                        .isTrue());
                // And the other instance's share came over HTTP
                assertThat(instance.forwards("list") - forwarded).isEqualTo(3);
            }
        }
    }

    @Test
    @Order(3)
    void shouldFilterByWindowStateAndAssignee() throws Exception {
        for (Instance instance : List.of(a, b)) {
            assertThat(ids(items(instance, "demo", "window=open")))
                    .containsExactlyInAnyOrderElementsOf(ids(conversations, "demo", TwoInstanceQueryIT::isOpen));
            assertThat(ids(items(instance, "demo", "window=closed")))
                    .containsExactlyInAnyOrderElementsOf(ids(conversations, "demo", kind -> !isOpen(kind)));
            assertThat(ids(items(instance, "other", "window=expiring")))
                    .containsExactlyInAnyOrderElementsOf(ids(conversations, "other", kind -> kind == Kind.EXPIRING));
            assertThat(items(instance, "other", "window=expiring&within=PT10M")).isEmpty();
            assertThat(ids(items(instance, "demo", "assignee=" + AGENT)))
                    .containsExactlyInAnyOrderElementsOf(ids(conversations, "demo", kind -> kind == Kind.ASSIGNED));
            assertThat(ids(items(instance, "demo", "unassigned=true")))
                    .containsExactlyInAnyOrderElementsOf(ids(conversations, "demo", kind -> kind != Kind.ASSIGNED));
            assertThat(items(instance, "initech", "")).isEmpty();
        }
    }

    @Test
    @Order(4)
    void shouldAnswer404ForUnknownAnd400ForBadInputOnEitherInstance() throws Exception {
        for (Instance instance : List.of(a, b)) {
            // Unknown conversations on both instances' partitions
            for (int i = 0; i < 6; i++) {
                HttpResponse<String> unknown = get(instance, "/api/v1/conversations/100000000000001:1555000000" + i, "demo");
                assertThat(unknown.statusCode()).isEqualTo(404);
                assertThat(JSON.readTree(unknown.body()).get("status").asInt()).isEqualTo(404);
            }
            assertBadRequest(get(instance, "/api/v1/conversations/no-colon", "demo"), "conversationId");
            assertBadRequest(list(instance, "demo", "limit=201"), "limit");
            assertBadRequest(list(instance, "demo", "cursor=bm9wZQ"), "cursor");
            assertBadRequest(list(instance, "demo", "within=PT1H"), "within");
            assertBadRequest(list(instance, "demo", "assignee=" + AGENT + "&unassigned=true"), "assignee");
        }
    }

    @Test
    @Order(5)
    void shouldAnswer503RatherThanAGuessWhenTheOwnerIsDown() throws Exception {
        // Given instance B stops (the group notices only after the session timeout, so A still names it owner)
        Conversation ofB = conversations.stream().filter(c -> owner(c).equals(b.host())).findFirst().orElseThrow();
        Conversation ofA = conversations.stream().filter(c -> owner(c).equals(a.host())).findFirst().orElseThrow();
        b.context().close();

        // Then A answers 503 with Retry-After for B's conversations and for lists, and still serves its own
        HttpResponse<String> single = get(a, "/api/v1/conversations/" + ofB.id(), ofB.tenantId());
        assertThat(single.statusCode()).isEqualTo(503);
        assertThat(single.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(JSON.readTree(single.body()).get("detail").asString()).contains("unreachable");
        HttpResponse<String> page = list(a, "demo", "");
        assertThat(page.statusCode()).isEqualTo(503);
        assertThat(page.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(get(a, "/api/v1/conversations/" + ofA.id(), ofA.tenantId()).statusCode()).isEqualTo(200);
    }

    private Instance start() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = socket.getLocalPort();
        }
        ConfigurableApplicationContext context = new SpringApplicationBuilder(SessionServiceApplication.class).run(
                // Command-line arguments outrank application.yml; application-server follows server.port.
                "--server.port=" + port,
                "--answerline.session.data-dir=" + Files.createTempDirectory("session-two-instances"),
                "--spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                "--spring.kafka.properties.schema.registry.url=" + REGISTRY,
                "--answerline.session.streams.commit-interval=50ms",
                "--answerline.session.jwt.jwks-uri=" + SessionApps.TOKENS.jwksUri(),
                "--management.server.port=0",
                "--logging.level.kafka=WARN",
                "--logging.level.state.change.logger=WARN",
                "--logging.level.org.apache.kafka.storage=WARN",
                "--logging.level.org.apache.kafka.controller=WARN",
                "--logging.level.org.apache.kafka.raft=WARN",
                "--logging.level.org.apache.kafka.coordinator=WARN");
        return new Instance(context, port);
    }

    private HostInfo owner(Conversation conversation) {
        return a.streams().queryMetadataForKey(SessionTopology.SESSION_STORE, conversation.id(),
                Serdes.String().serializer()).activeHost();
    }

    private static boolean isOpen(Kind kind) {
        return kind == Kind.OPEN || kind == Kind.EXPIRING || kind == Kind.ASSIGNED;
    }

    private static List<String> ids(List<Conversation> conversations, String tenant,
                                    Predicate<Kind> kinds) {
        return conversations.stream().filter(c -> c.tenantId().equals(tenant) && kinds.test(c.kind()))
                .map(Conversation::id).toList();
    }

    private static List<String> ids(List<JsonNode> items) {
        return items.stream().map(item -> item.get("conversationId").asString()).collect(Collectors.toList());
    }

    /** The items of one page of {@code tenant}'s list (limit 200: all of them), asserting 200. */
    private static List<JsonNode> items(Instance instance, String tenant, String query)
            throws IOException, InterruptedException {
        HttpResponse<String> response = list(instance, tenant, query);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<JsonNode> items = new ArrayList<>();
        JSON.readTree(response.body()).get("items").forEach(items::add);
        return items;
    }

    /** A list as an agent of {@code tenant}: the tenant is the token's. */
    private static HttpResponse<String> list(Instance instance, String tenant, String query)
            throws IOException, InterruptedException {
        return get(instance, "/api/v1/conversations?" + query, tenant);
    }

    private static void assertBadRequest(HttpResponse<String> response, String field) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).get("field").asString()).isEqualTo(field);
    }

    /** As an agent of {@code tenant}; a read forwarded to the owner carries this token on. */
    private static HttpResponse<String> get(Instance instance, String path, String tenant)
            throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.port() + path))
                .header("Authorization", SessionApps.bearer(tenant)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private KafkaProducer<String, Object> avroProducer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, com.answerline.schemas.serde.KafkaAvroSerializer.class,
                AvroSerdeConfig.SCHEMA_REGISTRY_URL, REGISTRY));
    }

    private static InboundMessage message(Conversation conversation) {
        boolean sms = conversation.kind() == Kind.SMS_ONLY;
        String customer = conversation.id().substring(conversation.id().indexOf(':') + 1);
        return InboundMessage.newBuilder()
                .setTenantId(conversation.tenantId()).setConversationId(conversation.id())
                .setPhoneNumberId(PHONE_NUMBER_IDS.get(conversation.tenantId()))
                .setChannel(sms ? Channel.SMS : Channel.WHATSAPP)
                .setMessageId((sms ? "SM" : "wamid.") + URLEncoder.encode(conversation.id(), StandardCharsets.UTF_8))
                .setCustomerPhone(customer).setType("text").setText("hello")
                .setSentAt(conversation.sentAt()).setReceivedAt(Instant.now())
                .build();
    }
}
