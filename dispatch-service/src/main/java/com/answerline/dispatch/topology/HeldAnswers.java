package com.answerline.dispatch.topology;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import com.answerline.avro.HeldAnswer;
import com.answerline.avro.ReplyCommand;
import com.answerline.avro.SendRequest;
import com.answerline.avro.SendStep;

/**
 * One task's view of {@link DecisionTopology#HELD_STORE}: the answers held while their invitation template went
 * out (TEMPLATE_THEN_HOLD), keyed {@code conversationId#commandId} like the waiting replies, so one prefix scan
 * finds a conversation's. Every write goes through here so the {@link HoldMetrics} gauge moves with the store.
 */
final class HeldAnswers {

    private final KeyValueStore<String, HeldAnswer> store;
    private final HoldMetrics metrics;
    private final String taskId;

    private HeldAnswers(KeyValueStore<String, HeldAnswer> store, HoldMetrics metrics, String taskId) {
        this.store = store;
        this.metrics = metrics;
        this.taskId = taskId;
    }

    static HeldAnswers of(ProcessorContext<?, ?> context, HoldMetrics metrics) {
        return new HeldAnswers(context.getStateStore(DecisionTopology.HELD_STORE), metrics, context.taskId().toString());
    }

    /**
     * Keeps the agent's answer when the decision was to send the invitation and hold it (a SendRequest of step
     * HOLD_INVITATION); in the same transaction as that SendRequest, so the invitation never leaves without it.
     */
    void holdIfInvitation(ReplyCommand command, SpecificRecord decided) {
        if (!(decided instanceof SendRequest invitation) || invitation.getStep() != SendStep.HOLD_INVITATION) {
            return;
        }
        put(HeldAnswer.newBuilder()
                .setCommand(command)
                .setExplanation(invitation.getExplanation())
                .setHeldAt(invitation.getDecidedAt())
                .setExpiresAt(invitation.getHoldExpiresAt())
                .build());
    }

    HeldAnswer get(String conversationId, String commandId) {
        return store.get(DecisionTopology.pendingKey(conversationId, commandId));
    }

    /** Adds or replaces it. */
    void put(HeldAnswer answer) {
        String key = key(answer);
        boolean added = store.get(key) == null;
        store.put(key, answer);
        if (added) {
            metrics.add(taskId, 1);
        }
    }

    void delete(HeldAnswer answer) {
        if (store.delete(key(answer)) != null) {
            metrics.add(taskId, -1);
        }
    }

    /** The conversation's held answers, oldest hold first. */
    List<HeldAnswer> ofConversation(String conversationId) {
        List<HeldAnswer> held = new ArrayList<>();
        try (KeyValueIterator<String, HeldAnswer> entries =
                     store.prefixScan(DecisionTopology.pendingPrefix(conversationId), new StringSerializer())) {
            entries.forEachRemaining(entry -> held.add(entry.value));
        }
        held.sort(Comparator.comparing(HeldAnswer::getHeldAt));
        return held;
    }

    /** Every held answer of this task that expired at {@code now}, oldest hold first: a scan of the task's store. */
    List<HeldAnswer> expiredAt(Instant now) {
        return all(answer -> !answer.getExpiresAt().isAfter(now));
    }

    /** Recounts the task's held answers for the gauge (one scan per task assignment). */
    void recount() {
        long held = 0;
        try (KeyValueIterator<String, HeldAnswer> entries = store.all()) {
            for (; entries.hasNext(); entries.next()) {
                held++;
            }
        }
        metrics.recount(taskId, held);
    }

    void closed() {
        metrics.taskClosed(taskId);
    }

    private List<HeldAnswer> all(Predicate<HeldAnswer> filter) {
        List<HeldAnswer> matching = new ArrayList<>();
        try (KeyValueIterator<String, HeldAnswer> entries = store.all()) {
            entries.forEachRemaining(entry -> {
                if (filter.test(entry.value)) {
                    matching.add(entry.value);
                }
            });
        }
        matching.sort(Comparator.comparing(HeldAnswer::getHeldAt));
        return matching;
    }

    private static String key(HeldAnswer answer) {
        return DecisionTopology.pendingKey(answer.getCommand().getConversationId(), answer.getCommand().getCommandId());
    }
}
