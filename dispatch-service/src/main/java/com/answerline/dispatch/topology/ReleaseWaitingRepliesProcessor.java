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
import org.apache.kafka.streams.state.KeyValueStore;

import com.answerline.avro.ReplyCommand;
import com.answerline.avro.SessionState;

/** On every session update, decides the conversation's waiting commands that the new version satisfies. */
final class ReleaseWaitingRepliesProcessor implements Processor<String, SessionState, String, SpecificRecord> {

    private final ReplyDecisions decisions;
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, ReplyCommand> pending;

    ReleaseWaitingRepliesProcessor(ReplyDecisions decisions) {
        this.decisions = decisions;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.pending = context.getStateStore(DecisionTopology.PENDING_STORE);
    }

    @Override
    public void process(Record<String, SessionState> record) {
        SessionState session = record.value();
        if (session == null || record.key() == null) {
            return;
        }
        List<KeyValue<String, ReplyCommand>> ready = new ArrayList<>();
        try (KeyValueIterator<String, ReplyCommand> waiting =
                     pending.prefixScan(DecisionTopology.pendingPrefix(record.key()), new StringSerializer())) {
            waiting.forEachRemaining(entry -> {
                if (!decisions.mustWait(entry.value, session)) {
                    ready.add(entry);
                }
            });
        }
        for (KeyValue<String, ReplyCommand> entry : ready) {
            pending.delete(entry.key);
            context.forward(new Record<>(record.key(), decisions.decide(entry.value, session), record.timestamp()));
        }
    }
}
