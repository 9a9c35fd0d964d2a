package com.answerline.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.listener.MessageListenerContainer;

import com.answerline.avro.Channel;
import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.FallbackPolicy;
import com.answerline.avro.OutcomeReason;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.ReplyCommand;
import com.answerline.avro.SendRequest;
import com.answerline.avro.SendStep;
import com.answerline.avro.SessionState;
import com.answerline.dispatch.decision.ChannelDecider;
import com.answerline.dispatch.decision.DirectSendAccess;
import com.answerline.dispatch.send.DirectSendRefusals;
import com.answerline.dispatch.support.DispatchItStack;
import com.answerline.dispatch.support.RecordingHttpServer;
import com.answerline.dispatch.support.RecordingHttpServer.Response;
import com.answerline.platform.testing.TestTokens;
import com.answerline.platform.upstream.ConversationPartitioner;
import com.answerline.schemas.testing.LoopbackKafkaBroker;
import com.answerline.schemas.topic.Topics;

/**
 * The whole service on a real broker (in-process KRaft, loopback only), an in-memory registry and a local HTTP
 * stand-in for both providers: session state and reply command in -> provider called -> outcome out.
 */
class DispatchServiceIT {

    static final String REGISTRY = "mock://dispatch-it";
    static final String WINDOW_CLOSED = """
            {"error":{"message":"(#131047) Re-engagement message","type":"OAuthException","code":131047,"fbtrace_id":"f"}}""";
    static final String REFUSED_PHONE = "4915100000003";
    /** A customer whose send WhatsApp answers only once {@link #heldByProvider} is counted down. */
    static final String HELD_PHONE = "4915100000090";
    static final CountDownLatch heldByProvider = new CountDownLatch(1);

    static LoopbackKafkaBroker broker;
    static RecordingHttpServer provider;
    static Path stateDir;
    static ConfigurableApplicationContext app;
    static KafkaProducer<String, Object> producer;
    static KafkaConsumer<String, Object> outcomeConsumer;
    static final List<DispatchOutcome> outcomes = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startStack() throws Exception {
        broker = LoopbackKafkaBroker.start();
        provider = new RecordingHttpServer();
        // WhatsApp refuses free-form to REFUSED_PHONE (131047); everything else is accepted. (An SMS body is
        // form-encoded, so the JSON "to" never matches one.)
        provider.answer(request -> {
            if (request.body().contains("\"to\":\"" + REFUSED_PHONE + "\"")) {
                return new Response(400, WINDOW_CLOSED);
            }
            if (request.body().contains("\"to\":\"" + HELD_PHONE + "\"")) {
                // Answered once the test saw what it waits for; within the read timeout (10 s) either way.
                awaitQuietly(heldByProvider, Duration.ofSeconds(8));
            }
            return DispatchItStack.accepted(request);
        });
        stateDir = Files.createTempDirectory("dispatch-it-streams");
        app = DispatchItStack.startApp(broker, REGISTRY, provider, stateDir);

        // Ready means: the decision topology runs and both listeners own their partitions.
        StreamsBuilderFactoryBean streams = app.getBean(StreamsBuilderFactoryBean.class);
        await().atMost(Duration.ofSeconds(90)).until(() -> streams.getKafkaStreams() != null
                && streams.getKafkaStreams().state() == KafkaStreams.State.RUNNING);
        for (MessageListenerContainer container : app.getBean(KafkaListenerEndpointRegistry.class).getListenerContainers()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> !container.getAssignedPartitions().isEmpty());
        }

        producer = DispatchItStack.avroProducer(broker, REGISTRY);
        outcomeConsumer = DispatchItStack.outcomeConsumer(broker, REGISTRY);
    }

    @AfterAll
    static void stopStack() {
        DispatchItStack.closeAll(producer, outcomeConsumer, app, provider, broker);
    }

    @Test
    void shouldListenOnLoopbackOnly() {
        // Given the running broker
        // When its ports are looked up in the socket tables and probed on every address of this machine
        // Then only 127.0.0.1 answers
        broker.assertListensOnLoopbackOnly();
    }

    @Test
    void shouldSendAWhatsAppTextWhileTheWindowIsOpenAndPublishSent() {
        // Given a conversation whose customer wrote an hour ago
        String phone = "4915100000001";
        String conversation = "100000000000001:" + phone;
        publish(Topics.CONVERSATION_SESSIONS.name(), conversation, session(conversation, phone, Instant.now().minus(Duration.ofHours(1))));

        // When an agent replies
        String commandId = publish(conversation, "Your parcel left today.", FallbackPolicy.AUTO);

        // Then WhatsApp was called with the text, and a final SENT outcome says so
        DispatchOutcome outcome = finalOutcomeOf(commandId);
        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.SENT);
        assertThat(outcome.getChannel()).isEqualTo(Channel.WHATSAPP);
        assertThat(outcome.getProviderMessageId()).startsWith("wamid.");
        assertThat(outcome.getOutcomeReason()).isEqualTo(OutcomeReason.WINDOW_OPEN);
        assertThat(provider.requests()).anySatisfy(request -> {
            assertThat(request.path()).isEqualTo("/v23.0/100000000000001/messages");
            assertThat(request.header("Authorization")).isEqualTo("Bearer local-dev-whatsapp-token");
            assertThat(request.body()).contains("\"to\":\"" + phone + "\"", "\"body\":\"Your parcel left today.\"");
        });
    }

    @Test
    void shouldSendAnSmsWithTheContinueLinkWhenTheWindowIsClosed() {
        String phone = "4915100000002";
        String conversation = "100000000000001:" + phone;
        publish(Topics.CONVERSATION_SESSIONS.name(), conversation, session(conversation, phone, Instant.now().minus(Duration.ofHours(25))));

        String commandId = publish(conversation, "Sorry for the wait.", FallbackPolicy.SMS);

        DispatchOutcome outcome = finalOutcomeOf(commandId);
        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.SENT);
        assertThat(outcome.getChannel()).isEqualTo(Channel.SMS);
        assertThat(outcome.getProviderMessageId()).startsWith("SM");
        assertThat(outcome.getRenderedText()).startsWith("Sorry for the wait.").contains("https://wa.me/15550000001?text=");
        assertThat(provider.requests()).anySatisfy(request -> {
            assertThat(request.path()).isEqualTo("/2010-04-01/Accounts/AC00000000000000000000000000000000/Messages.json");
            assertThat(request.body()).contains("To=%2B" + phone, "From=%2B15550000001");
        });
    }

    @Test
    void shouldFallBackToSmsWhenWhatsAppRefusesWith131047() {
        String conversation = "100000000000001:" + REFUSED_PHONE;
        publish(Topics.CONVERSATION_SESSIONS.name(), conversation, session(conversation, REFUSED_PHONE, Instant.now().minus(Duration.ofHours(2))));

        String commandId = publish(conversation, "Here is your answer.", FallbackPolicy.AUTO);

        DispatchOutcome outcome = finalOutcomeOf(commandId);
        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.SENT);
        assertThat(outcome.getChannel()).isEqualTo(Channel.SMS);
        assertThat(outcome.getExplanation().getFallbackChain())
                .containsExactly("AUTO->SMS", "WHATSAPP refused: 131047 window closed", "SMS");
    }

    @Test
    void shouldRejectWithAlternativesWhenClosedAndFallbackIsNone() {
        String phone = "4915100000004";
        String conversation = "100000000000001:" + phone;
        publish(Topics.CONVERSATION_SESSIONS.name(), conversation, session(conversation, phone, Instant.now().minus(Duration.ofDays(3))));

        String commandId = publish(conversation, "Hello?", FallbackPolicy.NONE);

        DispatchOutcome outcome = finalOutcomeOf(commandId);
        assertThat(outcome.getStatus()).isEqualTo(OutcomeStatus.REJECTED);
        assertThat(outcome.getOutcomeReason()).isEqualTo(OutcomeReason.WINDOW_CLOSED);
        assertThat(outcome.getExplanation().getAlternatives()).containsExactly("TEMPLATE:customer_care_reopen", "SMS");
    }

    @Test
    void shouldDeadLetterAnUndecodableSendRequest() throws Exception {
        assertPoisonReachesItsDeadLetterTopic(Topics.SEND_REQUESTS.name(), Topics.SEND_REQUESTS.deadLetter());
    }

    @Test
    void shouldDeadLetterAnUndecodableReplyCommandInTheTopology() throws Exception {
        assertPoisonReachesItsDeadLetterTopic(Topics.REPLY_COMMANDS.name(), Topics.REPLY_COMMANDS.deadLetter());
    }

    private static void assertPoisonReachesItsDeadLetterTopic(String topic, String deadLetterTopic) throws Exception {
        try (KafkaProducer<String, byte[]> raw = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
             KafkaConsumer<String, byte[]> deadLetters = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            // Given a value that is not in the Confluent wire format (magic byte 7)
            byte[] poison = {0x07, 0x01, 0x02};
            String key = "100000000000001:poison-" + UUID.randomUUID();
            raw.send(new ProducerRecord<>(topic, key, poison)).get();

            // Then it lands, unchanged and with its key, on the dead-letter twin
            deadLetters.assign(partitions(deadLetterTopic));
            deadLetters.seekToBeginning(deadLetters.assignment());
            List<org.apache.kafka.clients.consumer.ConsumerRecord<String, byte[]>> received = new ArrayList<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                deadLetters.poll(Duration.ofMillis(200)).forEach(received::add);
                return received.stream().anyMatch(record -> key.equals(record.key()));
            });
            assertThat(received.stream().filter(record -> key.equals(record.key())).findFirst().orElseThrow().value())
                    .isEqualTo(poison);
        }
    }

    @Test
    void shouldExposeTheOutcomeCounterOnPrometheus() throws Exception {
        String phone = "4915100000005";
        String conversation = "100000000000001:" + phone;
        publish(Topics.CONVERSATION_SESSIONS.name(), conversation, session(conversation, phone, Instant.now().minus(Duration.ofHours(1))));
        finalOutcomeOf(publish(conversation, "Counted.", FallbackPolicy.AUTO));

        String port = app.getEnvironment().getProperty("local.management.port");
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> scrape = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/actuator/prometheus")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.body()).containsPattern(
                    "answerline_dispatch_outcomes_total\\{[^}]*channel=\"WHATSAPP\"[^}]*status=\"SENT\"[^}]*tenant=\"demo\"[^}]*} [1-9]");
        });
    }

    @Test
    void shouldExposeTheDecisionFallbackHeldSegmentAndCostMetricsOnPrometheus() throws Exception {
        // Given a reply that fell back to SMS through the real flow: the real sender counted its segments and priced it
        String phone = "4915100000006";
        String conversation = "100000000000001:" + phone;
        publish(Topics.CONVERSATION_SESSIONS.name(), conversation, session(conversation, phone, Instant.now().minus(Duration.ofHours(30))));
        String smsCommand = publish(conversation, "Priced.", FallbackPolicy.SMS);
        DispatchOutcome sms = finalOutcomeOf(smsCommand);
        assertThat(sms.getChannel()).isEqualTo(Channel.SMS);
        assertThat(sms.getSmsEncoding()).isEqualTo("GSM_7");
        assertThat(sms.getSmsSegments()).isPositive();
        // real time: the period in force today names the basis
        assertThat(sms.getEstimatedCost().getBasis()).startsWith("SMS " + sms.getSmsSegments() + " x DE since ");
        // and a reply the real sender held behind its invitation template (another closed window)
        String heldPhone = "4915100000007";
        String heldConversation = "100000000000001:" + heldPhone;
        publish(Topics.CONVERSATION_SESSIONS.name(), heldConversation, session(heldConversation, heldPhone,
                Instant.now().minus(Duration.ofHours(30))));
        String heldCommand = publish(heldConversation, "Held.", FallbackPolicy.TEMPLATE_THEN_HOLD);
        DispatchOutcome held = outcomeOf(heldCommand, OutcomeStatus.HELD);
        assertThat(held.getStep()).isEqualTo(SendStep.HOLD_INVITATION);
        assertThat(held.getOutcomeReason()).isEqualTo(OutcomeReason.WINDOW_CLOSED_ANSWER_HELD);

        // Then every dispatch metric shows under its Prometheus name, with no conversation or phone as a label
        String port = app.getEnvironment().getProperty("local.management.port");
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String body = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(body).containsPattern(
                    "answerline_dispatch_decisions_total\\{[^}]*channel=\"SMS\"[^}]*reason=\"WINDOW_CLOSED_SMS_FALLBACK\"[^}]*tenant=\"demo\"[^}]*} [1-9]");
            assertThat(body).containsPattern(
                    "answerline_dispatch_fallbacks_total\\{[^}]*cause=\"window_closed\"[^}]*tenant=\"demo\"[^}]*to=\"SMS\"[^}]*} [1-9]");
            assertThat(body).containsPattern(
                    "answerline_dispatch_held_answers_results_total\\{[^}]*result=\"held\"[^}]*tenant=\"demo\"[^}]*} [1-9]");
            assertThat(body).containsPattern("answerline_dispatch_sms_segments_bucket\\{encoding=\"GSM_7\",tenant=\"demo\",le=\""
                    + sms.getSmsSegments() + "\\.0\"} [1-9]");
            assertThat(body).containsPattern(
                    "answerline_dispatch_estimated_cost_total\\{[^}]*channel=\"SMS\"[^}]*currency=\"EUR\"[^}]*tenant=\"demo\"[^}]*} 0\\.[0-9]*[1-9]");
            assertThat(body).contains("answerline_dispatch_provider_requests_seconds_count{");
            assertThat(body.lines().filter(line -> line.startsWith("answerline_dispatch_")))
                    .noneMatch(line -> line.contains(phone) || line.contains(heldPhone) || line.contains(smsCommand)
                            || line.contains(heldCommand));
        });
    }

    @Test
    void shouldReportTheDecisionTopologyInHealth() throws Exception {
        String port = app.getEnvironment().getProperty("local.management.port");

        HttpResponse<String> health = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"decisionStreams\":{\"status\":\"UP\"");
    }

    @Test
    void shouldRefuseEveryPreviewWithoutAValidAgentTokenWith401ProblemDetails() {
        // Given tokens that are incomplete (no exp, sub or tenant_id), out of time, for another service or forged, and none
        Map<String, String> refused = new java.util.LinkedHashMap<>(DispatchItStack.TOKENS.refused("demo"));
        refused.put("without a token", null);

        refused.forEach((what, token) -> {
            // When a preview of a demo conversation is asked for with each
            HttpResponse<String> response = preview(DEMO_PREVIEW, token);

            // Then it is refused: 401, WWW-Authenticate, problem details
            assertThat(response.statusCode()).as(what).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate")).as(what)
                    .hasValueSatisfying(value -> assertThat(value).startsWith("Bearer"));
            assertThat(response.body()).as(what).contains("\"status\":401");
        });
        // And an agent of demo gets the preview
        assertThat(preview(DEMO_PREVIEW, DispatchItStack.TOKENS.agent("agent-7", "demo")).statusCode()).isEqualTo(200);
    }

    @Test
    void shouldAnswerAnotherTenantsConversationAsUnknown() {
        // Given an agent of tenant other
        String other = DispatchItStack.TOKENS.agent("agent-9", "other");

        // When it previews demo's conversation, by demo's number or by naming demo in the body
        // Then both answer 404 as for an unknown conversation: demo's policy, templates and prices stay demo's
        assertThat(preview(DEMO_PREVIEW, other).statusCode()).isEqualTo(404);
        assertThat(preview(DEMO_PREVIEW.replace("100000000000001:", "100000000000002:"), other).statusCode())
                .isEqualTo(404);
        // And its own conversation, without a tenant in the body (the tenant is the token's), is previewed
        assertThat(preview(DEMO_PREVIEW.replace("\"tenantId\":\"demo\",", "")
                .replace("100000000000001:", "100000000000002:"), other).statusCode()).isEqualTo(200);
    }

    @Test
    void shouldServeHealthOnTheManagementPortOnly() throws Exception {
        String port = app.getEnvironment().getProperty("local.server.port");
        for (String path : List.of("/actuator/health", "/actuator/prometheus", "/actuator")) {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(path).isEqualTo(404);
        }
    }

    @Test
    void shouldLetOnlyAnOperatorSeeAndLiftDirectSendRefusalsOnTheManagementPort() {
        // Given a Direct Send refusal of demo's number, recorded for every instance
        app.getBean(DirectSendRefusals.class).refused("demo", "100000000000001", 139200, "blocked", "cmd-ops", Instant.now());
        String operator = DispatchItStack.TOKENS.token("sre-1", "demo", List.of("operator"), TestTokens.ISSUER, TestTokens.AUDIENCE);

        // When / Then: no token 401, an agent's token 403, an operator's token sees it
        assertThat(operations("GET", "/actuator/directsend", null).statusCode()).isEqualTo(401);
        assertThat(operations("POST", "/actuator/directsend/100000000000001", DispatchItStack.TOKENS.agent("agent-7", "demo"))
                .statusCode()).isEqualTo(403);
        HttpResponse<String> listed = operations("GET", "/actuator/directsend", operator);
        assertThat(listed.statusCode()).isEqualTo(200);
        assertThat(listed.body()).contains("\"phoneNumberId\":\"100000000000001\"", "\"refusedWith\":139200");

        // And the operator re-enables it: lifted for the decision at once; an unknown number is 404
        HttpResponse<String> lifted = operations("POST", "/actuator/directsend/100000000000001", operator);
        assertThat(lifted.statusCode()).isEqualTo(200);
        assertThat(lifted.body()).contains("\"refusedWith\":139200", "\"reenabledBy\":\"sre-1\"");
        assertThat(app.getBean(DirectSendAccess.class).refusal("100000000000001", Instant.now())).isEmpty();
        assertThat(operations("POST", "/actuator/directsend/999", operator).statusCode()).isEqualTo(404);
    }

    @Test
    void shouldCommitEachPartitionsDoneRecordsWhileARecordOfTheSameBatchStillWaitsForItsProvider() throws Exception {
        // Given one poll's batch: a send WhatsApp holds, a send of another conversation after it on its partition,
        // and sends on two other partitions. Published while the sender is stopped, so that its new consumer's first
        // fetch brings them all in one poll (a paused consumer may still hold the answer of a fetch sent before the
        // pause, with only the first of them).
        String group = "dispatch-sender";
        MessageListenerContainer sender = app.getBean(KafkaListenerEndpointRegistry.class).getListenerContainer(group);
        sender.stop();
        SendRequest held = DispatchItStack.openWindowRequest(HELD_PHONE);
        int heldPartition = ConversationPartitioner.partitionOf(held.getConversationId(), Topics.CONVERSATION_PARTITIONS);
        SendRequest behind = DispatchItStack.openWindowRequest(phoneOn(p -> p == heldPartition));
        SendRequest other = DispatchItStack.openWindowRequest(phoneOn(p -> p != heldPartition));
        int otherPartition = ConversationPartitioner.partitionOf(other.getConversationId(), Topics.CONVERSATION_PARTITIONS);
        SendRequest third = DispatchItStack.openWindowRequest(phoneOn(p -> p != heldPartition && p != otherPartition));
        int thirdPartition = ConversationPartitioner.partitionOf(third.getConversationId(), Topics.CONVERSATION_PARTITIONS);
        Map<String, Long> offsets = new java.util.HashMap<>();
        for (SendRequest request : List.of(held, behind, other, third)) {
            offsets.put(request.getCommandId(), producer.send(new ProducerRecord<>(Topics.SEND_REQUESTS.name(),
                    request.getConversationId(), request)).get().offset());
        }

        // When the sender takes them while WhatsApp holds the first
        sender.start();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            // Then the other partitions are committed to their ends, and the later send of the held one's partition is
            // sent, while its partition's commit stays at the held send (a commit never passes a record not done)
            await().atMost(Duration.ofSeconds(8)).untilAsserted(() -> {
                Map<Integer, Long> committed = committed(admin, group);
                assertThat(committed.get(otherPartition)).isEqualTo(offsets.get(other.getCommandId()) + 1);
                assertThat(committed.get(thirdPartition)).isEqualTo(offsets.get(third.getCommandId()) + 1);
            });
            assertThat(finalOutcomeOf(behind.getCommandId()).getStatus()).isEqualTo(OutcomeStatus.SENT);
            assertThat(committed(admin, group).getOrDefault(heldPartition, -1L))
                    .isLessThanOrEqualTo(offsets.get(held.getCommandId()));
            assertThat(heldByProvider.getCount()).as("the held send is still at the provider").isOne();

            // And once WhatsApp answers, the batch ends and its partition is committed past both
            heldByProvider.countDown();
            assertThat(finalOutcomeOf(held.getCommandId()).getStatus()).isEqualTo(OutcomeStatus.SENT);
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    committed(admin, group).getOrDefault(heldPartition, -1L) == offsets.get(behind.getCommandId()) + 1);
        } finally {
            heldByProvider.countDown();
        }
    }

    /** A customer number (of the demo tenant's conversations) whose conversation is on a partition {@code wanted}. */
    private static String phoneOn(java.util.function.IntPredicate wanted) {
        for (int n = 100; ; n++) {
            String phone = "49151000005" + n;
            if (wanted.test(ConversationPartitioner.partitionOf("100000000000001:" + phone, Topics.CONVERSATION_PARTITIONS))) {
                return phone;
            }
        }
    }

    /** The group's committed offset of each send-requests partition. */
    private static Map<Integer, Long> committed(Admin admin, String group) throws Exception {
        Map<Integer, Long> committed = new java.util.HashMap<>();
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS)
                .forEach((tp, offset) -> {
                    if (tp.topic().equals(Topics.SEND_REQUESTS.name()) && offset != null) {
                        committed.put(tp.partition(), offset.offset());
                    }
                });
        return committed;
    }

    private static void awaitQuietly(CountDownLatch latch, Duration atMost) {
        try {
            latch.await(atMost.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** An operator's call on the management port (no token when null). */
    private static HttpResponse<String> operations(String method, String path, String token) {
        String port = app.getEnvironment().getProperty("local.management.port");
        // Actuator takes a write operation's (empty) body as JSON only
        return send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.noBody()), token);
    }

    private static final String DEMO_PREVIEW = """
            {"tenantId":"demo","conversationId":"100000000000001:4915100000009","fallback":"AUTO",
             "session":{"version":1,"windowExpiresAt":"2099-01-01T00:00:00Z","customerPhone":"4915100000009"}}""";

    /** POST /api/v1/channel-preview on the API port, with an agent's token (none when null). */
    private static HttpResponse<String> preview(String body, String token) {
        String port = app.getEnvironment().getProperty("local.server.port");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/channel-preview"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        return send(request, token);
    }

    /** Sends the request with the bearer token (none when null). */
    private static HttpResponse<String> send(HttpRequest.Builder request, String token) {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try {
            return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String publish(String conversation, String text, FallbackPolicy fallback) {
        String commandId = UUID.randomUUID().toString();
        publish(Topics.REPLY_COMMANDS.name(), conversation, ReplyCommand.newBuilder()
                .setCommandId(commandId)
                .setTenantId("demo")
                .setConversationId(conversation)
                .setAgentId("agent-7")
                .setAgentName("Grace")
                .setText(text)
                .setFallback(fallback)
                .setIssuedAt(Instant.now())
                .build());
        return commandId;
    }

    private static void publish(String topic, String key, Object value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The command's first outcome with {@code status} from the real sender (HELD is not final). */
    private static synchronized DispatchOutcome outcomeOf(String commandId, OutcomeStatus status) {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            outcomeConsumer.poll(Duration.ofMillis(200)).forEach(record -> outcomes.add((DispatchOutcome) record.value()));
            return outcomes.stream().anyMatch(o -> o.getCommandId().equals(commandId) && o.getStatus() == status);
        });
        return outcomes.stream().filter(o -> o.getCommandId().equals(commandId) && o.getStatus() == status)
                .findFirst().orElseThrow();
    }

    private static synchronized DispatchOutcome finalOutcomeOf(String commandId) {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            outcomeConsumer.poll(Duration.ofMillis(200)).forEach(record -> outcomes.add((DispatchOutcome) record.value()));
            return outcomes.stream().anyMatch(o -> o.getCommandId().equals(commandId) && o.getFinal$());
        });
        return outcomes.stream().filter(o -> o.getCommandId().equals(commandId) && o.getFinal$()).findFirst().orElseThrow();
    }

    private static SessionState session(String conversation, String phone, Instant lastCustomerMessage) {
        return SessionState.newBuilder()
                .setTenantId("demo")
                .setConversationId(conversation)
                .setPhoneNumberId("100000000000001")
                .setVersion(1)
                .setCustomerPhone(phone)
                .setCustomerProfileName("Ada")
                .setLastCustomerMessageAt(lastCustomerMessage)
                .setWindowOpenedAt(lastCustomerMessage)
                .setWindowExpiresAt(lastCustomerMessage.plus(Duration.ofHours(24)))
                .setUpdatedAt(Instant.now())
                .build();
    }

    private static List<TopicPartition> partitions(String topic) {
        return DispatchItStack.partitions(topic);
    }
}
