package com.answerline.ingest.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

import com.answerline.avro.Channel;
import com.answerline.avro.DeliveryLifecycle;
import com.answerline.avro.DeliveryState;
import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.SendStep;
import com.answerline.avro.SessionState;
import com.answerline.avro.ThreadDirection;
import com.answerline.avro.ThreadMessage;
import com.answerline.ingest.events.LiveEventFeed;
import com.answerline.schemas.testing.LoopbackKafkaBroker;
import com.answerline.schemas.topic.Topics;

/**
 * {@code GET /api/v1/events} over real HTTP against a real broker: a tenant's stream carries its own session
 * changes, reply outcomes (with their deliveries) and thread messages, live from Kafka, and nothing of another
 * tenant's; streams above the cap get 503; a stream ends at its token's expiry and an expired token opens none;
 * the open streams are a gauge on the Prometheus scrape.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "server.address=127.0.0.1", "management.server.port=0",
        "spring.kafka.properties.schema.registry.url=" + TestSupport.REGISTRY,
        "answerline.ingest.events.max-streams=2",
        "logging.level.kafka=WARN", "logging.level.state.change.logger=WARN", "logging.level.org.apache.kafka=WARN"})
class EventsIT {

    private static final LoopbackKafkaBroker BROKER = LoopbackKafkaBroker.start();
    private static final TestTokens TOKENS = TestTokens.start();
    private static final String DEMO_CONVERSATION = "100000000000001:31611112222";
    private static final String OTHER_CONVERSATION = "100000000000002:31633334444";
    /** demo's conversation whose records mark the end of what a test published. */
    private static final String END_CONVERSATION = "100000000000001:31699990000";

    @LocalServerPort
    int serverPort;

    @LocalManagementPort
    int managementPort;

    @Autowired
    LiveEventFeed feed;

    @DynamicPropertySource
    static void brokerAndJwks(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", BROKER::bootstrapServers);
        registry.add("answerline.ingest.data-dir", TestSupport::freshDataDir);
        registry.add("answerline.ingest.jwt.jwks-uri", TOKENS::jwksUri);
    }

    @AfterAll
    static void stop() {
        TOKENS.close();
        BROKER.close();
    }

    @Test
    void shouldStreamExactlyTheTenantsConversationChangeAndReplyOutcome() {
        // Given demo's agent listening, and the feed at the end of the topics
        await().atMost(Duration.ofSeconds(60)).until(feed::live);
        List<ServerSentEvent<String>> received = new CopyOnWriteArrayList<>();
        Disposable stream = events(TOKENS.agent("agent-7", "demo")).subscribe(received::add);
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> received.stream().anyMatch(e -> "stream open".equals(e.comment())));
            // When another tenant's session and outcome, then demo's, are published (each pair on one partition,
            // so demo's record arrives after the other tenant's has been read)
            try (KafkaProducer<String, Object> producer = TestSupport.producer(BROKER.bootstrapServers())) {
                producer.send(new ProducerRecord<>(Topics.CONVERSATION_SESSIONS.name(), 0, OTHER_CONVERSATION, session("other", OTHER_CONVERSATION)));
                producer.send(new ProducerRecord<>(Topics.DISPATCH_OUTCOMES.name(), 0, OTHER_CONVERSATION, outcome("other", OTHER_CONVERSATION)));
                producer.send(new ProducerRecord<>(Topics.CONVERSATION_SESSIONS.name(), 0, DEMO_CONVERSATION, session("demo", DEMO_CONVERSATION)));
                producer.send(new ProducerRecord<>(Topics.DISPATCH_OUTCOMES.name(), 0, DEMO_CONVERSATION, outcome("demo", DEMO_CONVERSATION)));
                // and, behind them on the same partitions, demo's end markers: once both are streamed, everything
                // before them on these partitions has been read
                producer.send(new ProducerRecord<>(Topics.CONVERSATION_SESSIONS.name(), 0, END_CONVERSATION, session("demo", END_CONVERSATION)));
                producer.send(new ProducerRecord<>(Topics.DISPATCH_OUTCOMES.name(), 0, END_CONVERSATION,
                        DispatchOutcome.newBuilder(outcome("demo", END_CONVERSATION)).setCommandId("cmd-end").build()));
                producer.flush();
            }
            // Then, once the end markers are streamed, demo's stream got exactly demo's two events before them
            await().atMost(Duration.ofSeconds(30)).until(() -> named(received).stream()
                    .filter(e -> e.data().contains(END_CONVERSATION)).count() == 2);
            List<ServerSentEvent<String>> events = named(received).stream()
                    .filter(e -> !e.data().contains(END_CONVERSATION)).toList();
            assertThat(events).hasSize(2);
            ServerSentEvent<String> conversation = events.stream().filter(e -> "conversation".equals(e.event())).findFirst().orElseThrow();
            assertThat(conversation.id()).isEqualTo(DEMO_CONVERSATION + "@7");
            assertThat(conversation.data()).contains("\"conversationId\":\"" + DEMO_CONVERSATION + "\"")
                    .contains("\"windowOpen\":true").contains("\"assigneeId\":\"agent-7\"").contains("\"version\":7")
                    .doesNotContain("Ada");
            ServerSentEvent<String> outcome = events.stream().filter(e -> "reply-outcome".equals(e.event())).findFirst().orElseThrow();
            assertThat(outcome.data()).contains("\"commandId\":\"cmd-demo\"").contains("\"status\":\"SENT\"")
                    .contains("\"final\":true");
            assertThat(received).noneMatch(e -> e.data() != null && e.data().contains(OTHER_CONVERSATION));
        } finally {
            stream.dispose();
        }
    }

    @Test
    void shouldStreamTheTenantsThreadMessagesAndTheReplysDeliveryToItsStreamOnly() {
        // Given demo's agent and other's agent listening
        await().atMost(Duration.ofSeconds(60)).until(feed::live);
        List<ServerSentEvent<String>> demo = new CopyOnWriteArrayList<>();
        List<ServerSentEvent<String>> other = new CopyOnWriteArrayList<>();
        Disposable demoStream = events(TOKENS.agent("agent-7", "demo")).subscribe(demo::add);
        Disposable otherStream = events(TOKENS.agent("agent-8", "other")).subscribe(other::add);
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> demo.stream().anyMatch(e -> e.comment() != null)
                    && other.stream().anyMatch(e -> e.comment() != null));
            // When demo's customer writes, and demo's reply is sent and then delivered (session-service's thread
            // records; the outcome on dispatch-outcomes)
            Instant now = Instant.now();
            try (KafkaProducer<String, Object> producer = TestSupport.producer(BROKER.bootstrapServers())) {
                producer.send(new ProducerRecord<>(Topics.CONVERSATION_MESSAGES.name(), 1, DEMO_CONVERSATION,
                        inbound(DEMO_CONVERSATION, now)));
                producer.send(new ProducerRecord<>(Topics.DISPATCH_OUTCOMES.name(), 1, DEMO_CONVERSATION,
                        DispatchOutcome.newBuilder(outcome("demo", DEMO_CONVERSATION)).setCommandId("cmd-live").build()));
                producer.send(new ProducerRecord<>(Topics.CONVERSATION_MESSAGES.name(), 1, DEMO_CONVERSATION,
                        delivered(DEMO_CONVERSATION, "cmd-live", now)));
                producer.flush();
            }
            // Then, once the last record's change is streamed (the delivered send, behind the customer's message on
            // the same partition), demo's stream got the customer's message with its text, as a thread item, once
            await().atMost(Duration.ofSeconds(30)).until(() -> demo.stream().anyMatch(e -> "message".equals(e.event())
                    && e.data().contains("\"id\":\"out:cmd-live/REPLY\"")));
            assertThat(demo).filteredOn(e -> "message".equals(e.event()) && e.data().contains("in:wamid.live"))
                    .singleElement().satisfies(e -> assertThat(e.data())
                            .contains("\"conversationId\":\"" + DEMO_CONVERSATION + "\",\"message\":{")
                            .contains("\"text\":\"Where is my parcel?\"").contains("\"direction\":\"INBOUND\""));
            // And the send's change as a message event, and the reply's outcome carrying the delivery (whichever
            // of the outcome and the delivery the feed read first)
            await().atMost(Duration.ofSeconds(30)).until(() -> demo.stream().anyMatch(e -> "reply-outcome".equals(e.event())
                    && e.data().contains("\"commandId\":\"cmd-live\"") && e.data().contains("\"state\":\"DELIVERED\"")));
            assertThat(demo).anyMatch(e -> "message".equals(e.event()) && e.data().contains("\"id\":\"out:cmd-live/REPLY\"")
                    && e.data().contains("\"delivery\":{\"state\":\"DELIVERED\""));
            // And other's stream got none of it
            assertThat(other).noneMatch(e -> e.event() != null);
        } finally {
            demoStream.dispose();
            otherStream.dispose();
        }
    }

    @Test
    void shouldAnswer503AboveTheCapAndShowOpenStreamsOnTheScrape() {
        // Given two open streams (the cap of this test)
        List<ServerSentEvent<String>> received = new CopyOnWriteArrayList<>();
        Disposable first = events(TOKENS.agent("agent-7", "demo")).subscribe(received::add);
        Disposable second = events(TOKENS.agent("agent-8", "other")).subscribe(received::add);
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> received.stream().filter(e -> e.comment() != null).count() >= 2);
            // When a third is asked for, then it is refused for now
            WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + serverPort).responseTimeout(Duration.ofSeconds(30)).build()
                    .get().uri("/api/v1/events").headers(h -> h.setBearerAuth(TOKENS.agent("agent-9", "demo")))
                    .accept(MediaType.TEXT_EVENT_STREAM).exchange()
                    .expectStatus().isEqualTo(503)
                    .expectHeader().exists("Retry-After")
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
            // And the scrape shows two open streams, without labels
            assertThat(scrape()).contains("ingest_gateway_sse_streams 2.0");
        } finally {
            first.dispose();
            second.dispose();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> scrape().contains("ingest_gateway_sse_streams 0.0"));
    }

    @Test
    void shouldEndTheStreamWithAnExpiredEventWhenItsTokenExpires() {
        // Given no stream open, and a token that expires in three seconds (JWT expiries are whole seconds)
        await().atMost(Duration.ofSeconds(30)).until(() -> scrape().contains("ingest_gateway_sse_streams 0.0"));
        Instant expiresAt = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.SECONDS);
        // When a stream is opened with it and read to its end
        List<ServerSentEvent<String>> received = events(TOKENS.agentUntil("agent-short", "demo", expiresAt))
                .collectList().block(Duration.ofSeconds(30));
        Instant ended = Instant.now();
        // Then it was open, ended with an expired event naming the reason, and not before the token's expiry
        assertThat(received).first().satisfies(e -> assertThat(e.comment()).isEqualTo("stream open"));
        assertThat(received).last().satisfies(e -> {
            assertThat(e.event()).isEqualTo("expired");
            assertThat(e.data()).contains("\"type\":\"token-expired\"").contains(expiresAt.toString());
        });
        assertThat(ended).isAfterOrEqualTo(expiresAt);
        // And its place is given back
        await().atMost(Duration.ofSeconds(30)).until(() -> scrape().contains("ingest_gateway_sse_streams 0.0"));
    }

    @Test
    void shouldAnswer401ToAnExpiredTokenOnTheStreamAndTheGateway() {
        // Given a token that expired five minutes ago (beyond any clock skew the decoder allows)
        String expired = TOKENS.agentUntil("agent-7", "demo", Instant.now().minus(Duration.ofMinutes(5)));
        WebTestClient client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + serverPort)
                .responseTimeout(Duration.ofSeconds(30)).build();
        // Then neither the event stream nor the conversation list accepts it
        client.get().uri("/api/v1/events").headers(h -> h.setBearerAuth(expired)).accept(MediaType.TEXT_EVENT_STREAM)
                .exchange().expectStatus().isUnauthorized().expectHeader().valueMatches("WWW-Authenticate", "Bearer.*");
        client.get().uri("/api/v1/conversations").headers(h -> h.setBearerAuth(expired)).accept(MediaType.APPLICATION_JSON)
                .exchange().expectStatus().isUnauthorized();
    }

    private Flux<ServerSentEvent<String>> events(String token) {
        return WebClient.create("http://127.0.0.1:" + serverPort).get().uri("/api/v1/events")
                .headers(h -> h.setBearerAuth(token)).accept(MediaType.TEXT_EVENT_STREAM)
                .retrieve().bodyToFlux(new ParameterizedTypeReference<ServerSentEvent<String>>() { });
    }

    private String scrape() {
        return WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + managementPort).build()
                .get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
    }

    private static List<ServerSentEvent<String>> named(List<ServerSentEvent<String>> received) {
        return received.stream().filter(e -> e.event() != null).toList();
    }

    private static SessionState session(String tenant, String conversation) {
        Instant now = Instant.now();
        return SessionState.newBuilder()
                .setTenantId(tenant).setConversationId(conversation)
                .setPhoneNumberId(conversation.substring(0, conversation.indexOf(':')))
                .setVersion(7).setCustomerProfileName("Ada")
                .setLastCustomerMessageAt(now.minusSeconds(60)).setWindowExpiresAt(now.plus(Duration.ofHours(23)))
                .setAssigneeId("agent-7").setUnansweredSince(now.minusSeconds(60)).setLastInboundAt(now.minusSeconds(60))
                .setUpdatedAt(now)
                .build();
    }

    private static ThreadMessage inbound(String conversation, Instant now) {
        return ThreadMessage.newBuilder()
                .setTenantId("demo").setConversationId(conversation).setEntryId("in:wamid.live")
                .setDirection(ThreadDirection.INBOUND).setChannel(Channel.WHATSAPP).setAt(now.minusSeconds(1))
                .setProviderMessageId("wamid.live").setType("text").setText("Where is my parcel?").setUpdatedAt(now)
                .build();
    }

    private static ThreadMessage delivered(String conversation, String commandId, Instant now) {
        return ThreadMessage.newBuilder()
                .setTenantId("demo").setConversationId(conversation).setEntryId("out:" + commandId + "/REPLY")
                .setDirection(ThreadDirection.OUTBOUND).setChannel(Channel.WHATSAPP).setAt(now).setType("text")
                .setText("On its way").setCommandId(commandId).setStep(SendStep.REPLY).setOutcomeStatus(OutcomeStatus.SENT)
                .setDelivery(DeliveryLifecycle.newBuilder().setState(DeliveryState.DELIVERED).setAcceptedAt(now)
                        .setSentAt(now).setDeliveredAt(now).build())
                .setUpdatedAt(now)
                .build();
    }

    private static DispatchOutcome outcome(String tenant, String conversation) {
        return DispatchOutcome.newBuilder()
                .setCommandId("cmd-" + tenant).setTenantId(tenant).setConversationId(conversation)
                .setStatus(OutcomeStatus.SENT).setFinal$(true).setChannel(Channel.WHATSAPP)
                .setReason("WINDOW_OPEN").setOccurredAt(Instant.now())
                .build();
    }
}
