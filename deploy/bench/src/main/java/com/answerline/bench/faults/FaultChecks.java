package com.answerline.bench.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import com.answerline.avro.InboundMessage;
import com.answerline.avro.OutcomeReason;
import com.answerline.avro.OutcomeStatus;
import com.answerline.bench.kafka.SettledOffsets;
import com.answerline.bench.stage.FoldedCounts;
import com.answerline.bench.stage.Harness;
import com.answerline.bench.stage.Outcomes;
import com.answerline.schemas.outcome.OutcomeReasons;
import com.answerline.schemas.topic.Topics;

/**
 * The checks after a scenario, all from the data the system kept, never from what the services say about themselves:
 * <ul>
 *   <li>every accepted message is on {@code inbound-messages} and was folded exactly once: each conversation's
 *       {@code inboundCount} on {@code conversation-sessions} grew by exactly its distinct message ids on the topic
 *       (copies from redeliveries removed, none lost);</li>
 *   <li>every accepted reply has exactly one final outcome on {@code dispatch-outcomes} (identical republished copies
 *       allowed, as the contract says);</li>
 *   <li>the customers' phones in the sandbox got each reply that ended SENT once, and nothing twice;</li>
 *   <li>and that the run can prove any of this: accepted messages and replies above a floor ({@link Floors}) and the
 *       fault verified ({@link FaultProof}). A run without traffic or a drill that did no harm fails.</li>
 * </ul>
 */
final class FaultChecks {

    /**
     * inbound-messages counts as complete once its end has not moved for this long: longer than ingest's publish
     * timeout (10 s), the longest a webhook already taken may still take to land on the topic.
     */
    static final Duration INBOUND_QUIET = Duration.ofSeconds(11);

    private final Harness harness;
    private final Duration settle;

    FaultChecks(Harness harness, Duration settle) {
        this.harness = harness;
        this.settle = settle;
    }

    /** Where the topics stood before the scenario's traffic: what the checks read from. */
    record Marks(Map<TopicPartition, Long> inbound, Map<TopicPartition, Long> sessions) {
    }

    Marks marks() {
        return new Marks(harness.kafka().endOffsets(List.of(Topics.INBOUND_MESSAGES.name())),
                harness.kafka().endOffsets(List.of(Topics.CONVERSATION_SESSIONS.name())));
    }

    /**
     * The least traffic a scenario must have carried for its checks to prove anything: half of what the plan's rates
     * issue outside the fault ({@code traffic}: the time before it plus the time after it), at least one of each.
     */
    record Floors(long messages, long replies) {

        static Floors of(SteadyLoad.Rates rates, Duration traffic) {
            double seconds = traffic.toMillis() / 1000.0;
            return new Floors(Math.max(1, (long) (rates.webhooksPerSecond() * seconds / 2)),
                    Math.max(1, (long) (rates.repliesPerSecond() * seconds / 2)));
        }
    }

    /**
     * What a scenario's run came to, counted from the data ({@link #tally}); {@link #judge} turns it into the verdict.
     *
     * @param messagesIssued     customer messages the load made
     * @param messagesAccepted   of them, answered 200 by ingest (at some delivery)
     * @param notOnTopic         accepted but not on {@code inbound-messages}
     * @param notFolded          on the topic but not counted by the fold
     * @param foldedTwice        counted more than once by the fold
     * @param repliesIssued      agent replies the load made
     * @param repliesAccepted    of them, answered 202 by the gateway
     * @param withoutOutcome     accepted replies without a final outcome
     * @param conflicting        accepted replies with more than one distinct final outcome
     * @param sentButMissing     replies that ended SENT but are not on the customer's phone
     * @param extraCopies        copies on the phones beyond the first
     */
    record Tally(long messagesIssued, long messagesAccepted, long redeliveries, long distinctOnTopic,
                 long copiesOnTopic, long notOnTopic, long notFolded, long foldedTwice, long repliesIssued,
                 long repliesAccepted, long replyRetries, List<String> refusals, Map<String, Long> outcomeMix,
                 long withoutOutcome, boolean allFinal, Map<String, Set<String>> conflicting, long sentButMissing,
                 long extraCopies, long sendStateUnknownArrived) {
    }

    Verdict verdict(String scenario, SteadyLoad load, Marks marks, Outcomes outcomes, Map<String, Long> inboundBefore,
                    FaultProof fault, Floors floors) {
        Verdict verdict = judge(scenario, tally(load, marks, outcomes, inboundBefore), fault, floors, settle);
        // What the webhooks' deliveries met: which limit a message given up met (shed, not ready, no answer...).
        List<String> notes = new ArrayList<>(verdict.notes());
        notes.add(1, Deliveries.describe(List.copyOf(load.messages.values()), m -> m.deliveries, m -> m.accepted.get()));
        return new Verdict(verdict.scenario(), verdict.load(), verdict.checked(), verdict.lost(), verdict.duplicated(),
                notes, verdict.passed());
    }

    /**
     * The verdict of a run: passed only when nothing was lost or duplicated, every message and reply was accepted,
     * the traffic reached its floors (a run without traffic proves nothing) and the fault was verified (a drill that
     * did no harm proves nothing).
     */
    static Verdict judge(String scenario, Tally t, FaultProof fault, Floors floors, Duration settle) {
        long lost = t.notOnTopic() + t.notFolded() + t.withoutOutcome() + t.sentButMissing();
        long duplicated = t.foldedTwice() + t.conflicting().size() + t.extraCopies();
        long givenUp = t.messagesIssued() - t.messagesAccepted();
        List<String> notes = new ArrayList<>();
        notes.add(t.messagesAccepted() + " messages accepted (" + t.redeliveries() + " redeliveries, " + givenUp
                + " never accepted), " + t.distinctOnTopic() + " distinct on inbound-messages (" + t.copiesOnTopic()
                + " copies), accepted but not on the topic " + t.notOnTopic() + ", not folded " + t.notFolded()
                + ", folded twice " + t.foldedTwice());
        notes.add(t.repliesAccepted() + " replies accepted of " + t.repliesIssued() + " (" + t.replyRetries()
                + " retries" + (t.refusals().isEmpty() ? "" : ", refused: " + t.refusals()) + "), final outcomes "
                + t.outcomeMix() + ", without outcome " + t.withoutOutcome()
                + (t.allFinal() ? "" : " (after " + settle.toSeconds() + " s)")
                + (t.conflicting().isEmpty() ? "" : ", conflicting " + t.conflicting()));
        notes.add("phones: SENT but missing " + t.sentButMissing() + ", extra copies " + t.extraCopies()
                + (t.sendStateUnknownArrived() > 0 ? ", SEND_STATE_UNKNOWN that did arrive " + t.sendStateUnknownArrived()
                : ""));
        boolean enoughTraffic = t.messagesAccepted() >= floors.messages() && t.repliesAccepted() >= floors.replies();
        if (!enoughTraffic) {
            notes.add("too little traffic to prove anything: " + t.messagesAccepted() + " messages and "
                    + t.repliesAccepted() + " replies accepted, at least " + floors.messages() + " and "
                    + floors.replies() + " required");
        }
        notes.add((fault.verified() ? "fault verified: " : "fault NOT verified: ") + fault.evidence());
        String checked = t.messagesAccepted() + " messages, " + t.repliesAccepted() + " replies";
        boolean passed = lost == 0 && duplicated == 0 && t.repliesAccepted() == t.repliesIssued() && givenUp == 0
                && enoughTraffic && fault.verified();
        return new Verdict(scenario, null, checked, lost, duplicated, notes, passed);
    }

    /** Counts the run from the topics, the outcomes and the phones. */
    private Tally tally(SteadyLoad load, Marks marks, Outcomes outcomes, Map<String, Long> inboundBefore) {
        // Inbound: on the topic, then folded once.
        Map<String, SteadyLoad.Message> messages = Map.copyOf(load.messages);
        long accepted = messages.values().stream().filter(m -> m.accepted.get()).count();
        long redelivered = messages.values().stream().mapToLong(m -> Math.max(0, m.attempts.get() - 1)).sum();
        // Webhooks the harness gave up on may still be published by ingest after the load stopped: read once the topic
        // stopped growing, so a message folded late is on the topic read too (else it would count as folded twice).
        SettledOffsets.Result settled = SettledOffsets.await(
                () -> harness.kafka().endOffsets(List.of(Topics.INBOUND_MESSAGES.name())), INBOUND_QUIET, settle,
                Duration.ofMillis(500));
        if (!settled.settled()) {
            harness.progress("faults: inbound-messages still growing after " + settle.toSeconds() + " s; read as is");
        }
        Map<String, Integer> onTopic = new HashMap<>();
        try (KafkaConsumer<String, Object> consumer = harness.kafka().avroConsumer()) {
            harness.kafka().readToEnd(consumer, List.of(Topics.INBOUND_MESSAGES.name()), marks.inbound(),
                    r -> r.value() instanceof InboundMessage m && messages.containsKey(m.getMessageId()))
                    .forEach(r -> onTopic.merge(((InboundMessage) r.value()).getMessageId(), 1, Integer::sum));
        }
        long acceptedNotOnTopic = messages.entrySet().stream()
                .filter(e -> e.getValue().accepted.get() && !onTopic.containsKey(e.getKey())).count();
        long copiesOnTopic = onTopic.values().stream().mapToLong(c -> c - 1).sum();
        Map<String, Long> expected = new HashMap<>();
        onTopic.keySet().forEach(wamid -> expected.merge(messages.get(wamid).conversation, 1L, Long::sum));
        Map<String, Long> folded = new HashMap<>(FoldedCounts.read(harness, marks.sessions(), expected.keySet(),
                FoldedCounts.grewBy(expected, inboundBefore), settle));
        inboundBefore.forEach(folded::putIfAbsent);
        long notFolded = 0;
        long foldedTwice = 0;
        for (Map.Entry<String, Long> e : expected.entrySet()) {
            long grew = folded.getOrDefault(e.getKey(), 0L) - inboundBefore.getOrDefault(e.getKey(), 0L);
            if (grew < e.getValue()) {
                notFolded += e.getValue() - grew;
            } else if (grew > e.getValue()) {
                foldedTwice += grew - e.getValue();
            }
        }

        // Replies: one final outcome each.
        Map<String, SteadyLoad.Reply> replies = Map.copyOf(load.replies);
        List<SteadyLoad.Reply> acceptedReplies = replies.values().stream().filter(r -> r.accepted.get()).toList();
        Set<String> commands = ConcurrentHashMap.newKeySet();
        acceptedReplies.forEach(r -> commands.add(r.commandId));
        outcomes.commands().addAll(commands);
        boolean allFinal = outcomes.awaitAll(settle);
        Map<String, Outcomes.Final> finals = outcomes.finals();
        long withoutOutcome = Outcomes.withoutFinal(commands, finals);
        Map<String, Set<String>> conflicting = new TreeMap<>(outcomes.conflicting());
        conflicting.keySet().retainAll(commands);
        Map<String, Long> mix = new TreeMap<>();
        commands.stream().map(finals::get).filter(java.util.Objects::nonNull).forEach(f -> mix.merge(
                f.outcome().getStatus() + " " + OutcomeReasons.of(f.outcome()), 1L, Long::sum));
        long replyRetries = replies.values().stream().mapToLong(r -> Math.max(0, r.attempts.get() - 1)).sum();
        List<String> refusals = replies.values().stream().filter(r -> r.refusal != null).map(r -> r.refusal).distinct()
                .limit(3).toList();

        // Phones: SENT once, nothing twice.
        Map<String, Integer> onPhones = phoneCopies(replies);
        long missing = 0;
        long extraCopies = 0;
        long sendStateUnknownArrived = 0;
        for (Map.Entry<String, SteadyLoad.Reply> e : replies.entrySet()) {
            int copies = onPhones.getOrDefault(e.getKey(), 0);
            Outcomes.Final outcome = e.getValue().commandId == null ? null : finals.get(e.getValue().commandId);
            boolean sent = outcome != null && outcome.outcome().getStatus() == OutcomeStatus.SENT;
            if (sent && copies == 0) {
                missing++;
            }
            if (copies > 1) {
                extraCopies += copies - 1;
            }
            if (outcome != null && OutcomeReasons.of(outcome.outcome()) == OutcomeReason.SEND_STATE_UNKNOWN && copies > 0) {
                sendStateUnknownArrived++;
            }
        }
        return new Tally(messages.size(), accepted, redelivered, onTopic.size(), copiesOnTopic, acceptedNotOnTopic,
                notFolded, foldedTwice, replies.size(), acceptedReplies.size(), replyRetries, refusals, mix,
                withoutOutcome, allFinal, conflicting, missing, extraCopies, sendStateUnknownArrived);
    }

    /** How many times each reply's text is on its customer's phone. */
    private Map<String, Integer> phoneCopies(Map<String, SteadyLoad.Reply> replies) {
        Map<String, Integer> copies = new HashMap<>();
        harness.sandbox().received(replies.values().stream().map(r -> r.phone).toList(), "fault reply ")
                .forEach((key, at) -> copies.put(key, at.size()));
        return copies;
    }
}
