package com.answerline.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

import com.answerline.avro.AssignmentChanged;
import com.answerline.avro.Channel;
import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.InboundMessage;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.SessionState;
import com.answerline.schemas.serde.AvroSerdeConfig;
import com.answerline.schemas.serde.KafkaAvroSerializer;
import com.answerline.schemas.testing.LoopbackKafkaBroker;
import com.answerline.schemas.topic.Topics;
import com.answerline.session.topology.SessionTopology;

/**
 * The input topics are the source of truth: a second application (new application id, empty state) that reads
 * them from the earliest offset ends with the same sessions as the live run, for every conversation, after
 * out-of-order and redelivered messages, dispatch outcomes (duplicates, failures) and assignment changes (older
 * ones, unassignment), and windows that closed unanswered by the timers. The only field allowed to differ is
 * {@code updatedAt}: it is processing time by design (README rules), so a rebuild stamps it when it runs.
 */
class ReplayIT {

    private static final String REGISTRY = "mock://replay-it";
    private static final String TENANT = "demo";
    private static final String PHONE_NUMBER_ID = "100000000000001";
    private static final int OPEN_CONVERSATIONS = 18;
    private static final int CLOSED_CONVERSATIONS = 2;
    private static final String FINAL_AGENT = "agent-final";

    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    @AutoClose
    private SessionApps apps;
    private LoopbackKafkaBroker broker;

    @Test
    void shouldRebuildTheSameSessionsFromTheInputTopicsWithANewApplicationId() throws Exception {
        // Given the live application folding a stream of inputs for 20 conversations
        apps = SessionApps.onNewBroker(REGISTRY);
        broker = apps.broker();
        ConfigurableApplicationContext live = start("session-replay-it-live");
        // (RUNNING means its topics exist with a leader: producing earlier makes the producer retry for minutes)
        await("live Streams RUNNING").atMost(Duration.ofSeconds(60)).until(() -> live.getBean(
                StreamsBuilderFactoryBean.class).getKafkaStreams().state() == KafkaStreams.State.RUNNING);
        produceInputs();
        Map<String, SessionState> liveSessions = awaitAllFolded(live);
        assertNonTrivial(liveSessions);
        live.close();

        // When a new application with empty state reads the same input topics from the beginning
        Instant replayStarted = Instant.now();
        ConfigurableApplicationContext replay = start("session-replay-it-rebuild");
        Map<String, SessionState> replayed = awaitAllFolded(replay);
        System.out.printf("ReplayIT: rebuilt %d sessions from the input topics in %d ms%n", replayed.size(),
                Duration.between(replayStarted, Instant.now()).toMillis());

        // Then every session equals the live one, apart from the processing-time stamp
        assertThat(withoutProcessingTime(replayed)).isEqualTo(withoutProcessingTime(liveSessions));
    }

    /**
     * Rounds of inputs with increasing record timestamps, flushed round by round: the live run sees each round
     * after the previous one, and a rebuild, which finds everything at once, orders the three topics of a
     * partition by the same timestamps.
     */
    private void produceInputs() {
        Random random = new Random(42);
        long[] timestamp = {now.minusSeconds(60).toEpochMilli()};
        try (KafkaProducer<String, SpecificRecord> producer = producer()) {
            // Round 1: four messages per conversation, shuffled (out of order), one redelivered, one by SMS
            List<ProducerRecord<String, SpecificRecord>> round = new ArrayList<>();
            for (int c = 0; c < OPEN_CONVERSATIONS; c++) {
                Instant base = base(now, c);
                for (int m = 0; m < 4; m++) {
                    Channel channel = c % 5 == 0 && m == 2 ? Channel.SMS : Channel.WHATSAPP;
                    round.add(inbound(c, "wamid.c" + c + ".m" + m, base.plus(10L * m, ChronoUnit.MINUTES), channel));
                }
                round.add(inbound(c, "wamid.c" + c + ".m1", base.plus(10, ChronoUnit.MINUTES), Channel.WHATSAPP));
            }
            for (int c = 0; c < CLOSED_CONVERSATIONS; c++) {
                // Windows that ended hours ago: the timers close them unanswered.
                round.add(inbound(OPEN_CONVERSATIONS + c, "wamid.old" + c, now.minus(30, ChronoUnit.HOURS),
                        Channel.WHATSAPP));
            }
            Collections.shuffle(round, random);
            send(producer, round, timestamp);

            // Round 2: replies: pending then sent (and the sent redelivered) for even ones, a failure for every third
            round = new ArrayList<>();
            for (int c = 0; c < OPEN_CONVERSATIONS; c++) {
                Instant base = base(now, c);
                if (c % 2 == 0) {
                    round.add(outcome(c, "cmd-" + c + "-1", OutcomeStatus.PENDING, base.plus(35, ChronoUnit.MINUTES), false));
                    round.add(outcome(c, "cmd-" + c + "-1", OutcomeStatus.SENT, base.plus(40, ChronoUnit.MINUTES), true));
                    round.add(outcome(c, "cmd-" + c + "-1", OutcomeStatus.SENT, base.plus(40, ChronoUnit.MINUTES), true));
                }
                if (c % 3 == 0) {
                    round.add(outcome(c, "cmd-" + c + "-2", OutcomeStatus.FAILED, base.plus(45, ChronoUnit.MINUTES), true));
                }
            }
            send(producer, round, timestamp);

            // Round 3: assignments for odd ones, an older change arriving late, some unassigned again
            round = new ArrayList<>();
            for (int c = 1; c < OPEN_CONVERSATIONS; c += 2) {
                Instant base = base(now, c);
                round.add(assignment(c, "agent-a", base.plus(50, ChronoUnit.MINUTES)));
                round.add(assignment(c, "agent-b", base.plus(20, ChronoUnit.MINUTES)));
                if (c % 4 == 1) {
                    round.add(assignment(c, null, base.plus(55, ChronoUnit.MINUTES)));
                }
            }
            send(producer, round, timestamp);

            // Round 4: a late earlier message and a new one for every third conversation
            round = new ArrayList<>();
            for (int c = 1; c < OPEN_CONVERSATIONS; c += 3) {
                Instant base = base(now, c);
                round.add(inbound(c, "wamid.c" + c + ".late", base.minus(30, ChronoUnit.MINUTES), Channel.WHATSAPP));
                round.add(inbound(c, "wamid.c" + c + ".new", base.plus(60, ChronoUnit.MINUTES), Channel.WHATSAPP));
            }
            send(producer, round, timestamp);

            // Last: every conversation assigned to the final agent; seeing it everywhere means all was folded
            round = new ArrayList<>();
            for (int c = 0; c < OPEN_CONVERSATIONS + CLOSED_CONVERSATIONS; c++) {
                round.add(assignment(c, FINAL_AGENT, now));
            }
            send(producer, round, timestamp);
        }
    }

    /** Every conversation's session once all inputs are folded and the old windows are closed. */
    private static Map<String, SessionState> awaitAllFolded(ConfigurableApplicationContext context) {
        Map<String, SessionState> sessions = new TreeMap<>();
        await("all inputs folded").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions() // the store is not queryable while Streams starts or rebalances
                .untilAsserted(() -> {
                    sessions.clear();
                    sessions.putAll(readStore(context));
                    assertThat(sessions).hasSize(OPEN_CONVERSATIONS + CLOSED_CONVERSATIONS);
                    assertThat(sessions.values()).allSatisfy(s -> assertThat(s.getAssigneeId()).isEqualTo(FINAL_AGENT));
                    for (int c = 0; c < CLOSED_CONVERSATIONS; c++) {
                        assertThat(sessions.get(conversation(OPEN_CONVERSATIONS + c)).getClosedUnanswered()).isTrue();
                    }
                });
        return sessions;
    }

    /** A few facts of the live run, so that equal states are not equal by being empty. */
    private void assertNonTrivial(Map<String, SessionState> sessions) {
        SessionState first = sessions.get(conversation(0));
        assertThat(first.getInboundCount()).isEqualTo(4); // the redelivered m1 counted once
        assertThat(first.getOutboundCount()).isEqualTo(1); // the redelivered SENT counted once
        assertThat(first.getFirstResponseMillis()).isNotNull();
        SessionState lateAndNew = sessions.get(conversation(1));
        assertThat(lateAndNew.getInboundCount()).isEqualTo(6);
        // the late message moved nothing back, the new one renewed the window
        assertThat(lateAndNew.getWindowExpiresAt()).isEqualTo(base(now, 1).plus(60, ChronoUnit.MINUTES)
                .plus(24, ChronoUnit.HOURS));
        assertThat(lateAndNew.getUnansweredSince()).isNotNull();
        assertThat(sessions.get(conversation(OPEN_CONVERSATIONS)).getWindowExpiresAt()).isBefore(Instant.now());
    }

    private static Map<String, SessionState> withoutProcessingTime(Map<String, SessionState> sessions) {
        Map<String, SessionState> stripped = new TreeMap<>();
        sessions.forEach((id, s) -> stripped.put(id, SessionState.newBuilder(s).setUpdatedAt(Instant.EPOCH).build()));
        return stripped;
    }

    private static Map<String, SessionState> readStore(ConfigurableApplicationContext context) {
        KafkaStreams streams = context.getBean(StreamsBuilderFactoryBean.class).getKafkaStreams();
        assertThat(streams.state()).isEqualTo(KafkaStreams.State.RUNNING);
        ReadOnlyKeyValueStore<String, SessionState> store = streams.store(StoreQueryParameters.fromNameAndType(
                SessionTopology.SESSION_STORE, QueryableStoreTypes.keyValueStore()));
        Map<String, SessionState> sessions = new TreeMap<>();
        try (KeyValueIterator<String, SessionState> all = store.all()) {
            all.forEachRemaining(kv -> sessions.put(kv.key, kv.value));
        }
        return sessions;
    }

    private ConfigurableApplicationContext start(String applicationId) throws IOException {
        return apps.start(applicationId, Files.createTempDirectory("session-replay-it"), SessionApps.freePort());
    }

    private KafkaProducer<String, SpecificRecord> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, KafkaAvroSerializer.class,
                AvroSerdeConfig.SCHEMA_REGISTRY_URL, REGISTRY));
    }

    /** Sends one round with strictly increasing record timestamps and waits until the broker has it. */
    private static void send(KafkaProducer<String, SpecificRecord> producer,
                             List<ProducerRecord<String, SpecificRecord>> round, long[] timestamp) {
        for (ProducerRecord<String, SpecificRecord> record : round) {
            producer.send(new ProducerRecord<>(record.topic(), null, ++timestamp[0], record.key(), record.value()));
        }
        producer.flush();
    }

    private static Instant base(Instant now, int c) {
        return now.minus(20, ChronoUnit.HOURS).plus(5L * c, ChronoUnit.MINUTES);
    }

    private static String conversation(int c) {
        return PHONE_NUMBER_ID + ":155530" + (1000 + c);
    }

    private static ProducerRecord<String, SpecificRecord> inbound(int c, String messageId, Instant sentAt,
                                                                  Channel channel) {
        String id = conversation(c);
        return new ProducerRecord<>(Topics.INBOUND_MESSAGES.name(), id, InboundMessage.newBuilder()
                .setTenantId(TENANT).setConversationId(id).setPhoneNumberId(PHONE_NUMBER_ID)
                .setChannel(channel).setMessageId(messageId).setCustomerPhone(id.split(":")[1])
                .setType("text").setText("hello").setSentAt(sentAt).setReceivedAt(sentAt.plusSeconds(1))
                .build());
    }

    private static ProducerRecord<String, SpecificRecord> outcome(int c, String commandId, OutcomeStatus status,
                                                                  Instant occurredAt, boolean last) {
        String id = conversation(c);
        return new ProducerRecord<>(Topics.DISPATCH_OUTCOMES.name(), id, DispatchOutcome.newBuilder()
                .setCommandId(commandId).setTenantId(TENANT).setConversationId(id).setStatus(status)
                .setChannel(Channel.WHATSAPP).setReason(status.name().toLowerCase()).setFinal$(last).setOccurredAt(occurredAt).build());
    }

    private static ProducerRecord<String, SpecificRecord> assignment(int c, String assignee, Instant changedAt) {
        String id = conversation(c);
        return new ProducerRecord<>(Topics.ASSIGNMENT_CHANGES.name(), id, AssignmentChanged.newBuilder()
                .setTenantId(TENANT).setConversationId(id).setAssigneeId(assignee).setChangedBy("supervisor-1")
                .setChangedAt(changedAt).build());
    }
}
