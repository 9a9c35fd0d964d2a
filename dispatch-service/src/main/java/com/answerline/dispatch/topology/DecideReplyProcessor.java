package com.answerline.dispatch.topology;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

import com.answerline.avro.ReplyCommand;
import com.answerline.avro.SessionState;

/**
 * Decides each reply command on the conversation's session from the table, or parks it while that session is
 * older than what the agent saw. A wall-clock punctuator rejects commands parked longer than the catch-up
 * timeout, so none waits silently for ever.
 */
final class DecideReplyProcessor implements Processor<String, ReplyCommand, String, SpecificRecord> {

    private final ReplyDecisions decisions;
    private final Clock clock;
    private final Duration catchUpTimeout;
    private ProcessorContext<String, SpecificRecord> context;
    private TimestampedKeyValueStore<String, SessionState> sessions;
    private KeyValueStore<String, ReplyCommand> pending;

    DecideReplyProcessor(ReplyDecisions decisions, Clock clock, Duration catchUpTimeout) {
        this.decisions = decisions;
        this.clock = clock;
        this.catchUpTimeout = catchUpTimeout;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.sessions = context.getStateStore(DecisionTopology.SESSION_STORE);
        this.pending = context.getStateStore(DecisionTopology.PENDING_STORE);
        Duration every = catchUpTimeout.dividedBy(4);
        every = every.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1)
                : every.compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30) : every;
        context.schedule(every, PunctuationType.WALL_CLOCK_TIME, ignored -> expireWaiting());
    }

    @Override
    public void process(Record<String, ReplyCommand> record) {
        ReplyCommand command = record.value();
        if (command == null || record.key() == null) {
            return;
        }
        SessionState session = ValueAndTimestamp.getValueOrNull(sessions.get(record.key()));
        if (decisions.mustWait(command, session)) {
            pending.put(DecisionTopology.pendingKey(record.key(), command.getCommandId()), command);
            context.forward(record.withValue(decisions.waiting(command, session)));
            return;
        }
        context.forward(record.withValue(decisions.decide(command, session)));
    }

    private void expireWaiting() {
        long deadline = clock.instant().minus(catchUpTimeout).toEpochMilli();
        List<KeyValue<String, ReplyCommand>> expired = new ArrayList<>();
        try (KeyValueIterator<String, ReplyCommand> all = pending.all()) {
            all.forEachRemaining(entry -> {
                if (entry.value.getIssuedAt().toEpochMilli() <= deadline) {
                    expired.add(entry);
                }
            });
        }
        for (KeyValue<String, ReplyCommand> entry : expired) {
            pending.delete(entry.key);
            String conversationId = entry.value.getConversationId();
            SessionState session = ValueAndTimestamp.getValueOrNull(sessions.get(conversationId));
            context.forward(new Record<>(conversationId, decisions.sessionNotCaughtUp(entry.value, session), clock.millis()));
        }
    }
}
