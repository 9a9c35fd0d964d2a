package com.answerline.ingest.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Flux;

import com.answerline.platform.streams.StreamsInstance;
import com.answerline.avro.ReplyAcceptance;
import com.answerline.avro.ReplyCommand;
import com.answerline.ingest.IngestApplication;
import com.answerline.ingest.gateway.ReplyCommands;
import com.answerline.ingest.query.AcceptedReplies;
import com.answerline.ingest.topology.ReplyAcceptanceTable;
import com.answerline.schemas.conversation.ConversationId;
import com.answerline.schemas.testing.LoopbackKafkaBroker;
import com.answerline.schemas.topic.Topics;

/**
 * Stored idempotency through real HTTP against a real broker: a replayed Idempotency-Key returns the first
 * command and publishes nothing, concurrently too; another body under the key is a 422; and after the app is
 * restarted with an empty state folder (the reply-acceptances global table rebuilt from the topic) a replay
 * still returns the same command and still publishes nothing. Counts are read from the topics to their end.
 */
class IdempotencyIT {

    private static final LoopbackKafkaBroker BROKER = LoopbackKafkaBroker.start();
    private static final TestTokens TOKENS = TestTokens.start();
    private static final String CONVERSATION = "100000000000001:31687654321";
    /** The conversation of the refused command: the first test counts its own conversation's records. */
    private static final String REFUSED = "100000000000001:31687654322";
    private static final String BODY = "{\"text\":\"Your order ships today\",\"fallback\":\"SMS\"}";

    @AfterAll
    static void stop() {
        TOKENS.close();
        BROKER.close();
    }

    @Test
    void shouldPublishOneCommandPerKeyAcrossReplaysConcurrentRequestsAndARestart() {
        String token = TOKENS.agent("agent-7", "demo");
        String commandId;
        String firstBody;
        try (ConfigurableApplicationContext app = startApp("ingest-it-first")) {
            WebTestClient client = client(app);
            // Given the app's Streams topology, which really holds the acceptances' global store
            assertThat(app.getBean(StreamsBuilderFactoryBean.class).getTopology().describe().globalStores())
                    .filteredOn(global -> global.source().topicSet().contains(Topics.REPLY_ACCEPTANCES.name()))
                    .singleElement().satisfies(global ->
                        assertThat(global.processor().stores()).containsExactly(ReplyAcceptanceTable.STORE));
            // When a reply is sent with a key
            EntityExchangeResult<String> first = post(client, token, "k-1", BODY).expectStatus().isAccepted()
                    .expectHeader().doesNotExist("Idempotent-Replayed")
                    .expectBody(String.class).returnResult();
            firstBody = first.getResponseBody();
            commandId = first.getResponseHeaders().getLocation().getPath().replace("/api/v1/replies/", "");
            // Then a replay gets the same 202, marked as a replay
            post(client, token, "k-1", BODY).expectStatus().isAccepted()
                    .expectHeader().valueEquals("Idempotent-Replayed", "true")
                    .expectHeader().valueEquals("Location", "/api/v1/replies/" + commandId)
                    .expectBody(String.class).isEqualTo(firstBody);
            // And another body under the same key is refused
            post(client, token, "k-1", "{\"text\":\"Something else\"}").expectStatus().isEqualTo(422)
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.field").isEqualTo("Idempotency-Key");
            // And six concurrent requests with a new key all get one command
            List<ResponseEntity<Map>> concurrent = Flux.range(0, 6)
                    .flatMap(i -> WebClient.create(baseUrl(app)).post()
                            .uri("/api/v1/conversations/{id}/replies", CONVERSATION)
                            .headers(h -> h.setBearerAuth(token)).header("Idempotency-Key", "k-2")
                            .contentType(MediaType.APPLICATION_JSON).bodyValue(BODY)
                            .retrieve().toEntity(Map.class))
                    .collectList().block(Duration.ofSeconds(60));
            assertThat(concurrent).extracting(ResponseEntity::getStatusCode).allMatch(s -> s.value() == 202);
            assertThat(concurrent).extracting(r -> r.getBody().get("commandId")).containsOnly(concurrent.get(0).getBody().get("commandId"));
            assertThat(concurrent).filteredOn(r -> r.getHeaders().containsHeader("Idempotent-Replayed")).hasSize(5);
            // And the running app's global table catches up with what it published
            AcceptedReplies table = app.getBean(AcceptedReplies.class);
            String id = commandId;
            await().atMost(Duration.ofSeconds(30)).until(() -> table.find(id).isPresent());
        }

        // When the app restarts with an empty state folder, so the global table is rebuilt from the topic
        // (Another application id: Streams members do not leave their group on close, so the same id would wait out
        // the first one's session timeout; the global table does not depend on the group anyway.)
        try (ConfigurableApplicationContext app = startApp("ingest-it-second")) {
            WebTestClient client = client(app);
            // Then a replay is still answered with the first command, and another body still refused
            post(client, token, "k-1", BODY).expectStatus().isAccepted()
                    .expectHeader().valueEquals("Idempotent-Replayed", "true")
                    .expectBody(String.class).isEqualTo(firstBody);
            post(client, token, "k-1", "{\"text\":\"Something else\"}").expectStatus().isEqualTo(422);
        }

        // And the topics hold exactly one command and one acceptance per key
        List<ConsumerRecord<String, Object>> commands = TestSupport.readToEnd(BROKER.bootstrapServers(), Topics.REPLY_COMMANDS.name());
        assertThat(commands).filteredOn(r -> ((ReplyCommand) r.value()).getCommandId().equals(commandId)).hasSize(1);
        assertThat(commands).filteredOn(r -> CONVERSATION.equals(r.key())).hasSize(2);
        List<ConsumerRecord<String, Object>> acceptances = TestSupport.readToEnd(BROKER.bootstrapServers(), Topics.REPLY_ACCEPTANCES.name());
        assertThat(acceptances).filteredOn(r -> CONVERSATION.equals(((ReplyAcceptance) r.value()).getConversationId())).hasSize(2)
                .anySatisfy(r -> assertThat(((ReplyAcceptance) r.value()).getCommandId()).isEqualTo(commandId).isEqualTo(r.key()));
    }

    /**
     * An acceptance is written only once its command is on Kafka, so a replay can never answer 202 for a reply that was
     * never published. Found by the long fault mode (run 11): the broker came back within the producer's delivery
     * timeout for the acceptance's partition but not the command's; the agent's retry then found the acceptance and was
     * told "accepted" for a reply no service ever saw. Here the broker refuses the command for real (its topic's
     * max.message.bytes below the command's size, above the acceptance's).
     */
    @Test
    void shouldLeaveNoAcceptanceBehindWhenKafkaRefusedTheCommand() throws Exception {
        String token = TOKENS.agent("agent-7", "demo");
        String text = IntStream.range(0, 100).mapToObj(i -> UUID.randomUUID().toString())
                .collect(Collectors.joining(" "));
        String body = "{\"text\":\"" + text + "\"}";
        try (ConfigurableApplicationContext app = startApp("ingest-it-refused");
             Admin admin = Admin.create(
                     Map.of("bootstrap.servers", BROKER.bootstrapServers()))) {
            var topic = new ConfigResource(
                    ConfigResource.Type.TOPIC, Topics.REPLY_COMMANDS.name());
            var limit = new AlterConfigOp(new ConfigEntry(
                    "max.message.bytes", "2048"), AlterConfigOp.OpType.SET);
            admin.incrementalAlterConfigs(Map.of(topic, List.of(limit))).all().get();
            try {
                WebTestClient client = client(app);
                // Given the broker applies the new limit (within a moment; probed with keys of their own)
                AtomicInteger probe = new AtomicInteger();
                await().atMost(Duration.ofSeconds(30)).until(() -> post(client, token, REFUSED, "probe-" + probe.incrementAndGet(),
                        body).returnResult(String.class).getStatus().value() == 413);
                // When Kafka refuses the reply's command
                post(client, token, REFUSED, "k-refused", body).expectStatus().isEqualTo(413);
                // Then a retry with the key is refused again, never answered as an accepted replay
                post(client, token, REFUSED, "k-refused", body).expectStatus().isEqualTo(413);
            } finally {
                admin.incrementalAlterConfigs(Map.of(topic, List.of(new AlterConfigOp(
                        new ConfigEntry("max.message.bytes", ""),
                        AlterConfigOp.OpType.DELETE)))).all().get();
            }
        }
        // And no acceptance of it is on Kafka: its command is not either
        String refusedId = ReplyCommands.commandId("demo", "agent-7", ConversationId.parse(REFUSED),
                new ReplyCommands.IdempotencyKey("k-refused", "Idempotency-Key"));
        assertThat(TestSupport.readToEnd(BROKER.bootstrapServers(), Topics.REPLY_COMMANDS.name()))
                .noneMatch(r -> ((ReplyCommand) r.value()).getCommandId().equals(refusedId));
        assertThat(TestSupport.readToEnd(BROKER.bootstrapServers(), Topics.REPLY_ACCEPTANCES.name()))
                .noneMatch(r -> refusedId.equals(r.key()));
    }

    private static WebTestClient.ResponseSpec post(WebTestClient client, String token, String key, String body) {
        return post(client, token, CONVERSATION, key, body);
    }

    private static WebTestClient.ResponseSpec post(WebTestClient client, String token, String conversation, String key,
                                                   String body) {
        return client.post().uri("/api/v1/conversations/{id}/replies", conversation)
                .headers(h -> h.setBearerAuth(token)).header("Idempotency-Key", key)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    /** The app on random loopback ports with a fresh state folder, once its Streams app (and so the table) runs. */
    private static ConfigurableApplicationContext startApp(String applicationId) {
        // Command-line arguments: they outrank application.yml (builder "properties" would not).
        ConfigurableApplicationContext app = new SpringApplicationBuilder(IngestApplication.class).run(
                "--server.address=127.0.0.1", "--server.port=0", "--management.server.port=0",
                "--spring.kafka.bootstrap-servers=" + BROKER.bootstrapServers(),
                "--spring.kafka.properties.schema.registry.url=" + TestSupport.REGISTRY,
                "--answerline.ingest.data-dir=" + TestSupport.freshDataDir(),
                "--answerline.ingest.streams.application-id=" + applicationId,
                "--answerline.ingest.jwt.jwks-uri=" + TOKENS.jwksUri(),
                "--logging.level.kafka=WARN", "--logging.level.state.change.logger=WARN",
                "--logging.level.org.apache.kafka=WARN");
        StreamsInstance streams = app.getBean(StreamsInstance.class);
        await().atMost(Duration.ofSeconds(60)).until(() -> streams.get() != null
                && streams.get().state() == KafkaStreams.State.RUNNING);
        return app;
    }

    private static String baseUrl(ConfigurableApplicationContext app) {
        return "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
    }

    private static WebTestClient client(ConfigurableApplicationContext app) {
        return WebTestClient.bindToServer().baseUrl(baseUrl(app)).responseTimeout(Duration.ofSeconds(30)).build();
    }
}
