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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

import com.answerline.avro.Channel;
import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.FallbackPolicy;
import com.answerline.avro.HeldAnswer;
import com.answerline.avro.OutcomeReason;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.ReplyCommand;
import com.answerline.avro.SendRequest;
import com.answerline.avro.SendStep;
import com.answerline.avro.SessionState;
import com.answerline.dispatch.decision.ChannelDecider;
import com.answerline.dispatch.support.DispatchItStack;
import com.answerline.dispatch.support.RecordingHttpServer;
import com.answerline.dispatch.topology.DecisionTopology;
import com.answerline.schemas.serde.KafkaAvroDeserializer;
import com.answerline.schemas.testing.LoopbackKafkaBroker;
import com.answerline.schemas.topic.Topics;

/**
 * A held answer (TEMPLATE_THEN_HOLD), through the real sender: the invitation template goes to the provider, the
 * sender reports HELD with the invitation's wamid, the answer is held; it survives a restart of the service with its
 * Streams state wiped (restored from the held-answers store's changelog on the real broker), and the customer's next
 * message releases it: the sender sends the agent's own answer once and reports it SENT.
 */
class HeldAnswerRestartIT {

    static final String REGISTRY = "mock://dispatch-held-answer-it";
    static final String PHONE = "4915100000201";
    static final String CONVERSATION = "100000000000001:" + PHONE;

    static LoopbackKafkaBroker broker;
    static RecordingHttpServer provider;
    static ConfigurableApplicationContext app;
    static KafkaProducer<String, Object> producer;
    static KafkaConsumer<String, Object> sendRequestConsumer;
    static KafkaConsumer<String, Object> outcomeConsumer;
    static final List<SendRequest> sendRequests = new CopyOnWriteArrayList<>();
    static final List<DispatchOutcome> outcomes = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startStack() throws Exception {
        broker = LoopbackKafkaBroker.start();
        provider = new RecordingHttpServer();
        provider.answer(DispatchItStack::accepted);
        app = startApp(Files.createTempDirectory("dispatch-held-it-streams"));
        producer = DispatchItStack.avroProducer(broker, REGISTRY);
        sendRequestConsumer = consumer(Topics.SEND_REQUESTS.name());
        outcomeConsumer = consumer(Topics.DISPATCH_OUTCOMES.name());
    }

    static KafkaConsumer<String, Object> consumer(String topic) {
        KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, KafkaAvroDeserializer.class,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                "schema.registry.url", REGISTRY,
                "specific.avro.reader", true));
        consumer.assign(DispatchItStack.partitions(topic));
        consumer.seekToBeginning(consumer.assignment());
        return consumer;
    }

    static ConfigurableApplicationContext startApp(Path stateDir) {
        ConfigurableApplicationContext context = DispatchItStack.startApp(broker, REGISTRY, provider, stateDir);
        StreamsBuilderFactoryBean streams = context.getBean(StreamsBuilderFactoryBean.class);
        await().atMost(Duration.ofSeconds(90)).until(() -> streams.getKafkaStreams() != null
                && streams.getKafkaStreams().state() == KafkaStreams.State.RUNNING);
        return context;
    }

    @AfterAll
    static void stopStack() {
        DispatchItStack.closeAll(producer, sendRequestConsumer, outcomeConsumer, app, provider, broker);
    }

    @Test
    void shouldKeepAHeldAnswerAcrossARestartWithWipedStateAndReleaseItWhenTheCustomerWrites() throws Exception {
        // Given a window that closed an hour ago, and an agent's reply with TEMPLATE_THEN_HOLD
        Instant lastMessage = Instant.now().minus(Duration.ofHours(25));
        publish(Topics.CONVERSATION_SESSIONS.name(), session(1, lastMessage));
        String commandId = UUID.randomUUID().toString();
        publish(Topics.REPLY_COMMANDS.name(), ReplyCommand.newBuilder()
                .setCommandId(commandId).setTenantId("demo").setConversationId(CONVERSATION)
                .setAgentId("agent-7").setAgentName("Grace").setText("Your refund is on its way.")
                .setFallback(FallbackPolicy.TEMPLATE_THEN_HOLD).setObservedSessionVersion(1L)
                .setIssuedAt(Instant.now()).build());

        // Then the invitation is decided (step HOLD_INVITATION) and the answer held
        SendRequest invitation = sendRequest(commandId, SendStep.HOLD_INVITATION);
        assertThat(invitation.getChannel()).isEqualTo(Channel.WHATSAPP_TEMPLATE);
        assertThat(invitation.getHoldExpiresAt()).isAfter(Instant.now().plus(Duration.ofDays(6)));

        // When the real sender sends the invitation template to the provider and reports it: HELD, not final
        DispatchOutcome heldOutcome = outcome(commandId, SendStep.HOLD_INVITATION);
        assertThat(heldOutcome.getStatus()).isEqualTo(OutcomeStatus.HELD);
        assertThat(heldOutcome.getFinal$()).isFalse();
        assertThat(heldOutcome.getOutcomeReason()).isEqualTo(OutcomeReason.WINDOW_CLOSED_ANSWER_HELD);
        String invitationWamid = heldOutcome.getProviderMessageId();
        assertThat(invitationWamid).startsWith("wamid.");
        assertThat(provider.requests()).filteredOn(r -> r.body() != null && r.body().contains(PHONE)
                && r.body().contains("\"template\"")).hasSize(1);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> invitationWamid.equals(held(commandId).getInvitationMessageId()));

        // And the service restarts on an empty state directory (leaving its group, so the new one need not wait
        // out the old member's session timeout)
        app.getBean(StreamsBuilderFactoryBean.class).setLeaveGroupOnClose(true);
        app.close();
        app = startApp(Files.createTempDirectory("dispatch-held-it-streams-wiped"));

        // Then the held answer is back, restored from its changelog, and counted
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> invitationWamid.equals(held(commandId).getInvitationMessageId()));
        assertThat(held(commandId).getCommand().getText()).isEqualTo("Your refund is on its way.");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(prometheus()).containsPattern("(?m)^answerline_dispatch_held_answers(\\{[^}]*})? 1\\.0$"));

        // When the customer writes back (session-service's next state: window open)
        publish(Topics.CONVERSATION_SESSIONS.name(), session(2, Instant.now()));

        // Then the agent's own answer goes out as WhatsApp free-form, step HELD_ANSWER, and is no longer held
        SendRequest answer = sendRequest(commandId, SendStep.HELD_ANSWER);
        assertThat(answer.getChannel()).isEqualTo(Channel.WHATSAPP);
        assertThat(answer.getText()).isEqualTo("Your refund is on its way.");
        assertThat(answer.getRecipientPhone()).isEqualTo(PHONE);
        assertThat(answer.getExplanation().getFallbackChain())
                .containsExactly("TEMPLATE", "HOLD", "customer returned", "WHATSAPP");
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> held(commandId) == null);
        assertThat(sendRequests).filteredOn(r -> r.getCommandId().equals(commandId)).hasSize(2);

        // And the real sender sends it once and reports it SENT and final, after the one HELD of the invitation
        DispatchOutcome sent = outcome(commandId, SendStep.HELD_ANSWER);
        assertThat(sent.getStatus()).isEqualTo(OutcomeStatus.SENT);
        assertThat(sent.getFinal$()).isTrue();
        assertThat(provider.requests()).filteredOn(r -> r.body() != null
                && r.body().contains("Your refund is on its way.")).hasSize(1);
        assertThat(outcomes).filteredOn(o -> o.getCommandId().equals(commandId) && o.getStatus() == OutcomeStatus.HELD)
                .hasSize(1);
    }

    /** The sender's outcome of the command's step, as read from dispatch-outcomes. */
    private static DispatchOutcome outcome(String commandId, SendStep step) {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            outcomeConsumer.poll(Duration.ofMillis(200)).forEach(record -> outcomes.add((DispatchOutcome) record.value()));
            return outcomes.stream().anyMatch(o -> o.getCommandId().equals(commandId) && o.getStep() == step
                    && o.getStatus() != OutcomeStatus.PENDING);
        });
        return outcomes.stream().filter(o -> o.getCommandId().equals(commandId) && o.getStep() == step
                && o.getStatus() != OutcomeStatus.PENDING).findFirst().orElseThrow();
    }

    private static HeldAnswer held(String commandId) {
        ReadOnlyKeyValueStore<String, HeldAnswer> store = app.getBean(StreamsBuilderFactoryBean.class).getKafkaStreams()
                .store(StoreQueryParameters.fromNameAndType(DecisionTopology.HELD_STORE, QueryableStoreTypes.keyValueStore()));
        return store.get(CONVERSATION + "#" + commandId);
    }

    private static SendRequest sendRequest(String commandId, SendStep step) {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            sendRequestConsumer.poll(Duration.ofMillis(200)).forEach(record -> sendRequests.add((SendRequest) record.value()));
            return sendRequests.stream().anyMatch(r -> r.getCommandId().equals(commandId) && r.getStep() == step);
        });
        return sendRequests.stream().filter(r -> r.getCommandId().equals(commandId) && r.getStep() == step)
                .findFirst().orElseThrow();
    }

    private static String prometheus() throws Exception {
        String port = app.getEnvironment().getProperty("local.management.port");
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/actuator/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private static void publish(String topic, Object value) throws Exception {
        producer.send(new ProducerRecord<>(topic, CONVERSATION, value)).get();
    }

    private static SessionState session(long version, Instant lastCustomerMessage) {
        return SessionState.newBuilder()
                .setTenantId("demo").setConversationId(CONVERSATION).setPhoneNumberId("100000000000001")
                .setVersion(version).setCustomerPhone(PHONE).setCustomerProfileName("Ada")
                .setLastCustomerMessageAt(lastCustomerMessage).setWindowOpenedAt(lastCustomerMessage)
                .setWindowExpiresAt(lastCustomerMessage.plus(Duration.ofHours(24)))
                .setUpdatedAt(Instant.now()).build();
    }
}
