package com.answerline.ingest.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.mock.MockProducerFactory;

import com.answerline.avro.Channel;
import com.answerline.avro.DeliveryLifecycle;
import com.answerline.avro.DeliveryState;
import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.ReplyAcceptance;
import com.answerline.avro.SendStep;
import com.answerline.avro.TemplateRef;
import com.answerline.avro.ThreadDirection;
import com.answerline.avro.ThreadMessage;
import com.answerline.ingest.config.IngestProperties;
import com.answerline.ingest.gateway.ReplyOutcomeView;
import com.answerline.platform.kafka.DeadLetters;
import com.answerline.platform.testing.ProductionTopologyDriver;
import com.answerline.schemas.thread.ThreadHeaders;
import com.answerline.schemas.topic.Topics;

/**
 * The production topology ({@link IngestTopology}: reply outcomes with their sends' deliveries, and the
 * reply-acceptances global table) with the production Streams configuration, in {@link TopologyTestDriver}.
 */
class ReplyOutcomeTopologyTest {

    private static final String CONVERSATION = "100000000000001:31612345678";
    private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");

    @TempDir
    Path dataDir;

    private ProductionTopologyDriver production;
    private TopologyTestDriver driver;
    private TestInputTopic<String, DispatchOutcome> outcomes;
    private TestInputTopic<String, byte[]> rawOutcomes;
    private KeyValueStore<String, DispatchOutcome> store;
    private TestInputTopic<String, ThreadMessage> messages;
    private TestInputTopic<String, byte[]> rawMessages;
    private KeyValueStore<String, ThreadMessage> sendsStore;
    private TestInputTopic<String, ReplyAcceptance> acceptances;
    private TestInputTopic<String, byte[]> rawAcceptances;
    private KeyValueStore<String, ReplyAcceptance> acceptanceStore;
    private final MockProducer<byte[], byte[]> deadLetterProducer =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());

    @BeforeEach
    void startDriver() {
        IngestProperties properties = new IngestProperties(null, null, null, null,
                new IngestProperties.Kafka((short) 1), dataDir,
                new IngestProperties.Streams("ingest-service", Duration.ofMillis(100)));
        // The whole production topology, as the application adds it to Spring's builder, with the production
        // Streams configuration and an in-memory registry.
        production = new ProductionTopologyDriver("ingest-topology-test", properties.streamsApp(null),
                serdeConfig -> {
                    StreamsBuilder builder = new StreamsBuilder();
                    IngestTopology.addTo(builder, serdeConfig);
                    return builder.build();
                }, Instant.now(), deadLetterProducer);
        driver = production.driver();
        Map<String, Object> serdeConfig = production.serdeConfig();
        outcomes = driver.createInputTopic(Topics.DISPATCH_OUTCOMES.name(), new StringSerializer(),
                Topics.DISPATCH_OUTCOMES.valueSerde(serdeConfig).serializer());
        rawOutcomes = driver.createInputTopic(Topics.DISPATCH_OUTCOMES.name(), new StringSerializer(), new ByteArraySerializer());
        store = driver.getKeyValueStore(ReplyOutcomeTopology.STORE);
        messages = production.input(Topics.CONVERSATION_MESSAGES);
        rawMessages = driver.createInputTopic(Topics.CONVERSATION_MESSAGES.name(), new StringSerializer(), new ByteArraySerializer());
        sendsStore = driver.getKeyValueStore(ReplyOutcomeTopology.SENDS_STORE);
        acceptances = driver.createInputTopic(Topics.REPLY_ACCEPTANCES.name(), new StringSerializer(),
                Topics.REPLY_ACCEPTANCES.valueSerde(serdeConfig).serializer());
        rawAcceptances = driver.createInputTopic(Topics.REPLY_ACCEPTANCES.name(), new StringSerializer(), new ByteArraySerializer());
        acceptanceStore = driver.getKeyValueStore(ReplyAcceptanceTable.STORE);
    }

    @AfterEach
    void closeDriver() {
        production.close();
    }

    @Test
    void shouldKeepTheFinalOutcomeThatFollowsAPendingOne() {
        // Given a command dispatch first reported as PENDING
        outcomes.pipeInput(CONVERSATION, outcome("cmd-1", OutcomeStatus.PENDING, false, T0));
        assertThat(store.get("cmd-1").getStatus()).isEqualTo(OutcomeStatus.PENDING);
        // When its final outcome arrives
        outcomes.pipeInput(CONVERSATION, outcome("cmd-1", OutcomeStatus.SENT, true, T0.plusSeconds(1)));
        // Then the store holds SENT, with what the agent needs to see
        DispatchOutcome stored = store.get("cmd-1");
        assertThat(stored.getStatus()).isEqualTo(OutcomeStatus.SENT);
        assertThat(stored.getFinal$()).isTrue();
        assertThat(stored.getChannel()).isEqualTo(Channel.WHATSAPP);
        assertThat(stored.getOccurredAt()).isEqualTo(T0.plusSeconds(1));
    }

    @Test
    void shouldNeverReplaceAFinalOutcomeWithALaterNonFinalOne() {
        // Given a command already FAILED (final)
        outcomes.pipeInput(CONVERSATION, outcome("cmd-2", OutcomeStatus.FAILED, true, T0));
        // When a late PENDING (a replay or a reordered report) arrives
        outcomes.pipeInput(CONVERSATION, outcome("cmd-2", OutcomeStatus.PENDING, false, T0.plusSeconds(5)));
        // Then FAILED stays
        assertThat(store.get("cmd-2").getStatus()).isEqualTo(OutcomeStatus.FAILED);
        assertThat(store.get("cmd-2").getOccurredAt()).isEqualTo(T0);
    }

    @Test
    void shouldLetAFailoverOutcomeSupersedeTheSentReplyWhoseDeliveryFailed() {
        // Given a WhatsApp reply dispatch reported SENT (final)
        outcomes.pipeInput(CONVERSATION, outcome("cmd-f", OutcomeStatus.SENT, true, T0));
        // When its delivery failed later (131047) and the SMS failover was sent: a final FAILOVER outcome
        outcomes.pipeInput(CONVERSATION, step(outcome("cmd-f", OutcomeStatus.SENT, true, T0.plusSeconds(30)),
                SendStep.FAILOVER, Channel.SMS, "DELIVERY_FAILED_SMS_FALLBACK"));
        // Then the failover is the reply's latest outcome
        DispatchOutcome stored = store.get("cmd-f");
        assertThat(stored.getStep()).isEqualTo(SendStep.FAILOVER);
        assertThat(stored.getChannel()).isEqualTo(Channel.SMS);
        assertThat(stored.getReason()).isEqualTo("DELIVERY_FAILED_SMS_FALLBACK");
        // And a redelivered REPLY outcome or a second failover does not replace it
        outcomes.pipeInput(CONVERSATION, outcome("cmd-f", OutcomeStatus.SENT, true, T0.plusSeconds(40)));
        outcomes.pipeInput(CONVERSATION, step(outcome("cmd-f", OutcomeStatus.FAILED, true, T0.plusSeconds(50)),
                SendStep.FAILOVER, Channel.WHATSAPP_TEMPLATE, "DELIVERY_FAILED_TEMPLATE_FALLBACK"));
        assertThat(store.get("cmd-f").getOccurredAt()).isEqualTo(T0.plusSeconds(30));
        assertThat(store.get("cmd-f").getStatus()).isEqualTo(OutcomeStatus.SENT);
    }

    @Test
    void shouldNotLetAFailoverReplaceAFinalOutcomeOtherThanSent() {
        // Given a reply already REJECTED (final), a failover outcome (a bug or a stray record) must not revive it
        outcomes.pipeInput(CONVERSATION, outcome("cmd-r", OutcomeStatus.REJECTED, true, T0));
        outcomes.pipeInput(CONVERSATION, step(outcome("cmd-r", OutcomeStatus.SENT, true, T0.plusSeconds(1)),
                SendStep.FAILOVER, Channel.SMS, "DELIVERY_FAILED_SMS_FALLBACK"));
        assertThat(store.get("cmd-r").getStatus()).isEqualTo(OutcomeStatus.REJECTED);
        // Nor does a non-final failover replace a SENT one
        outcomes.pipeInput(CONVERSATION, outcome("cmd-s", OutcomeStatus.SENT, true, T0));
        outcomes.pipeInput(CONVERSATION, step(outcome("cmd-s", OutcomeStatus.PENDING, false, T0.plusSeconds(1)),
                SendStep.FAILOVER, Channel.SMS, "SENDING"));
        assertThat(store.get("cmd-s").getStep()).isEqualTo(SendStep.REPLY);
    }

    @Test
    void shouldFollowAHeldAnswerToItsFinalOutcomeButNeverBack() {
        // Given a command decided (PENDING), then held: the invitation was sent (HELD, not final)
        outcomes.pipeInput(CONVERSATION, outcome("cmd-h", OutcomeStatus.PENDING, false, T0));
        outcomes.pipeInput(CONVERSATION, step(outcome("cmd-h", OutcomeStatus.HELD, false, T0.plusSeconds(1)),
                SendStep.HOLD_INVITATION, Channel.WHATSAPP_TEMPLATE, "WINDOW_CLOSED_ANSWER_HELD"));
        assertThat(store.get("cmd-h").getStatus()).isEqualTo(OutcomeStatus.HELD);
        // When a replayed PENDING of the REPLY step arrives (at-least-once), HELD stays: the answer is still
        // cancellable
        outcomes.pipeInput(CONVERSATION, outcome("cmd-h", OutcomeStatus.PENDING, false, T0.plusSeconds(2)));
        assertThat(store.get("cmd-h").getStatus()).isEqualTo(OutcomeStatus.HELD);
        // When the agent's cancellation ends it (CANCELLED, final)
        outcomes.pipeInput(CONVERSATION, step(outcome("cmd-h", OutcomeStatus.CANCELLED, true, T0.plusSeconds(3)),
                SendStep.HOLD_INVITATION, null, "HOLD_CANCELLED"));
        assertThat(store.get("cmd-h").getStatus()).isEqualTo(OutcomeStatus.CANCELLED);
        // Then a late HELD (a replay of the invitation's outcome) does not bring it back
        outcomes.pipeInput(CONVERSATION, step(outcome("cmd-h", OutcomeStatus.HELD, false, T0.plusSeconds(4)),
                SendStep.HOLD_INVITATION, Channel.WHATSAPP_TEMPLATE, "WINDOW_CLOSED_ANSWER_HELD"));
        assertThat(store.get("cmd-h").getStatus()).isEqualTo(OutcomeStatus.CANCELLED);
        assertThat(store.get("cmd-h").getFinal$()).isTrue();
    }

    @Test
    void shouldKeepTheReleasedHeldAnswerAsTheFinalOutcome() {
        outcomes.pipeInput(CONVERSATION, step(outcome("cmd-x", OutcomeStatus.HELD, false, T0),
                SendStep.HOLD_INVITATION, Channel.WHATSAPP_TEMPLATE, "WINDOW_CLOSED_ANSWER_HELD"));
        outcomes.pipeInput(CONVERSATION, step(outcome("cmd-x", OutcomeStatus.SENT, true, T0.plusSeconds(60)),
                SendStep.HELD_ANSWER, Channel.WHATSAPP, "HELD_ANSWER_RELEASED"));
        outcomes.pipeInput(CONVERSATION, step(outcome("cmd-x", OutcomeStatus.HELD, false, T0.plusSeconds(61)),
                SendStep.HOLD_INVITATION, Channel.WHATSAPP_TEMPLATE, "WINDOW_CLOSED_ANSWER_HELD"));
        assertThat(store.get("cmd-x").getStep()).isEqualTo(SendStep.HELD_ANSWER);
        assertThat(store.get("cmd-x").getReason()).isEqualTo("HELD_ANSWER_RELEASED");
    }

    @Test
    void shouldKeyTheStoreByCommandIdNotByConversation() {
        // Given two commands of one conversation (same record key)
        // When both report
        outcomes.pipeInput(CONVERSATION, outcome("cmd-a", OutcomeStatus.SENT, true, T0));
        outcomes.pipeInput(CONVERSATION, outcome("cmd-b", OutcomeStatus.HELD, true, T0.plusSeconds(1)));
        // Then each is found under its own command id, and nothing under the conversation id
        assertThat(store.get("cmd-a").getStatus()).isEqualTo(OutcomeStatus.SENT);
        assertThat(store.get("cmd-b").getStatus()).isEqualTo(OutcomeStatus.HELD);
        assertThat(store.get(CONVERSATION)).isNull();
        assertThat(driver.producedTopicNames())
                .contains("ingest-service-" + ReplyOutcomeTopology.BY_COMMAND + "-repartition");
    }

    @Test
    void shouldDeadLetterAPoisonRecordAndCarryOn() {
        // Given bytes that are not Confluent-framed Avro
        byte[] poison = "not avro".getBytes(StandardCharsets.UTF_8);
        // When they arrive, followed by a good record
        rawOutcomes.pipeInput(CONVERSATION, poison);
        outcomes.pipeInput(CONVERSATION, outcome("cmd-3", OutcomeStatus.SENT, true, T0));
        // Then the poison went, unchanged, to the dead-letter twin, and the good one was stored
        List<ProducerRecord<byte[], byte[]>> deadLetters = deadLetterProducer.history();
        assertThat(deadLetters).hasSize(1);
        assertThat(deadLetters.get(0).topic()).isEqualTo(Topics.DISPATCH_OUTCOMES.deadLetter());
        assertThat(deadLetters.get(0).value()).isEqualTo(poison);
        assertThat(store.get("cmd-3").getStatus()).isEqualTo(OutcomeStatus.SENT);
    }

    @Test
    void shouldSkipTombstones() {
        // Given a stored outcome
        outcomes.pipeInput(CONVERSATION, outcome("cmd-4", OutcomeStatus.PENDING, false, T0));
        // When a tombstone for the conversation arrives
        outcomes.pipeInput(CONVERSATION, (DispatchOutcome) null);
        // Then the outcome is still there
        assertThat(store.get("cmd-4").getStatus()).isEqualTo(OutcomeStatus.PENDING);
    }

    @Test
    void shouldKeepEveryReplyAcceptanceInTheGlobalStoreByCommandId() {
        // Given acceptances of two commands (the global table reads every partition)
        acceptances.pipeInput("cmd-5", acceptance("cmd-5", "f5"));
        acceptances.pipeInput("cmd-6", acceptance("cmd-6", "f6"));
        // Then both are found by command id, with the fingerprint that decides replay or 422
        assertThat(acceptanceStore.get("cmd-5").getRequestFingerprint()).isEqualTo("f5");
        assertThat(acceptanceStore.get("cmd-6").getConversationId()).isEqualTo(CONVERSATION);
    }

    @Test
    void shouldSkipAPoisonAcceptanceAndCarryOn() {
        // Given bytes that are not Avro on reply-acceptances
        // When they arrive, followed by a good acceptance
        rawAcceptances.pipeInput("cmd-7", "not avro either".getBytes(StandardCharsets.UTF_8));
        acceptances.pipeInput("cmd-8", acceptance("cmd-8", "f8"));
        // Then the good one is stored (the driver's global task always logs and continues; the running app
        // hands the poison to the configured recoverer, whose routing the next test pins)
        assertThat(acceptanceStore.get("cmd-8")).isNotNull();
        assertThat(acceptanceStore.get("cmd-7")).isNull();
    }

    @Test
    void shouldDeadLetterEachTopicsPoisonToItsOwnTwin() {
        // Given the production recoverer
        var recoverer = DeadLetters.recoverer(new KafkaTemplate<>(new MockProducerFactory<>(() -> deadLetterProducer)));
        byte[] poison = "not avro".getBytes(StandardCharsets.UTF_8);
        // When a poison record of reply-acceptances is recovered
        recoverer.accept(new ConsumerRecord<>(Topics.REPLY_ACCEPTANCES.name(), 3, 42L, "cmd-9".getBytes(StandardCharsets.UTF_8), poison),
                new IllegalStateException("unknown magic byte"));
        // Then it goes to reply-acceptances-dlt, same partition, bytes unchanged
        assertThat(deadLetterProducer.history()).singleElement().satisfies(r -> {
            assertThat(r.topic()).isEqualTo(Topics.REPLY_ACCEPTANCES.deadLetter());
            assertThat(r.partition()).isEqualTo(3);
            assertThat(r.value()).isEqualTo(poison);
        });
    }

    @Test
    void shouldShowTheDeliveryOfTheOutcomesSendAsItProgresses() {
        // Given a WhatsApp reply dispatch reported SENT
        outcomes.pipeInput(CONVERSATION, outcome("cmd-d", OutcomeStatus.SENT, true, T0));
        assertThat(view("cmd-d").delivery()).isNull();
        // When the thread reports it sent, delivered, then read
        messages.pipeInput(CONVERSATION, send("cmd-d", SendStep.REPLY, Channel.WHATSAPP, DeliveryState.SENT, T0.plusSeconds(1)));
        messages.pipeInput(CONVERSATION, send("cmd-d", SendStep.REPLY, Channel.WHATSAPP, DeliveryState.DELIVERED, T0.plusSeconds(2)));
        messages.pipeInput(CONVERSATION, send("cmd-d", SendStep.REPLY, Channel.WHATSAPP, DeliveryState.READ, T0.plusSeconds(3)));
        // Then the outcome shows the lifecycle with its times, and still the outcome dispatch reported
        ReplyOutcomeView view = view("cmd-d");
        assertThat(view.status()).isEqualTo("SENT");
        assertThat(view.delivery().state()).isEqualTo("READ");
        assertThat(view.delivery().sentAt()).isEqualTo(T0.plusSeconds(1));
        assertThat(view.delivery().deliveredAt()).isEqualTo(T0.plusSeconds(2));
        assertThat(view.delivery().readAt()).isEqualTo(T0.plusSeconds(3));
        assertThat(view.deliveries()).singleElement().satisfies(send -> {
            assertThat(send.step()).isEqualTo("REPLY");
            assertThat(send.channel()).isEqualTo("WHATSAPP");
            assertThat(send.delivery()).isEqualTo(view.delivery());
        });
    }

    @Test
    void shouldKeepADeliveryReportedBeforeTheOutcomeArrived() {
        // Given the thread reported the send delivered before dispatch's outcome reached ingest
        messages.pipeInput(CONVERSATION, send("cmd-e", SendStep.REPLY, Channel.WHATSAPP, DeliveryState.DELIVERED, T0.plusSeconds(2)));
        assertThat(store.get("cmd-e")).isNull();
        // When the outcome arrives
        outcomes.pipeInput(CONVERSATION, outcome("cmd-e", OutcomeStatus.SENT, true, T0));
        // Then the outcome carries that delivery
        assertThat(view("cmd-e").delivery().state()).isEqualTo("DELIVERED");
    }

    @Test
    void shouldNotMoveASendBackToAnOlderState() {
        // Given a send read by the customer
        outcomes.pipeInput(CONVERSATION, outcome("cmd-o", OutcomeStatus.SENT, true, T0));
        messages.pipeInput(CONVERSATION, send("cmd-o", SendStep.REPLY, Channel.WHATSAPP, DeliveryState.READ, T0.plusSeconds(3)));
        // When an older state of it is replayed (at-least-once) or arrives late
        messages.pipeInput(CONVERSATION, send("cmd-o", SendStep.REPLY, Channel.WHATSAPP, DeliveryState.SENT, T0.plusSeconds(1)));
        // Then it is still read
        assertThat(view("cmd-o").delivery().state()).isEqualTo("READ");
    }

    @Test
    void shouldShowBothSendsOfAFailoverWithTheFailureAndItsCode() {
        // Given a WhatsApp reply whose delivery failed with 131047, and the SMS failover that was delivered
        outcomes.pipeInput(CONVERSATION, outcome("cmd-v", OutcomeStatus.SENT, true, T0));
        ThreadMessage failed = send("cmd-v", SendStep.REPLY, Channel.WHATSAPP, DeliveryState.FAILED, T0.plusSeconds(5));
        failed.getDelivery().setErrorCode(131047);
        failed.getDelivery().setErrorTitle("Re-engagement message");
        messages.pipeInput(CONVERSATION, failed);
        outcomes.pipeInput(CONVERSATION, step(outcome("cmd-v", OutcomeStatus.SENT, true, T0.plusSeconds(6)),
                SendStep.FAILOVER, Channel.SMS, "DELIVERY_FAILED_SMS_FALLBACK"));
        messages.pipeInput(CONVERSATION, send("cmd-v", SendStep.FAILOVER, Channel.SMS, DeliveryState.DELIVERED, T0.plusSeconds(8)));
        // Then the outcome (FAILOVER) shows the failover's delivery, and the deliveries both sends in step order
        ReplyOutcomeView view = view("cmd-v");
        assertThat(view.step()).isEqualTo("FAILOVER");
        assertThat(view.delivery().state()).isEqualTo("DELIVERED");
        assertThat(view.deliveries()).extracting(ReplyOutcomeView.StepDelivery::step).containsExactly("REPLY", "FAILOVER");
        ReplyOutcomeView.StepDelivery reply = view.deliveries().get(0);
        assertThat(reply.channel()).isEqualTo("WHATSAPP");
        assertThat(reply.delivery().state()).isEqualTo("FAILED");
        assertThat(reply.delivery().failedAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(reply.delivery().errorCode()).isEqualTo(131047);
        assertThat(reply.delivery().errorTitle()).isEqualTo("Re-engagement message");
    }

    @Test
    void shouldKeepSendsByCommandWithoutTheirTextAndSkipEverythingElse() {
        // Given a send with its text and template, a send without a delivery yet, an inbound message and a tombstone
        ThreadMessage sent = send("cmd-t", SendStep.REPLY, Channel.WHATSAPP_TEMPLATE, DeliveryState.SENT, T0);
        sent.setText("Dear Ada, your order shipped");
        sent.setTemplate(TemplateRef.newBuilder().setName("order_update").setLanguage("en").setParameters(List.of("Ada")).build());
        messages.pipeInput(CONVERSATION, sent);
        ThreadMessage undelivered = send("cmd-u", SendStep.REPLY, null, DeliveryState.SENT, T0);
        undelivered.setDelivery(null);
        messages.pipeInput(CONVERSATION, undelivered);
        ThreadMessage inbound = send("cmd-i", SendStep.REPLY, Channel.WHATSAPP, DeliveryState.SENT, T0);
        inbound.setDirection(ThreadDirection.INBOUND);
        messages.pipeInput(CONVERSATION, inbound);
        messages.pipeInput(CONVERSATION, (ThreadMessage) null);
        // Then only the delivered send is kept, under its entry id, without text or template (the thread has them),
        // re-keyed by command id through its own repartition topic
        ThreadMessage kept = sendsStore.get("out:cmd-t/REPLY");
        assertThat(kept.getDelivery().getState()).isEqualTo(DeliveryState.SENT);
        assertThat(kept.getText()).isNull();
        assertThat(kept.getTemplate()).isNull();
        assertThat(sendsStore.get("out:cmd-u/REPLY")).isNull();
        assertThat(sendsStore.get("out:cmd-i/REPLY")).isNull();
        assertThat(driver.producedTopicNames())
                .contains("ingest-service-" + ReplyOutcomeTopology.SENDS_BY_COMMAND + "-repartition");
    }

    @Test
    void shouldDeadLetterAPoisonThreadMessageAndCarryOn() {
        byte[] poison = "not avro".getBytes(StandardCharsets.UTF_8);
        rawMessages.pipeInput(CONVERSATION, poison);
        messages.pipeInput(CONVERSATION, send("cmd-p", SendStep.REPLY, Channel.SMS, DeliveryState.DELIVERED, T0));

        assertThat(deadLetterProducer.history()).singleElement().satisfies(r -> {
            assertThat(r.topic()).isEqualTo(Topics.CONVERSATION_MESSAGES.deadLetter());
            assertThat(r.value()).isEqualTo(poison);
        });
        assertThat(sendsStore.get("out:cmd-p/REPLY").getDelivery().getState()).isEqualTo(DeliveryState.DELIVERED);
    }

    @Test
    void shouldSkipCustomerMessagesByTheirHeaderWithoutDecodingThem() {
        // Given a record session-service marked as a customer message whose bytes would not even decode, and a send
        byte[] undecodable = "not avro".getBytes(StandardCharsets.UTF_8);
        rawMessages.pipeInput(new TestRecord<>(CONVERSATION, undecodable, ThreadHeaders.of(ThreadDirection.INBOUND),
                T0));
        messages.pipeInput(CONVERSATION, send("cmd-h", SendStep.REPLY, Channel.SMS, DeliveryState.DELIVERED, T0));

        // Then the customer message was passed by, not decoded (a decoded one would have been dead-lettered), and the
        // send is kept
        assertThat(deadLetterProducer.history()).isEmpty();
        assertThat(sendsStore.get("out:cmd-h/REPLY").getDelivery().getState()).isEqualTo(DeliveryState.DELIVERED);

        // And a record marked outbound is decoded (so a poison one is still dead-lettered)
        rawMessages.pipeInput(new TestRecord<>(CONVERSATION, undecodable, ThreadHeaders.of(ThreadDirection.OUTBOUND),
                T0));
        assertThat(deadLetterProducer.history()).singleElement()
                .satisfies(r -> assertThat(r.topic()).isEqualTo(Topics.CONVERSATION_MESSAGES.deadLetter()));
    }

    @Test
    void shouldKeepOutcomesAndDeliveriesInOneSubTopologySoThatOneInstanceOwnsBoth() {
        // A command's read is routed to the owner of its partition of the outcome store; its deliveries must be there
        // too, which Streams guarantees only for stores of one sub-topology (one task per partition holds both).
        StreamsBuilder builder = new StreamsBuilder();
        IngestTopology.addTo(builder, production.serdeConfig());
        assertThat(builder.build().describe().subtopologies()).anySatisfy(subtopology ->
                assertThat(subtopology.nodes().stream()
                        .filter(TopologyDescription.Processor.class::isInstance)
                        .flatMap(node -> ((TopologyDescription.Processor) node).stores().stream()))
                        .contains(ReplyOutcomeTopology.STORE, ReplyOutcomeTopology.SENDS_STORE));
    }

    /** The body of GET /api/v1/replies/{id} as this partition's stores make it. */
    private ReplyOutcomeView view(String commandId) {
        return ReplyOutcomeView.of(store.get(commandId), ReplyOutcomeTopology.sends(commandId, sendsStore::get));
    }

    /** The thread's state of one send, with the lifecycle up to {@code state} at {@code at}. */
    static ThreadMessage send(String commandId, SendStep step, Channel channel, DeliveryState state, Instant at) {
        DeliveryLifecycle.Builder delivery = DeliveryLifecycle.newBuilder().setState(state).setAcceptedAt(T0);
        switch (state) {
            case FAILED, UNDELIVERED -> delivery.setFailedAt(at);
            case READ -> delivery.setSentAt(T0.plusSeconds(1)).setDeliveredAt(T0.plusSeconds(2)).setReadAt(at);
            case DELIVERED -> delivery.setSentAt(T0.plusSeconds(1)).setDeliveredAt(at);
            default -> delivery.setSentAt(at);
        }
        return ThreadMessage.newBuilder()
                .setTenantId("demo").setConversationId(CONVERSATION)
                .setEntryId("out:" + commandId + "/" + step.name()).setDirection(ThreadDirection.OUTBOUND)
                .setChannel(channel).setAt(T0).setType("text").setText("Your order ships today")
                .setCommandId(commandId).setStep(step).setOutcomeStatus(OutcomeStatus.SENT)
                .setDelivery(delivery.build()).setUpdatedAt(at)
                .build();
    }

    static DispatchOutcome step(DispatchOutcome outcome, SendStep step, Channel channel, String reason) {
        return DispatchOutcome.newBuilder(outcome).setStep(step).setChannel(channel).setReason(reason).build();
    }

    static ReplyAcceptance acceptance(String commandId, String fingerprint) {
        return ReplyAcceptance.newBuilder()
                .setCommandId(commandId).setTenantId("demo").setConversationId(CONVERSATION).setAgentId("agent-7")
                .setRequestFingerprint(fingerprint).setAcceptedAt(T0)
                .build();
    }

    static DispatchOutcome outcome(String commandId, OutcomeStatus status, boolean isFinal, Instant at) {
        return DispatchOutcome.newBuilder()
                .setCommandId(commandId)
                .setTenantId("demo")
                .setConversationId(CONVERSATION)
                .setStatus(status)
                .setChannel(status == OutcomeStatus.PENDING ? null : Channel.WHATSAPP)
                .setReason(status == OutcomeStatus.PENDING ? "WAITING" : "WINDOW_OPEN")
                .setFinal$(isFinal)
                .setOccurredAt(at)
                .build();
    }
}
