package com.answerline.ingest.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.scheduler.Schedulers;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;

import com.answerline.avro.AssignmentChanged;
import com.answerline.avro.Channel;
import com.answerline.avro.DeliveryStatus;
import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.FallbackPolicy;
import com.answerline.avro.InboundMessage;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.ReplyCancellation;
import com.answerline.avro.ReplyCommand;
import com.answerline.avro.SendStep;
import com.answerline.ingest.identity.IdentityDirectory;
import com.answerline.ingest.webhook.sms.TwilioSignatureVerifier;
import com.answerline.schemas.testing.LoopbackKafkaBroker;
import com.answerline.schemas.topic.Topics;

/**
 * The service against a real Kafka broker (an in-process KRaft broker bound to 127.0.0.1 only):
 * webhooks and the gateway end with records on the topics, or with nothing published when refused; reply
 * outcomes published on dispatch-outcomes are readable through the gateway.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "server.address=127.0.0.1", "management.server.port=0",
        "spring.kafka.properties.schema.registry.url=" + TestSupport.REGISTRY,
        "answerline.ingest.twilio.public-base-url=https://ingest.example.test",
        // The in-JVM broker logs every partition at INFO (clients included: their INFO is noise here too).
        "logging.level.kafka=WARN", "logging.level.state.change.logger=WARN", "logging.level.org.apache.kafka=WARN"})
@AutoConfigureWebTestClient
class IngestIT {

    private static final String SECRET = "local-dev-app-secret";
    private static final TestTokens TOKENS = TestTokens.start();
    private static final LoopbackKafkaBroker BROKER = LoopbackKafkaBroker.start();

    @Autowired
    WebTestClient client;

    @Autowired
    IdentityDirectory identityDirectory;

    @Autowired
    MeterRegistry meters;

    @LocalServerPort
    int serverPort;

    @LocalManagementPort
    int managementPort;

    /** The management server: its own port, health and Prometheus only. */
    WebTestClient management;

    @BeforeEach
    void patientClient() {
        TestSupport.awaitIdentityDirectory(identityDirectory);
        // First publishes create producer metadata and register schemas; a loaded 2-core box needs more than 5 s.
        client = client.mutate().responseTimeout(Duration.ofSeconds(30)).build();
        management = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + managementPort)
                .responseTimeout(Duration.ofSeconds(30)).build();
    }

    @DynamicPropertySource
    static void jwksAndBroker(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", BROKER::bootstrapServers);
        registry.add("answerline.ingest.data-dir", TestSupport::freshDataDir);
        registry.add("answerline.ingest.jwt.jwks-uri", TOKENS::jwksUri);
    }

    @AfterAll
    static void stopJwksAndBroker() {
        TOKENS.close();
        BROKER.close();
    }

    /**
     * A load balancer's readiness check is answered while Reactor's shared blocking pool is busy to its last worker (as
     * when Kafka sends block for max.block.ms each while the broker is away): the check needs no pool.
     */
    @Test
    void shouldAnswerReadinessWhileReactorsSharedBlockingPoolIsBusy() throws InterruptedException {
        int workers = Schedulers.DEFAULT_BOUNDED_ELASTIC_SIZE;
        CountDownLatch busy = new CountDownLatch(workers);
        CountDownLatch release = new CountDownLatch(1);
        for (int i = 0; i <= workers; i++) {
            Schedulers.boundedElastic().schedule(() -> {
                busy.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
        try {
            assertThat(busy.await(30, TimeUnit.SECONDS)).as("every worker of the pool busy").isTrue();
            management.mutate().responseTimeout(Duration.ofSeconds(2)).build()
                    .get().uri("/actuator/health/readiness").exchange()
                    .expectStatus().isOk()
                    .expectBody().jsonPath("$.status").isEqualTo("UP");
        } finally {
            release.countDown();
        }
    }

    @Test
    void shouldRunTheBrokerOnLoopbackOnly() {
        // Given the running broker
        // When its ports are looked up in the socket tables and probed on every address of this machine
        // Then only 127.0.0.1 answers
        BROKER.assertListensOnLoopbackOnly();
    }

    @Test
    void shouldPublishASignedMessageKeyedByConversationAtTheCustomersSendTime() {
        // Given a customer message sent 25 hours ago, signed with the app secret
        long sentAt = Instant.now().minus(Duration.ofHours(25)).getEpochSecond();
        String wamid = "wamid.IT-" + UUID.randomUUID();
        byte[] body = TestSupport.whatsAppText("100000000000001", "31612345678", wamid, sentAt, "hello").getBytes(StandardCharsets.UTF_8);
        try (KafkaConsumer<String, Object> consumer = TestSupport.consumer(BROKER.bootstrapServers(), Topics.INBOUND_MESSAGES.name())) {
            // When
            postWhatsApp(body, TestSupport.metaSignature(SECRET, body)).expectStatus().isOk();
            // Then
            ConsumerRecord<String, Object> record = awaitRecord(consumer, r -> r.value() instanceof InboundMessage m
                    && m.getMessageId().equals(wamid));
            assertThat(record.key()).isEqualTo("100000000000001:31612345678");
            assertThat(record.timestamp()).isEqualTo(sentAt * 1000);
            InboundMessage message = (InboundMessage) record.value();
            assertThat(message.getTenantId()).isEqualTo("demo");
            assertThat(message.getText()).isEqualTo("hello");
            assertThat(message.getCustomerBsuid()).isEqualTo(TestSupport.bsuidOf("31612345678"));
        }
    }

    @Test
    void shouldRefuseABadSignatureWith401AndPublishNothing() {
        String forged = "wamid.FORGED-" + UUID.randomUUID();
        String genuine = "wamid.GENUINE-" + UUID.randomUUID();
        long now = Instant.now().getEpochSecond();
        byte[] forgedBody = TestSupport.whatsAppText("100000000000001", "31600000001", forged, now, "x").getBytes(StandardCharsets.UTF_8);
        byte[] genuineBody = TestSupport.whatsAppText("100000000000001", "31600000001", genuine, now, "y").getBytes(StandardCharsets.UTF_8);
        // When a forged webhook (signed with another secret) and one without signature arrive, then a genuine one
        postWhatsApp(forgedBody, TestSupport.metaSignature("not-the-secret", forgedBody))
                .expectStatus().isUnauthorized()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        client.post().uri("/webhooks/whatsapp").contentType(MediaType.APPLICATION_JSON).bodyValue(forgedBody)
                .exchange().expectStatus().isUnauthorized();
        postWhatsApp(genuineBody, TestSupport.metaSignature(SECRET, genuineBody)).expectStatus().isOk();
        // Then the topic read to its end offsets after the answers (a 200 means on Kafka), on every partition, holds
        // the genuine one and not the forged one
        List<ConsumerRecord<String, Object>> all = TestSupport.readToEnd(BROKER.bootstrapServers(),
                Topics.INBOUND_MESSAGES.name());
        assertThat(all).filteredOn(r -> messageId(r).equals(genuine)).hasSize(1);
        assertThat(all).noneMatch(r -> messageId(r).equals(forged));
    }

    @Test
    void shouldAnswer200CountAndKeepAMessageForANumberNoTenantOwnsOutOfTheConversationTopics() {
        // Given a genuine webhook for a business number that is not configured (kept on unrouted-webhooks: UnroutedWebhookIT)
        double before = meters.counter("ingest.webhook.unrouted", "channel", "whatsapp").count();
        String stray = "wamid.STRAY-" + UUID.randomUUID();
        String routed = "wamid.ROUTED-" + UUID.randomUUID();
        long now = Instant.now().getEpochSecond();
        byte[] strayBody = TestSupport.whatsAppText("100000000000999", "31600000002", stray, now, "x").getBytes(StandardCharsets.UTF_8);
        byte[] routedBody = TestSupport.whatsAppText("100000000000001", "31600000002", routed, now, "y").getBytes(StandardCharsets.UTF_8);
        // When
        postWhatsApp(strayBody, TestSupport.metaSignature(SECRET, strayBody)).expectStatus().isOk();
        postWhatsApp(routedBody, TestSupport.metaSignature(SECRET, routedBody)).expectStatus().isOk();
        // Then it is counted, and absent from every partition of the topic read to its end offsets after the answers
        // (the stray one would be keyed by another conversation than the routed one: another partition)
        assertThat(meters.counter("ingest.webhook.unrouted", "channel", "whatsapp").count()).isEqualTo(before + 1);
        List<ConsumerRecord<String, Object>> all = TestSupport.readToEnd(BROKER.bootstrapServers(),
                Topics.INBOUND_MESSAGES.name());
        assertThat(all).filteredOn(r -> messageId(r).equals(routed)).hasSize(1);
        assertThat(all).noneMatch(r -> messageId(r).equals(stray));
    }

    @Test
    void shouldAnswer400NamingTheMissingFieldAnd413AboveTheLimit() {
        byte[] incomplete = """
                {"entry":[{"changes":[{"value":{"metadata":{"phone_number_id":"100000000000001"},
                 "messages":[{"from":"31612345678","timestamp":"1","type":"text","text":{"body":"a"}}]}}]}]}
                """.getBytes(StandardCharsets.UTF_8);
        postWhatsApp(incomplete, TestSupport.metaSignature(SECRET, incomplete))
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.field").isEqualTo("entry[0].changes[0].value.messages[0].id");

        // A signed body under the limit whose message alone is larger than inbound-messages accepts (1 MiB): 413
        // problem details, not the 503 that had the sender retrying it for good
        byte[] bigText = ("""
                {"entry":[{"id":"200000000000001","changes":[{"value":{"metadata":{"phone_number_id":"100000000000001"},
                 "messages":[{"from":"31612345678","id":"wamid.big","timestamp":"1","type":"text","text":{"body":"%s"}}]}}]}]}
                """.formatted("x".repeat(1536 * 1024))).getBytes(StandardCharsets.UTF_8);
        postWhatsApp(bigText, TestSupport.metaSignature(SECRET, bigText))
                .expectStatus().isEqualTo(413)
                .expectBody().jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("larger than its topic accepts"));

        byte[] huge = new byte[3 * 1024 * 1024 + 1];
        java.util.Arrays.fill(huge, (byte) ' ');
        postWhatsApp(huge, TestSupport.metaSignature(SECRET, huge)).expectStatus().isEqualTo(413);
    }

    @Test
    void shouldAnswerTheVerificationHandshakeOnlyWithTheRightToken() {
        client.get().uri("/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=local-dev-verify-token&hub.challenge=1158201444")
                .exchange().expectStatus().isOk().expectBody(String.class).isEqualTo("1158201444");
        client.get().uri("/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1158201444")
                .exchange().expectStatus().isForbidden();
    }

    @Test
    void shouldPublishASignedInboundSmsInTheCustomersConversation() {
        // Given a Twilio-signed form over the public URL configured for ingest
        String sid = "SM" + UUID.randomUUID().toString().replace("-", "");
        var form = new LinkedMultiValueMap<String, String>();
        form.add("From", "+31612345678");
        form.add("To", "+15550000001");
        form.add("Body", "answering your SMS");
        form.add("MessageSid", sid);
        String signature = new TwilioSignatureVerifier("local-dev-twilio-auth-token")
                .sign("https://ingest.example.test/webhooks/sms", form);
        try (KafkaConsumer<String, Object> consumer = TestSupport.consumer(BROKER.bootstrapServers(), Topics.INBOUND_MESSAGES.name())) {
            // When
            client.post().uri("/webhooks/sms").header("X-Twilio-Signature", signature)
                    .body(BodyInserters.fromFormData(form)).exchange()
                    .expectStatus().isOk()
                    .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_XML)
                    .expectBody(String.class).value(xml -> assertThat(xml).contains("<Response/>"));
            // Then
            ConsumerRecord<String, Object> record = awaitRecord(consumer, r -> messageId(r).equals(sid));
            assertThat(record.key()).isEqualTo("100000000000001:31612345678");
            assertThat(((InboundMessage) record.value()).getChannel()).isEqualTo(Channel.SMS);
        }
        // And a wrong signature is refused
        client.post().uri("/webhooks/sms").header("X-Twilio-Signature", signature + "x")
                .body(BodyInserters.fromFormData(form)).exchange().expectStatus().isForbidden();
    }

    @Test
    void shouldPublishAStatusCallbackSignedOverItsFullUrlInTheConversationItsQueryNames() {
        // Given a status callback of our SMS fallback to a BSUID-keyed conversation, to the StatusCallback URL dispatch
        // gave (the send's reference in ?ref=), signed by Twilio over that full URL
        String sid = "SM" + UUID.randomUUID().toString().replace("-", "");
        var form = new LinkedMultiValueMap<String, String>();
        form.add("From", "+15550000001");
        form.add("To", "+31612345670");
        form.add("MessageSid", sid);
        form.add("MessageStatus", "delivered");
        String query = "ref=" + URLEncoder.encode("al1|100000000000001:NL.9876|cmd-77|FAILOVER", StandardCharsets.UTF_8);
        String signature = new TwilioSignatureVerifier("local-dev-twilio-auth-token")
                .sign("https://ingest.example.test/webhooks/sms/status?" + query, form);
        try (KafkaConsumer<String, Object> consumer = TestSupport.consumer(BROKER.bootstrapServers(), Topics.DELIVERY_STATUSES.name())) {
            // When
            // (an absolute URI: a template would encode the query's escapes again, and the signature is over them)
            client.post().uri(URI.create("http://127.0.0.1:" + serverPort + "/webhooks/sms/status?" + query))
                    .header("X-Twilio-Signature", signature)
                    .body(BodyInserters.fromFormData(form)).exchange()
                    .expectStatus().isOk();
            // Then the status is keyed by the send's conversation and names the command and step
            ConsumerRecord<String, Object> record = awaitRecord(consumer,
                    r -> r.value() instanceof DeliveryStatus status && status.getProviderMessageId().equals(sid));
            assertThat(record.key()).isEqualTo("100000000000001:NL.9876");
            assertThat(((DeliveryStatus) record.value()).getCommandId()).isEqualTo("cmd-77");
            assertThat(((DeliveryStatus) record.value()).getStep()).isEqualTo(SendStep.FAILOVER);
        }
        // And the same signature over another reference (the query is signed) is refused
        String forged = "ref=" + URLEncoder.encode("al1|100000000000001:NL.9876|cmd-78|FAILOVER", StandardCharsets.UTF_8);
        client.post().uri(URI.create("http://127.0.0.1:" + serverPort + "/webhooks/sms/status?" + forged))
                .header("X-Twilio-Signature", signature)
                .body(BodyInserters.fromFormData(form)).exchange().expectStatus().isForbidden();
    }

    @Test
    void shouldAnswer400ProblemDetailsToASmsFormWithABrokenPercentEscape() {
        for (String path : List.of("/webhooks/sms", "/webhooks/sms/status")) {
            client.post().uri(path).header("X-Twilio-Signature", "irrelevant")
                    .contentType(MediaType.APPLICATION_FORM_URLENCODED)
                    .bodyValue("From=%ZZ&To=%").exchange()
                    .expectStatus().isBadRequest()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.field").isEqualTo("body");
        }
    }

    @Test
    void shouldAcceptAnAgentsReplyWithARealJwtAndPublishTheCommand() {
        // Given an agent token of tenant demo signed by the key the JWKS server publishes
        String token = TOKENS.token("agent-42", "demo", List.of("agent"), "http://127.0.0.1:8089/sandbox", "answerline-gateway");
        try (KafkaConsumer<String, Object> consumer = TestSupport.consumer(BROKER.bootstrapServers(), Topics.REPLY_COMMANDS.name())) {
            // When
            Map<?, ?> accepted = client.post().uri("/api/v1/conversations/{id}/replies", "100000000000001:31612345678")
                    .headers(h -> h.setBearerAuth(token))
                    .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"text\":\"We are on it\",\"fallback\":\"SMS\"}")
                    .exchange()
                    .expectStatus().isAccepted()
                    .expectHeader().exists("Location")
                    .expectBody(Map.class).returnResult().getResponseBody();
            assertThat(accepted.get("status")).isEqualTo("PENDING");
            String commandId = (String) accepted.get("commandId");
            // Then
            ConsumerRecord<String, Object> record = awaitRecord(consumer, r -> r.value() instanceof ReplyCommand c
                    && c.getCommandId().equals(commandId));
            assertThat(record.key()).isEqualTo("100000000000001:31612345678");
            ReplyCommand command = (ReplyCommand) record.value();
            assertThat(command.getTenantId()).isEqualTo("demo");
            assertThat(command.getText()).isEqualTo("We are on it");
            assertThat(command.getFallback()).isEqualTo(FallbackPolicy.SMS);
        }
    }

    @Test
    void shouldPublishASupervisorsAssignmentKeyedByConversation() {
        // Given a supervisor token of tenant demo
        String token = TOKENS.token("sue", "demo", List.of("supervisor"), "http://127.0.0.1:8089/sandbox", "answerline-gateway");
        String conversation = "100000000000001:3161" + (1_000_000 + new java.util.Random().nextInt(8_000_000));
        try (KafkaConsumer<String, Object> consumer = TestSupport.consumer(BROKER.bootstrapServers(), Topics.ASSIGNMENT_CHANGES.name())) {
            // When
            client.put().uri("/api/v1/conversations/{id}/assignee", conversation)
                    .headers(h -> h.setBearerAuth(token))
                    .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"agentId\":\"agent-42\"}")
                    .exchange()
                    .expectStatus().isAccepted()
                    .expectBody().jsonPath("$.assigneeId").isEqualTo("agent-42");
            // Then
            ConsumerRecord<String, Object> record = awaitRecord(consumer, r -> conversation.equals(r.key()));
            AssignmentChanged change = (AssignmentChanged) record.value();
            assertThat(change.getTenantId()).isEqualTo("demo");
            assertThat(change.getAssigneeId()).isEqualTo("agent-42");
            assertThat(change.getChangedBy()).isEqualTo("sue");
            assertThat(record.timestamp()).isEqualTo(change.getChangedAt().toEpochMilli());
        }
    }

    @Test
    void shouldAnswerTheLatestOutcomeOfACommandFromDispatchOutcomesToItsTenantOnly() {
        // Given the outcome store is up, and dispatch reports PENDING then SENT for a command of tenant demo
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> management.get().uri("/actuator/health/outcomeStreams")
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("UP"));
        String commandId = UUID.randomUUID().toString();
        String conversation = "100000000000001:31612345678";
        String demo = TOKENS.token("agent-42", "demo", List.of("agent"), "http://127.0.0.1:8089/sandbox", "answerline-gateway");
        String other = TOKENS.token("agent-43", "other", List.of("agent"), "http://127.0.0.1:8089/sandbox", "answerline-gateway");
        client.get().uri("/api/v1/replies/{id}", commandId).headers(h -> h.setBearerAuth(demo)).exchange()
                .expectStatus().isNotFound();
        try (KafkaProducer<String, Object> producer = TestSupport.producer(BROKER.bootstrapServers())) {
            // When
            producer.send(new ProducerRecord<>(Topics.DISPATCH_OUTCOMES.name(), conversation,
                    outcome(commandId, conversation, OutcomeStatus.PENDING, false)));
            producer.send(new ProducerRecord<>(Topics.DISPATCH_OUTCOMES.name(), conversation,
                    outcome(commandId, conversation, OutcomeStatus.SENT, true)));
            producer.flush();
        }
        // Then demo's agent reads the final outcome through the gateway
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> client.get().uri("/api/v1/replies/{id}", commandId)
                .headers(h -> h.setBearerAuth(demo)).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.commandId").isEqualTo(commandId)
                .jsonPath("$.conversationId").isEqualTo(conversation)
                .jsonPath("$.status").isEqualTo("SENT")
                .jsonPath("$.final").isEqualTo(true)
                .jsonPath("$.channel").isEqualTo("WHATSAPP")
                .jsonPath("$.providerMessageId").isEqualTo("wamid.OUT-" + commandId));
        // And an agent of another tenant gets the answer of an unknown command
        client.get().uri("/api/v1/replies/{id}", commandId).headers(h -> h.setBearerAuth(other)).exchange()
                .expectStatus().isNotFound();
    }

    @Test
    void shouldPublishTheCancellationOfAHeldAnswerKeyedByConversationAndRefuseAnythingNotHeld() {
        // Given the outcome store is up, a command of demo whose answer dispatch holds, and one already SENT
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> management.get().uri("/actuator/health/outcomeStreams")
                .exchange().expectStatus().isOk().expectBody().jsonPath("$.status").isEqualTo("UP"));
        String held = UUID.randomUUID().toString();
        String sent = UUID.randomUUID().toString();
        String conversation = "100000000000001:31600000042";
        Instant expiresAt = Instant.parse("2026-12-02T12:00:00Z");
        String demo = TOKENS.token("agent-42", "demo", List.of("agent"), "http://127.0.0.1:8089/sandbox", "answerline-gateway");
        String other = TOKENS.token("agent-43", "other", List.of("agent"), "http://127.0.0.1:8089/sandbox", "answerline-gateway");
        try (KafkaProducer<String, Object> producer = TestSupport.producer(BROKER.bootstrapServers())) {
            producer.send(new ProducerRecord<>(Topics.DISPATCH_OUTCOMES.name(), conversation, DispatchOutcome.newBuilder()
                    .setCommandId(held).setTenantId("demo").setConversationId(conversation)
                    .setStatus(OutcomeStatus.HELD).setFinal$(false).setStep(SendStep.HOLD_INVITATION)
                    .setChannel(Channel.WHATSAPP_TEMPLATE).setReason("WINDOW_CLOSED_ANSWER_HELD")
                    .setProviderMessageId("wamid.INVITE-" + held).setHoldExpiresAt(expiresAt)
                    .setOccurredAt(Instant.now()).build()));
            producer.send(new ProducerRecord<>(Topics.DISPATCH_OUTCOMES.name(), conversation,
                    outcome(sent, conversation, OutcomeStatus.SENT, true)));
            producer.flush();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> client.get().uri("/api/v1/replies/{id}", held)
                .headers(h -> h.setBearerAuth(demo)).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("HELD")
                .jsonPath("$.step").isEqualTo("HOLD_INVITATION")
                .jsonPath("$.holdExpiresAt").isEqualTo("2026-12-02T12:00:00Z"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> client.get().uri("/api/v1/replies/{id}", sent)
                .headers(h -> h.setBearerAuth(demo)).exchange().expectStatus().isOk());

        try (KafkaConsumer<String, Object> consumer = TestSupport.consumer(BROKER.bootstrapServers(), Topics.REPLY_CANCELLATIONS.name())) {
            // When another tenant's agent, then demo's agent cancel the held answer
            client.delete().uri("/api/v1/replies/{id}/hold", held).headers(h -> h.setBearerAuth(other)).exchange()
                    .expectStatus().isNotFound()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
            client.delete().uri("/api/v1/replies/{id}/hold", held).headers(h -> h.setBearerAuth(demo)).exchange()
                    .expectStatus().isAccepted()
                    .expectHeader().valueEquals("Location", "/api/v1/replies/" + held)
                    .expectBody().jsonPath("$.status").isEqualTo("CANCELLATION_REQUESTED");
            // Then exactly demo's cancellation is on reply-cancellations (declared at start-up with its 6
            // partitions), keyed by the conversation like the held answer it cancels
            ConsumerRecord<String, Object> record = awaitRecord(consumer, r -> r.value() instanceof ReplyCancellation c
                    && c.getCommandId().equals(held));
            assertThat(record.key()).isEqualTo(conversation);
            ReplyCancellation cancellation = (ReplyCancellation) record.value();
            assertThat(cancellation.getTenantId()).isEqualTo("demo");
            assertThat(cancellation.getConversationId()).isEqualTo(conversation);
            assertThat(cancellation.getAgentId()).isEqualTo("agent-42");
            assertThat(cancellation.getRequestedAt()).isBefore(Instant.now().plusSeconds(1));
            assertThat(consumer.partitionsFor(Topics.REPLY_CANCELLATIONS.name())).hasSize(6);
        }
        assertThat(TestSupport.readToEnd(BROKER.bootstrapServers(), Topics.REPLY_CANCELLATIONS.name()))
                .filteredOn(r -> ((ReplyCancellation) r.value()).getCommandId().equals(held)).hasSize(1);
        // And a reply that is not held is a 409 naming its status, an unknown one a 404, and nothing is published
        client.delete().uri("/api/v1/replies/{id}/hold", sent).headers(h -> h.setBearerAuth(demo)).exchange()
                .expectStatus().isEqualTo(409)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.replyStatus").isEqualTo("SENT");
        client.delete().uri("/api/v1/replies/{id}/hold", UUID.randomUUID().toString()).headers(h -> h.setBearerAuth(demo))
                .exchange().expectStatus().isNotFound();
        assertThat(TestSupport.readToEnd(BROKER.bootstrapServers(), Topics.REPLY_CANCELLATIONS.name()))
                .noneMatch(r -> ((ReplyCancellation) r.value()).getCommandId().equals(sent));
    }

    @Test
    void shouldRefuseEveryTokenThatIsIncompleteOutOfTimeForAnotherServiceOrForged() {
        // Given tokens without exp, sub or tenant_id, expired, not yet valid, of another audience or issuer, forged
        // (the platform's AgentTokens, which session and dispatch apply to the token relayed to them)
        TOKENS.provider().refused("demo").forEach((what, token) ->
                // Then the gateway refuses each before anything is read or published
                client.get().uri("/api/v1/conversations?limit=1").headers(h -> h.setBearerAuth(token))
                        .exchange().expectStatus().isUnauthorized());
    }

    @Test
    void shouldRefuseTokensFromAnotherIssuerOrForAnotherAudience() {
        String wrongIssuer = TOKENS.token("agent-1", "demo", List.of("agent"), "http://evil.example/", "answerline-gateway");
        String wrongAudience = TOKENS.token("agent-1", "demo", List.of("agent"), "http://127.0.0.1:8089/sandbox", "someone-else");
        for (String token : List.of(wrongIssuer, wrongAudience)) {
            client.post().uri("/api/v1/conversations/{id}/replies", "100000000000001:31612345678")
                    .headers(h -> h.setBearerAuth(token))
                    .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"text\":\"hi\"}")
                    .exchange().expectStatus().isUnauthorized();
        }
    }

    @Test
    void shouldServeTheOpenApiDocumentOfTheGatewayAndTheWebhooksWithoutAToken() {
        // When the document is fetched anonymously
        client.get().uri("/v3/api-docs").exchange()
                .expectStatus().isOk()
                .expectBody()
                // Then it lists the gateway's and the webhooks' paths, not actuator's
                .jsonPath("$.paths['/api/v1/conversations/{conversationId}/replies'].post").exists()
                // a reply's mark and the policies, as the gateway accepts them
                .jsonPath("$.components.schemas.ReplyRequest.properties.category.enum").isEqualTo(List.of("UTILITY"))
                .jsonPath("$.components.schemas.ReplyRequest.properties.fallback.enum[5]").isEqualTo("DIRECT_SEND")
                .jsonPath("$.paths['/api/v1/conversations/{conversationId}'].get.parameters[?(@.name == 'category')]").exists()
                .jsonPath("$.paths['/api/v1/conversations/{conversationId}/assignee'].put").exists()
                .jsonPath("$.paths['/api/v1/conversations/{conversationId}/assignee'].delete").exists()
                .jsonPath("$.paths['/api/v1/replies/{commandId}'].get").exists()
                .jsonPath("$.paths['/api/v1/replies/{commandId}/hold'].delete").exists()
                .jsonPath("$.paths['/api/v1/conversations/{conversationId}'].get").exists()
                .jsonPath("$.paths['/api/v1/conversations'].get.parameters[?(@.name == 'within')]").exists()
                .jsonPath("$.paths['/api/v1/conversations'].get.security[0]['bearer-jwt']").exists()
                .jsonPath("$.paths['/webhooks/whatsapp'].post").exists()
                .jsonPath("$.paths['/webhooks/whatsapp'].post.security").doesNotExist()
                .jsonPath("$.paths['/actuator/health']").doesNotExist()
                // And the gateway operations need the bearer JWT scheme it declares
                .jsonPath("$.components.securitySchemes['bearer-jwt'].scheme").isEqualTo("bearer")
                .jsonPath("$.components.securitySchemes['bearer-jwt'].bearerFormat").isEqualTo("JWT")
                .jsonPath("$.paths['/api/v1/conversations/{conversationId}/assignee'].put.security[0]['bearer-jwt']").exists();
        // And the UI is reachable without a token
        client.get().uri("/swagger-ui.html").exchange().expectStatus().is3xxRedirection();
        client.get().uri("/webjars/swagger-ui/index.html").exchange().expectStatus().isOk();
    }

    @Test
    void shouldExposeHealthAndPrometheusWithoutATokenOnTheManagementPortOnly() {
        // Given the management server on its own port
        assertThat(managementPort).isPositive().isNotEqualTo(serverPort);
        // When health and metrics are fetched anonymously there
        // Then they answer
        management.get().uri("/actuator/health").exchange().expectStatus().isOk()
                .expectBody().jsonPath("$.status").isEqualTo("UP");
        management.get().uri("/actuator/health/outcomeStreams").exchange().expectStatus().isOk();
        management.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).value(text -> assertThat(text).contains("jvm_"));
    }

    @Test
    void shouldCountGatewayAndWebhookRequestsOnTheScrapeByRouteAndStatusWithoutConversationIdsOrNumbers() {
        // Given an accepted reply, a forged webhook and one for a number no tenant owns
        String token = TOKENS.agent("agent-42", "demo");
        String customer = "3161" + (1_000_000 + new java.util.Random().nextInt(8_000_000));
        String conversation = "100000000000001:" + customer;
        client.post().uri("/api/v1/conversations/{id}/replies", conversation).headers(h -> h.setBearerAuth(token))
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"text\":\"hi\"}").exchange().expectStatus().isAccepted();
        client.post().uri("/api/v1/conversations/{id}/replies", "100000000000002:" + customer).headers(h -> h.setBearerAuth(token))
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"text\":\"hi\"}").exchange().expectStatus().isNotFound();
        long now = Instant.now().getEpochSecond();
        byte[] forged = TestSupport.whatsAppText("100000000000001", customer, "wamid.F-" + UUID.randomUUID(), now, "x")
                .getBytes(StandardCharsets.UTF_8);
        postWhatsApp(forged, TestSupport.metaSignature("not-the-secret", forged)).expectStatus().isUnauthorized();
        byte[] stray = TestSupport.whatsAppText("100000000000998", customer, "wamid.S-" + UUID.randomUUID(), now, "x")
                .getBytes(StandardCharsets.UTF_8);
        postWhatsApp(stray, TestSupport.metaSignature(SECRET, stray)).expectStatus().isOk();
        // When Prometheus scrapes the management port
        String scrape = management.get().uri("/actuator/prometheus").exchange().expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
        // Then requests are counted by route template and status
        assertThat(scrape).containsPattern("http_server_requests_seconds_count\\{[^}]*status=\"202\"[^}]*"
                + "uri=\"/api/v1/conversations/\\{conversationId}/replies\"")
                .containsPattern("http_server_requests_seconds_count\\{[^}]*status=\"404\"[^}]*"
                        + "uri=\"/api/v1/conversations/\\{conversationId}/replies\"")
                .containsPattern("http_server_requests_seconds_count\\{[^}]*status=\"401\"[^}]*uri=\"/webhooks/whatsapp\"")
                .containsPattern("http_server_requests_seconds_count\\{[^}]*status=\"200\"[^}]*uri=\"/webhooks/whatsapp\"")
                // And the service's own counters are there, labelled by channel, topic or outcome only
                .contains("ingest_webhook_signature_failures_total{channel=\"whatsapp\"}")
                .contains("ingest_webhook_unrouted_total{channel=\"whatsapp\"}")
                .contains("ingest_records_published_total{topic=\"reply-commands\"}")
                .contains("ingest_records_published_total{topic=\"unrouted-webhooks\"}")
                .containsPattern("ingest_publish_latency_seconds_count\\{outcome=\"acked\"}")
                .contains("ingest_gateway_sse_streams ");
        // And no label value anywhere is a conversation id, a customer number or a business number
        java.util.regex.Matcher labels = java.util.regex.Pattern.compile("=\"([^\"]*)\"").matcher(scrape);
        List<String> values = new ArrayList<>();
        while (labels.find()) {
            values.add(labels.group(1));
        }
        assertThat(values).isNotEmpty()
                .noneMatch(v -> v.contains(customer) || v.contains("100000000000001") || v.contains("100000000000998"))
                .noneMatch(v -> v.matches(".*\\d{6,}:.*") || v.matches("\\+?\\d{8,15}"));
    }

    @Test
    void shouldExposeNothingElseOnTheManagementPortAndNoActuatorOnTheMainPort() {
        // Given the running service
        // When other actuator endpoints, or the webhooks, are asked for on the management port
        // Then they do not exist there
        for (String path : List.of("/actuator", "/actuator/env", "/actuator/beans", "/actuator/metrics",
                "/actuator/loggers", "/actuator/threaddump", "/actuator/heapdump", "/actuator/shutdown",
                "/webhooks/whatsapp", "/v3/api-docs")) {
            management.get().uri(path).exchange().expectStatus().isNotFound();
        }
        // And the main port, which faces the providers and the agents, has no actuator at all
        for (String path : List.of("/actuator", "/actuator/health", "/actuator/health/outcomeStreams",
                "/actuator/prometheus", "/actuator/env")) {
            client.get().uri(path).exchange().expectStatus().isNotFound();
        }
    }

    private static DispatchOutcome outcome(String commandId, String conversation, OutcomeStatus status, boolean isFinal) {
        return DispatchOutcome.newBuilder()
                .setCommandId(commandId).setTenantId("demo").setConversationId(conversation)
                .setStatus(status).setFinal$(isFinal)
                .setChannel(isFinal ? Channel.WHATSAPP : null)
                .setReason(isFinal ? "WINDOW_OPEN" : "WAITING")
                .setProviderMessageId(isFinal ? "wamid.OUT-" + commandId : null)
                .setOccurredAt(Instant.now())
                .build();
    }

    private WebTestClient.ResponseSpec postWhatsApp(byte[] body, String signature) {
        return client.post().uri("/webhooks/whatsapp")
                .header("X-Hub-Signature-256", signature)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(body).exchange();
    }

    private static String messageId(ConsumerRecord<String, Object> record) {
        return record.value() instanceof InboundMessage m ? m.getMessageId() : "";
    }

    private static ConsumerRecord<String, Object> awaitRecord(KafkaConsumer<String, Object> consumer,
            java.util.function.Predicate<ConsumerRecord<String, Object>> match) {
        List<ConsumerRecord<String, Object>> seen = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            seen.addAll(TestSupport.poll(consumer));
            return seen.stream().anyMatch(match);
        });
        Optional<ConsumerRecord<String, Object>> found = seen.stream().filter(match).findFirst();
        return found.orElseThrow();
    }
}
