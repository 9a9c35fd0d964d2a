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
import com.answerline.avro.SessionState;
import com.answerline.bench.stage.Harness;
import com.answerline.bench.stage.Outcomes;
import com.answerline.bench.traffic.Sandbox;
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
 *   <li>the customers' phones in the sandbox got each reply that ended SENT once, and nothing twice.</li>
 * </ul>
 */
final class FaultChecks {

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

    Verdict verdict(String scenario, SteadyLoad load, Marks marks, Outcomes outcomes, Map<String, Long> inboundBefore) {
        List<String> notes = new ArrayList<>();
        long lost = 0;
        long duplicated = 0;

        // Inbound: on the topic, then folded once.
        Map<String, SteadyLoad.Message> messages = Map.copyOf(load.messages);
        long accepted = messages.values().stream().filter(m -> m.accepted.get()).count();
        long givenUp = messages.size() - accepted;
        long redelivered = messages.values().stream().mapToLong(m -> Math.max(0, m.attempts.get() - 1)).sum();
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
        Map<String, Long> folded = foldedCounts(marks, expected, inboundBefore);
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
        lost += acceptedNotOnTopic + notFolded;
        duplicated += foldedTwice;
        notes.add(accepted + " messages accepted (" + redelivered + " redeliveries, " + givenUp + " never accepted), "
                + onTopic.size() + " distinct on inbound-messages (" + copiesOnTopic + " copies), accepted but not on the topic "
                + acceptedNotOnTopic + ", not folded " + notFolded + ", folded twice " + foldedTwice);

        // Replies: one final outcome each.
        Map<String, SteadyLoad.Reply> replies = Map.copyOf(load.replies);
        List<SteadyLoad.Reply> acceptedReplies = replies.values().stream().filter(r -> r.accepted.get()).toList();
        Set<String> commands = ConcurrentHashMap.newKeySet();
        acceptedReplies.forEach(r -> commands.add(r.commandId));
        outcomes.commands().addAll(commands);
        boolean allFinal = outcomes.awaitAll(settle);
        Map<String, Outcomes.Final> finals = outcomes.finals();
        long withoutOutcome = commands.stream().filter(c -> !finals.containsKey(c)).count();
        Map<String, Set<String>> conflicting = new TreeMap<>(outcomes.conflicting());
        conflicting.keySet().retainAll(commands);
        lost += withoutOutcome;
        duplicated += conflicting.size();
        Map<String, Long> mix = new TreeMap<>();
        commands.stream().map(finals::get).filter(java.util.Objects::nonNull).forEach(f -> mix.merge(
                f.outcome().getStatus() + " " + OutcomeReasons.of(f.outcome()), 1L, Long::sum));
        long replyRetries = replies.values().stream().mapToLong(r -> Math.max(0, r.attempts.get() - 1)).sum();
        List<String> refusals = replies.values().stream().filter(r -> r.refusal != null).map(r -> r.refusal).distinct()
                .limit(3).toList();
        notes.add(acceptedReplies.size() + " replies accepted of " + replies.size() + " (" + replyRetries + " retries"
                + (refusals.isEmpty() ? "" : ", refused: " + refusals) + "), final outcomes " + mix
                + ", without outcome " + withoutOutcome + (allFinal ? "" : " (after " + settle.toSeconds() + " s)")
                + (conflicting.isEmpty() ? "" : ", conflicting " + conflicting));

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
        lost += missing;
        duplicated += extraCopies;
        notes.add("phones: SENT but missing " + missing + ", extra copies " + extraCopies
                + (sendStateUnknownArrived > 0 ? ", SEND_STATE_UNKNOWN that did arrive " + sendStateUnknownArrived : ""));

        String checked = accepted + " messages, " + acceptedReplies.size() + " replies";
        return new Verdict(scenario, null, checked, lost, duplicated, notes, lost == 0 && duplicated == 0
                && acceptedReplies.size() == replies.size() && givenUp == 0);
    }

    /** Each conversation's latest inboundCount, once every one has grown by what is expected (or settle passed). */
    private Map<String, Long> foldedCounts(Marks marks, Map<String, Long> expected, Map<String, Long> before) {
        Map<String, Long> counts = new ConcurrentHashMap<>(before);
        try (KafkaConsumer<String, Object> consumer = harness.kafka().avroConsumer()) {
            harness.kafka().readUntil(consumer, List.of(Topics.CONVERSATION_SESSIONS.name()), marks.sessions(), r -> {
                if (r.value() instanceof SessionState s && expected.containsKey(s.getConversationId())) {
                    counts.merge(s.getConversationId(), s.getInboundCount(), Math::max);
                }
            }, () -> expected.entrySet().stream().allMatch(e -> counts.getOrDefault(e.getKey(), 0L)
                    - before.getOrDefault(e.getKey(), 0L) >= e.getValue()), settle);
            // A last look for anything folded twice after the counts were reached.
            harness.kafka().readToEnd(consumer, List.of(Topics.CONVERSATION_SESSIONS.name()), marks.sessions(), r -> {
                if (r.value() instanceof SessionState s && expected.containsKey(s.getConversationId())) {
                    counts.merge(s.getConversationId(), s.getInboundCount(), Math::max);
                }
                return false;
            });
        }
        return counts;
    }

    /** How many times each reply's text is on its customer's phone. */
    private Map<String, Integer> phoneCopies(Map<String, SteadyLoad.Reply> replies) {
        Map<String, Integer> copies = new HashMap<>();
        Sandbox sandbox = harness.sandbox();
        replies.values().stream().map(r -> r.phone).distinct().forEach(phone -> {
            for (Sandbox.Received message : sandbox.phone(phone)) {
                if (message.text().startsWith("fault reply ")) {
                    String key = message.text().substring("fault reply ".length());
                    // An SMS fallback carries the invitation after the text; the key is the first word.
                    copies.merge(key.split("\\s")[0], 1, Integer::sum);
                }
            }
        });
        return copies;
    }
}
