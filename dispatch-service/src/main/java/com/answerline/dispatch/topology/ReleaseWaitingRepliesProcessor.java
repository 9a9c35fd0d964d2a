package com.answerline.dispatch.topology;

import java.util.ArrayList;
import java.util.List;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

import com.answerline.avro.ReplyCommand;
import com.answerline.avro.SessionState;

/**
 * On every session update, decides the conversation's waiting commands that the new version satisfies: those
 * waiting for the version the agent saw, and those waiting for the conversation's first session (a decision to
 * hold the agent's answer stores it, as in {@link DecideReplyProcessor}).
 */
final class ReleaseWaitingRepliesProcessor implements Processor<String, SessionState, String, SpecificRecord> {

    private final ReplyDecisions decisions;
    private final HoldMetrics holdMetrics;
    private ProcessorContext<String, SpecificRecord> context;
    private TimestampedKeyValueStore<String, ReplyCommand> pending;
    private HeldAnswers held;

    ReleaseWaitingRepliesProcessor(ReplyDecisions decisions, HoldMetrics holdMetrics) {
        this.decisions = decisions;
        this.holdMetrics = holdMetrics;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.pending = context.getStateStore(DecisionTopology.PENDING_STORE);
        this.held = HeldAnswers.of(context, holdMetrics);
    }

    @Override
    public void process(Record<String, SessionState> record) {
        SessionState session = record.value();
        if (session == null || record.key() == null) {
            return;
        }
        List<KeyValue<String, ReplyCommand>> ready = new ArrayList<>();
        try (KeyValueIterator<String, ValueAndTimestamp<ReplyCommand>> waiting =
                     pending.prefixScan(DecisionTopology.pendingPrefix(record.key()), new StringSerializer())) {
            waiting.forEachRemaining(entry -> {
                if (!decisions.mustWait(entry.value.value(), session)) {
                    ready.add(KeyValue.pair(entry.key, entry.value.value()));
                }
            });
        }
        for (KeyValue<String, ReplyCommand> entry : ready) {
            pending.delete(entry.key);
            SpecificRecord decided = decisions.decide(entry.value, session);
            held.holdIfInvitation(entry.value, decided);
            context.forward(new Record<>(record.key(), decided, record.timestamp()));
        }
    }
}
