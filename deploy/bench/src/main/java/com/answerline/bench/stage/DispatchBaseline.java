package com.answerline.bench.stage;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

import com.answerline.avro.Channel;
import com.answerline.avro.DecisionExplanation;
import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.FallbackPolicy;
import com.answerline.avro.OutcomeReason;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.SendRequest;
import com.answerline.avro.SendStep;
import com.answerline.avro.WindowState;
import com.answerline.bench.baseline.MinimalSender;
import com.answerline.bench.report.Check;
import com.answerline.bench.report.Figure;
import com.answerline.bench.traffic.Customers;
import com.answerline.schemas.topic.Topics;

/**
 * Dispatch's fair baseline: {@link MinimalSender} in its own JVM (the services' JVM options), on topics of its own with
 * the partitions of {@code send-requests}, fed a batch of send requests as session-service writes them (WhatsApp text,
 * window open) for the dispatch stage's customers, whose windows are open, while nothing else sends. Its rate, measured
 * as dispatch's full-speed run (from the first request produced until the last outcome is read), is what a send costs on
 * this machine with the provider round trip and Kafka and nothing of ours; its work is checked as dispatch's: one SENT
 * outcome per request, each message on its phone once, so a loop that skipped sends cannot set the bar.
 */
public final class DispatchBaseline {

    static final String IN = "bench-minimal-send-requests";
    static final String OUT = "bench-minimal-send-outcomes";
    public static final String NAME = "minimal send loop (at least once, no ledger)";
    /** The sandbox's Cloud API access token: a local-development value (deploy/sandbox's application.yml). */
    static final String ACCESS_TOKEN = "local-dev-whatsapp-token";
    static final String TEXT_PREFIX = "baseline reply ";

    private final Harness harness;

    public DispatchBaseline(Harness harness) {
        this.harness = harness;
    }

    /** Sends {@code count} requests to {@code customers} through the baseline; its outcomes per second (0 if not exact). */
    public double run(Customers customers, int count, Duration timeout) {
        List<String> topics = List.of(IN, OUT);
        topics.forEach(harness.kafka()::deleteTopic);
        harness.kafka().createTopic(IN, Topics.CONVERSATION_PARTITIONS);
        harness.kafka().createTopic(OUT, Topics.CONVERSATION_PARTITIONS);
        harness.progress("dispatch: " + NAME + ", " + count + " send requests at once");
        try (BaselineProcess app = BaselineProcess.start(harness, NAME, MinimalSender.class.getName(),
                harness.kafka().bootstrap(), harness.endpoints().registry(), IN, OUT,
                "bench-minimal-sender-" + harness.runId(), harness.sandbox().base(), ACCESS_TOKEN)) {
            return measure(customers, count, timeout);
        } catch (IOException e) {
            harness.report().add(Check.of(DispatchStage.STAGE, "baseline: " + NAME + " ran", false, e.toString()));
            return 0;
        } finally {
            topics.forEach(harness.kafka()::deleteTopic);
        }
    }

    private double measure(Customers customers, int count, Duration timeout) {
        Map<String, String> phoneOf = new HashMap<>();
        List<String> ids = new ArrayList<>();
        long start = System.nanoTime();
        try (KafkaProducer<String, Object> producer = harness.kafka().avroProducer()) {
            for (int n = 0; n < count; n++) {
                int i = n % customers.count();
                String id = "baseline-" + harness.runId() + "-" + n;
                ids.add(id);
                phoneOf.put(id, customers.phone(i));
                SendRequest request = request(id, customers.conversation(Conversations.DEMO_NUMBER, i), customers.phone(i));
                producer.send(new ProducerRecord<>(IN, request.getConversationId(), request));
            }
            producer.flush();
        }
        Set<String> outcomes = new HashSet<>();
        long[] copies = {0};
        long[] lastRead = {start};
        boolean all;
        try (KafkaConsumer<String, Object> consumer = harness.kafka().avroConsumer()) {
            Map<TopicPartition, Long> from = new HashMap<>();
            harness.kafka().partitions(List.of(OUT)).forEach(p -> from.put(p, 0L));
            all = harness.kafka().readUntil(consumer, List.of(OUT), from, record -> {
                if (record.value() instanceof DispatchOutcome outcome && outcome.getStatus() == OutcomeStatus.SENT
                        && outcomes.add(outcome.getCommandId())) {
                    lastRead[0] = System.nanoTime();
                } else {
                    copies[0]++;
                }
            }, () -> outcomes.size() >= count, timeout);
        }
        double perSecond = outcomes.size() / Math.max(1e-9, (lastRead[0] - start) / 1e9);
        harness.report().add(Figure.of(DispatchStage.STAGE, NAME + " outcomes/s", perSecond, "/s"));
        Check exact = exact(ids, outcomes, copies[0], onPhones(ids, phoneOf));
        harness.report().add(Check.of(DispatchStage.STAGE, "baseline: " + exact.what(), all && exact.passed(), exact.detail()));
        return all && exact.passed() ? perSecond : 0;
    }

    /** What session-service writes for a text reply in an open window. */
    public static SendRequest request(String commandId, String conversation, String phone) {
        Instant now = Instant.now();
        return SendRequest.newBuilder()
                .setCommandId(commandId)
                .setTenantId("demo")
                .setConversationId(conversation)
                .setPhoneNumberId(Conversations.DEMO_NUMBER)
                .setChannel(Channel.WHATSAPP)
                .setRecipientPhone(phone)
                .setText(TEXT_PREFIX + commandId)
                .setExplanation(DecisionExplanation.newBuilder().setWindowState(WindowState.OPEN)
                        .setPolicy(FallbackPolicy.AUTO).build())
                .setStep(SendStep.REPLY)
                .setOutcomeReason(OutcomeReason.WINDOW_OPEN)
                .setAgentId("bench-agent")
                .setDecidedAt(now)
                .build();
    }

    /** How often each request's text reached its phone. */
    private Map<String, Integer> onPhones(List<String> ids, Map<String, String> phoneOf) {
        Map<String, Integer> received = new HashMap<>();
        harness.sandbox().received(phoneOf.values(), TEXT_PREFIX).forEach((id, at) -> received.put(id, at.size()));
        received.keySet().retainAll(new HashSet<>(ids));
        return received;
    }

    /**
     * The baseline did the work: every request one SENT outcome (a copy, at least once, is counted, not failed) and its
     * message on its phone exactly once.
     */
    static Check exact(List<String> ids, Set<String> outcomes, long copies, Map<String, Integer> onPhones) {
        long withoutOutcome = ids.stream().filter(id -> !outcomes.contains(id)).count();
        long notOnPhone = ids.stream().filter(id -> !onPhones.containsKey(id)).count();
        long twiceOnPhone = onPhones.values().stream().filter(times -> times > 1).count();
        return Check.of(DispatchStage.STAGE, "every send request one SENT outcome and its message on its phone once",
                !ids.isEmpty() && withoutOutcome == 0 && notOnPhone == 0 && twiceOnPhone == 0,
                (ids.size() - withoutOutcome) + "/" + ids.size() + " SENT (" + copies + " other records), "
                        + notOnPhone + " not on the phone, " + twiceOnPhone + " twice");
    }
}
