package com.answerline.dispatch.topology;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

import com.answerline.avro.ReplyCommand;
import com.answerline.avro.SessionState;
import com.answerline.dispatch.decision.ChannelDecider;

/**
 * Decides each reply command on the conversation's session from the table, or parks it while that session is
 * older than what the agent saw, or missing for a free-form reply. A wall-clock punctuator ends commands parked
 * too long (catch-up timeout from the command's issuedAt; grace for a missing session from the moment it was
 * parked here), so none waits silently for ever. A decision to hold the agent's answer (TEMPLATE_THEN_HOLD) stores
 * it in the held answers with its invitation, in the same transaction.
 */
final class DecideReplyProcessor implements Processor<String, ReplyCommand, String, SpecificRecord> {

    private final ReplyDecisions decisions;
    private final Clock clock;
    private final Duration catchUpTimeout;
    private final Duration unknownConversationGrace;
    private final HoldMetrics holdMetrics;
    private ProcessorContext<String, SpecificRecord> context;
    private TimestampedKeyValueStore<String, SessionState> sessions;
    private TimestampedKeyValueStore<String, ReplyCommand> pending;
    private HeldAnswers held;

    DecideReplyProcessor(ReplyDecisions decisions, Clock clock, Duration catchUpTimeout, Duration unknownConversationGrace,
                         HoldMetrics holdMetrics) {
        this.decisions = decisions;
        this.clock = clock;
        this.catchUpTimeout = catchUpTimeout;
        this.unknownConversationGrace = unknownConversationGrace;
        this.holdMetrics = holdMetrics;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.sessions = context.getStateStore(DecisionTopology.SESSION_STORE);
        this.pending = context.getStateStore(DecisionTopology.PENDING_STORE);
        this.held = HeldAnswers.of(context, holdMetrics);
        Duration shortest = catchUpTimeout.compareTo(unknownConversationGrace) < 0 ? catchUpTimeout : unknownConversationGrace;
        Duration every = shortest.dividedBy(4);
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
        ChannelDecider.Wait wait = decisions.waitFor(command, session);
        if (wait != ChannelDecider.Wait.NOTHING) {
            // The store's timestamp is when the command was parked (wall clock): the grace counts from there.
            pending.put(DecisionTopology.pendingKey(record.key(), command.getCommandId()),
                    ValueAndTimestamp.make(command, clock.millis()));
            context.forward(record.withValue(decisions.waiting(command, session, wait)));
            return;
        }
        SpecificRecord decided = decisions.decide(command, session);
        held.holdIfInvitation(command, decided);
        context.forward(record.withValue(decided));
    }

    private void expireWaiting() {
        long now = clock.millis();
        List<Ended> ended = new ArrayList<>();
        try (KeyValueIterator<String, ValueAndTimestamp<ReplyCommand>> all = pending.all()) {
            all.forEachRemaining(entry -> {
                ReplyCommand command = entry.value.value();
                SessionState session = ValueAndTimestamp.getValueOrNull(sessions.get(command.getConversationId()));
                SpecificRecord result = switch (decisions.waitFor(command, session)) {
                    case SESSION_VERSION -> command.getIssuedAt().toEpochMilli() <= now - catchUpTimeout.toMillis()
                            ? decisions.sessionNotCaughtUp(command, session) : null;
                    // After the grace the conversation counts as unknown: UNKNOWN_CONVERSATION, or the template
                    // when the fallback is TEMPLATE.
                    case CONVERSATION_SESSION -> entry.value.timestamp() <= now - unknownConversationGrace.toMillis()
                            ? decisions.decide(command, session) : null;
                    // Nothing to wait for any more (e.g. the tenant's configuration changed): decide now.
                    case NOTHING -> decisions.decide(command, session);
                };
                if (result != null) {
                    ended.add(new Ended(entry.key, command, result));
                }
            });
        }
        for (Ended entry : ended) {
            pending.delete(entry.pendingKey());
            held.holdIfInvitation(entry.command(), entry.result());
            context.forward(new Record<>(entry.command().getConversationId(), entry.result(), now));
        }
    }

    private record Ended(String pendingKey, ReplyCommand command, SpecificRecord result) {
    }
}
