package com.answerline.bench.stage;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.FallbackPolicy;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.ReplyCommand;
import com.answerline.bench.load.Latencies;
import com.answerline.bench.report.Check;
import com.answerline.bench.report.Figure;
import com.answerline.bench.traffic.Customers;
import com.answerline.schemas.outcome.OutcomeReasons;
import com.answerline.schemas.topic.Topics;

/**
 * Dispatch: customers with open windows (they wrote through the sandbox), then {@code ReplyCommand}s produced to
 * {@code reply-commands} at a target rate, and a batch as fast as possible. Measures final outcomes per second
 * and, for the rate run, the time from each command to the provider call (the sandbox phone's receipt time of the
 * message carrying the command id). Checks that every command got exactly one final outcome, and that the phones
 * got each SENT message once.
 */
public final class DispatchStage {

    static final String STAGE = "dispatch";
    private static final String TEXT_PREFIX = "bench reply ";

    /**
     * @param customers  conversations the replies go to
     * @param rate       commands per second of the rate run
     * @param rateCount  commands of the rate run
     * @param batchCount commands produced at once for the full-speed run (0: none)
     */
    public record Settings(int customers, int rate, int rateCount, int batchCount, Duration timeout) {
    }

    private final Harness harness;
    private final Settings settings;
    private final Customers customers;
    private boolean opened;

    public DispatchStage(Harness harness, Settings settings) {
        this.harness = harness;
        this.settings = settings;
        this.customers = new Customers(harness.runId() * 4 + 2, settings.customers());
    }

    /**
     * The fair baseline ({@link DispatchBaseline}) on a batch of the stage's size, to the stage's customers (their
     * windows opened first) while dispatch is idle; call before {@link #run}, outside the stage's measured time.
     * Returns its outcomes per second (0 without a batch, or when it was not exact).
     */
    public double baseline() {
        if (settings.batchCount() <= 0) {
            return 0;
        }
        openConversations();
        harness.sandbox().statusWebhooks(false);
        try {
            return new DispatchBaseline(harness).run(customers, settings.batchCount(), settings.timeout());
        } finally {
            harness.sandbox().statusWebhooks(true);
        }
    }

    public void run() {
        openConversations();
        // The sender alone: without the sandbox's three delivery reports per message, which would make this stage
        // measure ingest's webhooks and the folds of those statuses (the end-to-end stage has them on).
        harness.sandbox().statusWebhooks(false);
        try {
            Phase rate = phase(customers, "r", settings.rateCount(), settings.rate());
            report(rate, "at " + settings.rate() + "/s", true);
            Phase batch = settings.batchCount() > 0 ? phase(customers, "b", settings.batchCount(), 0) : null;
            if (batch != null) {
                report(batch, "full speed (batch of " + settings.batchCount() + ")", false);
            }
            phoneChecks(customers, rate, batch);
        } finally {
            harness.sandbox().statusWebhooks(true);
        }
    }

    /** The customers write through the sandbox, once: their windows are open for the baseline and the stage. */
    private void openConversations() {
        if (!opened) {
            harness.progress("dispatch: " + settings.customers() + " customers write through the sandbox");
            Conversations.open(harness, customers, settings.timeout());
            opened = true;
        }
    }

    /** One run: produce the commands (paced, or all at once with rate 0), wait for their final outcomes. */
    private Phase phase(Customers customers, String name, int count, int ratePerSecond) {
        List<String> ids = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            ids.add("bench-" + harness.runId() + "-" + name + "-" + n);
        }
        Map<String, Instant> issued = new HashMap<>();
        Map<String, String> phoneOf = new HashMap<>();
        harness.progress("dispatch: " + count + " reply commands " + (ratePerSecond > 0 ? "at " + ratePerSecond + "/s" : "at once"));
        try (Outcomes outcomes = new Outcomes(harness, new LinkedHashSet<>(ids), settings.timeout());
             KafkaProducer<String, Object> producer = harness.kafka().avroProducer()) {
            long start = System.nanoTime();
            long interval = ratePerSecond > 0 ? 1_000_000_000L / ratePerSecond : 0;
            for (int n = 0; n < count; n++) {
                long wait = start + n * interval - System.nanoTime();
                if (wait > 50_000) {
                    LockSupport.parkNanos(wait);
                }
                int i = n % customers.count();
                String conversation = customers.conversation(Conversations.DEMO_NUMBER, i);
                Instant now = Instant.now();
                String id = ids.get(n);
                ReplyCommand command = ReplyCommand.newBuilder()
                        .setCommandId(id)
                        .setTenantId("demo")
                        .setConversationId(conversation)
                        .setAgentId("bench-agent")
                        .setAgentName("Bench")
                        .setText(textOf(id))
                        .setFallback(FallbackPolicy.AUTO)
                        .setIssuedAt(now)
                        .build();
                issued.put(id, now);
                phoneOf.put(id, customers.phone(i));
                producer.send(new ProducerRecord<>(Topics.REPLY_COMMANDS.name(), null, now.toEpochMilli(), conversation, command));
            }
            producer.flush();
            boolean all = outcomes.awaitAll(settings.timeout());
            long end = outcomes.finals().values().stream().mapToLong(Outcomes.Final::readAtNanos).max().orElse(System.nanoTime());
            return new Phase(name, ids, issued, phoneOf, outcomes.finals(), outcomes.conflicting(), all,
                    outcomes.copies(), (end - start) / 1e9);
        }
    }

    static String textOf(String commandId) {
        return TEXT_PREFIX + commandId;
    }

    record Phase(String name, List<String> ids, Map<String, Instant> issued, Map<String, String> phoneOf,
                 Map<String, Outcomes.Final> finals, Map<String, Set<String>> conflicting, boolean all, long copies,
                 double seconds) {

        Map<String, Long> byStatus() {
            Map<String, Long> counts = new TreeMap<>();
            finals.values().forEach(f -> counts.merge(f.outcome().getStatus() + " " + OutcomeReasons.of(f.outcome()), 1L, Long::sum));
            return counts;
        }
    }

    private void report(Phase phase, String how, boolean atRate) {
        double perSecond = phase.finals().size() / phase.seconds();
        Figure outcomes = Figure.of(STAGE, "final outcomes/s " + how, perSecond, "/s");
        harness.report().add(atRate ? outcomes.atLeast(settings.rate() * 0.99) : outcomes.atLeast(3_000));
        Latencies toOutcome = new Latencies();
        phase.finals().forEach((id, f) -> toOutcome.recordMillis(f.readAtMillis() - phase.issued().get(id).toEpochMilli()));
        harness.report().add(Figure.of(STAGE, "command to outcome read p50 " + how, toOutcome.percentileMillis(50), "ms"));
        harness.report().add(Figure.of(STAGE, "command to outcome read p99 " + how, toOutcome.percentileMillis(99), "ms"));
        harness.report().add(Check.of(STAGE, "every command " + how + " has exactly one final outcome",
                phase.all() && phase.conflicting().isEmpty(), phase.finals().size() + "/" + phase.ids().size() + " final "
                        + phase.byStatus() + (phase.conflicting().isEmpty() ? "" : ", conflicting: " + phase.conflicting())));
    }

    /** Provider-call latency from the phones, and that each SENT message reached its phone exactly once. */
    private void phoneChecks(Customers customers, Phase rate, Phase batch) {
        List<String> phones = new ArrayList<>();
        for (int i = 0; i < customers.count(); i++) {
            phones.add(customers.phone(i));
        }
        Map<String, List<Instant>> received = harness.sandbox().received(phones, TEXT_PREFIX);
        Latencies toProvider = new Latencies();
        long missing = 0;
        long duplicated = 0;
        for (Phase phase : batch == null ? List.of(rate) : List.of(rate, batch)) {
            for (String id : phase.ids()) {
                List<Instant> at = received.getOrDefault(id, List.of());
                Outcomes.Final outcome = phase.finals().get(id);
                boolean sent = outcome != null && outcome.outcome().getStatus() == OutcomeStatus.SENT;
                if (sent && at.isEmpty()) {
                    missing++;
                }
                if (at.size() > 1) {
                    duplicated++;
                }
                if (phase == rate && !at.isEmpty()) {
                    toProvider.recordMillis(at.get(0).toEpochMilli() - phase.issued().get(id).toEpochMilli());
                }
            }
        }
        String how = "at " + settings.rate() + "/s";
        harness.report().add(Figure.of(STAGE, "command to provider call p50 " + how, toProvider.percentileMillis(50), "ms"));
        harness.report().add(Figure.of(STAGE, "command to provider call p99 " + how, toProvider.percentileMillis(99), "ms")
                .below(200));
        harness.report().add(Check.of(STAGE, "every SENT reply on its phone exactly once", missing == 0 && duplicated == 0,
                missing + " missing, " + duplicated + " duplicated"));
        harness.report().add(Check.of(STAGE, "every reply in an open window SENT on WhatsApp",
                rate.finals().values().stream().map(Outcomes.Final::outcome).allMatch(DispatchStage::sentOnWhatsApp),
                rate.byStatus().toString()));
    }

    private static boolean sentOnWhatsApp(DispatchOutcome outcome) {
        return outcome.getStatus() == OutcomeStatus.SENT && outcome.getChannel() == com.answerline.avro.Channel.WHATSAPP;
    }
}
