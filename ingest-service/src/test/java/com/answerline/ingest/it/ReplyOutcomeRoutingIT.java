package com.answerline.ingest.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.answerline.platform.streams.StreamsInstance;
import com.answerline.avro.Channel;
import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.ReplyCancellation;
import com.answerline.avro.SendStep;
import com.answerline.ingest.IngestApplication;
import com.answerline.ingest.client.PeerClient;
import com.answerline.ingest.query.ReplyOutcomes;
import com.answerline.schemas.testing.LoopbackKafkaBroker;
import com.answerline.schemas.topic.Topics;

/**
 * Two ingest instances (same Streams application id, own ports and data folders) on one real broker: each owns
 * part of the reply-outcomes store, and every outcome is readable through either instance, because a read for a
 * command the other instance owns is forwarded there with the agent's token (and answered there from its own
 * partitions only).
 */
class ReplyOutcomeRoutingIT {

    static final int COMMANDS = 24;
    static final String CONVERSATION = "100000000000001:31612345678";

    static LoopbackKafkaBroker broker;
    static TestTokens tokens;
    static final List<ConfigurableApplicationContext> instances = new ArrayList<>();
    static final List<WebTestClient> clients = new ArrayList<>();

    @BeforeAll
    static void startTwoInstances() {
        broker = LoopbackKafkaBroker.start();
        tokens = TestTokens.start();
        // Ports chosen up front: each instance's application.server must name the port it really listens on.
        for (int port : new int[] {freePort(), freePort()}) {
            instances.add(new SpringApplicationBuilder(IngestApplication.class).run(
                    "--server.address=127.0.0.1", "--server.port=" + port, "--management.server.port=0",
                    "--spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                    "--spring.kafka.properties.schema.registry.url=" + TestSupport.REGISTRY,
                    "--answerline.ingest.data-dir=" + TestSupport.freshDataDir(),
                    "--answerline.ingest.jwt.jwks-uri=" + tokens.jwksUri(),
                    "--logging.level.kafka=WARN", "--logging.level.state.change.logger=WARN",
                    "--logging.level.org.apache.kafka=WARN"));
            clients.add(WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                    .responseTimeout(Duration.ofSeconds(30)).build());
        }
    }

    @AfterAll
    static void stop() {
        instances.forEach(ConfigurableApplicationContext::close);
        if (tokens != null) {
            tokens.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void shouldAnswerEveryOutcomeThroughEitherInstance() {
        // Given both instances RUNNING, each owning part of the store
        await().atMost(Duration.ofSeconds(120)).until(() -> instances.stream().allMatch(ReplyOutcomeRoutingIT::running));
        List<String> commandIds = IntStream.range(0, COMMANDS).mapToObj(i -> UUID.randomUUID().toString()).toList();

        // When dispatch reports a final outcome for each command
        try (KafkaProducer<String, Object> producer = TestSupport.producer(broker.bootstrapServers())) {
            for (String commandId : commandIds) {
                producer.send(new ProducerRecord<>(Topics.DISPATCH_OUTCOMES.name(), CONVERSATION, sent(commandId)));
            }
            producer.flush();
        }

        // Then an agent of demo reads every one of them through both instances
        String demo = tokens.agent("agent-42", "demo");
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            for (String commandId : commandIds) {
                for (WebTestClient client : clients) {
                    client.get().uri("/api/v1/replies/{id}", commandId).headers(h -> h.setBearerAuth(demo)).exchange()
                            .expectStatus().isOk()
                            .expectBody()
                            .jsonPath("$.commandId").isEqualTo(commandId)
                            .jsonPath("$.status").isEqualTo("SENT");
                }
            }
        });
        // And the reads really crossed instances: each instance owns some of the commands and not others
        for (ConfigurableApplicationContext instance : instances) {
            ReplyOutcomes outcomes = instance.getBean(ReplyOutcomes.class);
            assertThat(commandIds).anyMatch(id -> outcomes.remoteOwner(id).isPresent())
                    .anyMatch(id -> outcomes.remoteOwner(id).isEmpty());
        }
    }

    @Test
    void shouldKeepAnotherTenantsOutcomeHiddenOnEitherInstance() {
        await().atMost(Duration.ofSeconds(120)).until(() -> instances.stream().allMatch(ReplyOutcomeRoutingIT::running));
        String commandId = UUID.randomUUID().toString();
        try (KafkaProducer<String, Object> producer = TestSupport.producer(broker.bootstrapServers())) {
            producer.send(new ProducerRecord<>(Topics.DISPATCH_OUTCOMES.name(), CONVERSATION, sent(commandId)));
            producer.flush();
        }
        String demo = tokens.agent("agent-42", "demo");
        String other = tokens.agent("agent-43", "other");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> clients.forEach(client -> client.get()
                .uri("/api/v1/replies/{id}", commandId).headers(h -> h.setBearerAuth(demo)).exchange()
                .expectStatus().isOk()));
        // The owner checks the forwarded token's tenant itself: the other tenant gets 404 through either instance
        for (WebTestClient client : clients) {
            client.get().uri("/api/v1/replies/{id}", commandId).headers(h -> h.setBearerAuth(other)).exchange()
                    .expectStatus().isNotFound();
        }
        // And a forwarded request is answered from the receiving instance's own partitions only (no second hop):
        // exactly one instance has the outcome locally
        long local = clients.stream().filter(client -> client.get().uri("/api/v1/replies/{id}", commandId)
                .headers(h -> h.setBearerAuth(demo)).header(PeerClient.FORWARDED_HEADER, "1").exchange()
                .returnResult(String.class).getStatus().value() == 200).count();
        assertThat(local).isEqualTo(1);
    }

    @Test
    void shouldCancelAHeldAnswerThroughEitherInstance() {
        // Given both instances RUNNING and held answers of demo, some owned by each instance
        await().atMost(Duration.ofSeconds(120)).until(() -> instances.stream().allMatch(ReplyOutcomeRoutingIT::running));
        List<String> commandIds = IntStream.range(0, 8).mapToObj(i -> UUID.randomUUID().toString()).toList();
        try (KafkaProducer<String, Object> producer = TestSupport.producer(broker.bootstrapServers())) {
            for (String commandId : commandIds) {
                producer.send(new ProducerRecord<>(Topics.DISPATCH_OUTCOMES.name(), CONVERSATION, held(commandId)));
            }
            producer.flush();
        }
        String demo = tokens.agent("agent-42", "demo");
        String other = tokens.agent("agent-43", "other");
        await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
            for (String commandId : commandIds) {
                for (WebTestClient client : clients) {
                    client.get().uri("/api/v1/replies/{id}", commandId).headers(h -> h.setBearerAuth(demo)).exchange()
                            .expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("HELD");
                }
            }
        });
        // When demo's agent cancels each through both instances (the owner's answer relayed, Location included),
        // and another tenant's agent tries
        for (String commandId : commandIds) {
            for (WebTestClient client : clients) {
                client.delete().uri("/api/v1/replies/{id}/hold", commandId).headers(h -> h.setBearerAuth(demo)).exchange()
                        .expectStatus().isAccepted()
                        .expectHeader().valueEquals("Location", "/api/v1/replies/" + commandId);
                client.delete().uri("/api/v1/replies/{id}/hold", commandId).headers(h -> h.setBearerAuth(other)).exchange()
                        .expectStatus().isNotFound();
            }
        }
        // Then each request published one cancellation, keyed by the conversation, by demo's agent
        List<ReplyCancellation> cancellations = TestSupport.readToEnd(broker.bootstrapServers(), Topics.REPLY_CANCELLATIONS.name())
                .stream()
                .filter(r -> commandIds.contains(((ReplyCancellation) r.value()).getCommandId()))
                .peek(r -> assertThat(r.key()).isEqualTo(CONVERSATION))
                .map(r -> (ReplyCancellation) r.value())
                .toList();
        assertThat(cancellations).hasSize(commandIds.size() * clients.size())
                .allSatisfy(c -> assertThat(c.getAgentId()).isEqualTo("agent-42"));
    }

    private static boolean running(ConfigurableApplicationContext instance) {
        KafkaStreams streams = instance.getBean(StreamsInstance.class).get();
        return streams != null && streams.state() == KafkaStreams.State.RUNNING
                && streams.metadataForAllStreamsClients().size() == 2;
    }

    private static DispatchOutcome sent(String commandId) {
        return DispatchOutcome.newBuilder()
                .setCommandId(commandId).setTenantId("demo").setConversationId(CONVERSATION)
                .setStatus(OutcomeStatus.SENT).setFinal$(true).setChannel(Channel.WHATSAPP).setReason("WINDOW_OPEN")
                .setProviderMessageId("wamid.OUT-" + commandId).setOccurredAt(Instant.now())
                .build();
    }

    private static DispatchOutcome held(String commandId) {
        return DispatchOutcome.newBuilder()
                .setCommandId(commandId).setTenantId("demo").setConversationId(CONVERSATION)
                .setStatus(OutcomeStatus.HELD).setFinal$(false).setStep(SendStep.HOLD_INVITATION)
                .setChannel(Channel.WHATSAPP_TEMPLATE).setReason("WINDOW_CLOSED_ANSWER_HELD")
                .setHoldExpiresAt(Instant.now().plus(Duration.ofDays(7))).setOccurredAt(Instant.now())
                .build();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
