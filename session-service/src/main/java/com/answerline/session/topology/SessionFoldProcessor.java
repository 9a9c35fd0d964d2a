package com.answerline.session.topology;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

import com.answerline.avro.SessionState;
import com.answerline.session.window.Session;
import com.answerline.session.window.SessionEvent;
import com.answerline.session.window.SessionFold;
import com.answerline.session.window.WindowChange;
import com.answerline.session.window.WindowTimers;

/**
 * Applies each event to its conversation's session through {@link SessionFold}, once: a redelivered event
 * (same deduplication id) is dropped before the fold. Stores the new session and forwards it; an event
 * that changes nothing forwards nothing. A fold that starts a window forwards OPENED.
 *
 * <p>Timers: the fold keeps the conversation's deadlines in the {@link DeadlineIndex}; a wall-clock
 * punctuation reads only the due ones, deletes them, and lets {@link WindowTimers#fire} decide against the
 * current session (EXPIRING / CLOSED, or nothing when stale). Forwards {@link SessionState} and
 * {@code WindowEvent} records; the topology routes them by type.
 */
final class SessionFoldProcessor implements Processor<String, SessionEvent, String, SpecificRecord> {

    /**
     * Bounds one tick's work (and its share of the transaction) after downtime left a backlog of due deadlines;
     * the rest follow on the next ticks, earliest first.
     */
    static final int MAX_DEADLINES_PER_TICK = 10_000;

    private final Clock clock;
    private final Duration expiringLead;
    private final Duration timerInterval;
    private final WindowEventMetrics metrics;
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, SessionState> sessions;
    private WindowStore<String, Long> seenEvents;
    private DeadlineIndex deadlines;

    SessionFoldProcessor(Clock clock, Duration expiringLead, Duration timerInterval, WindowEventMetrics metrics) {
        this.clock = clock;
        this.expiringLead = WindowTimers.requireValidLead(expiringLead);
        this.timerInterval = timerInterval;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.sessions = context.getStateStore(SessionTopology.SESSION_STORE);
        this.seenEvents = context.getStateStore(SessionTopology.SEEN_EVENTS_STORE);
        this.deadlines = new DeadlineIndex(context.getStateStore(SessionTopology.WINDOW_DEADLINES_STORE));
        // Wall-clock time: deadlines are real time, and stream time stands still when no events arrive.
        context.schedule(timerInterval, PunctuationType.WALL_CLOCK_TIME, this::fireDueDeadlines);
    }

    @Override
    public void process(Record<String, SessionEvent> record) {
        SessionEvent event = record.value();
        if (event == null) {
            return;
        }
        String conversationId = record.key() != null ? record.key() : event.conversationId();
        String dedupId = event.deduplicationId();
        // Keyed by conversation and event id, bucketed at the event's own time: a copy carries the same
        // time, so the look-up is a point read; retention bounds the store (see README).
        String seenKey = conversationId + '|' + dedupId;
        long eventTime = event.eventTime().toEpochMilli();
        if (dedupId != null && seenEvents.fetch(seenKey, eventTime) != null) {
            return;
        }
        Session current = WireMapping.toSession(sessions.get(conversationId));
        Instant now = clock.instant();
        Optional<Session> next = SessionFold.apply(current, event, now);
        if (dedupId != null) {
            seenEvents.put(seenKey, eventTime, eventTime);
        }
        next.ifPresent(session -> {
            SessionState state = WireMapping.toState(session);
            sessions.put(conversationId, state);
            context.forward(record.withKey(conversationId).withValue(state));
            deadlines.replace(conversationId, WindowTimers.deadlines(current, expiringLead),
                    WindowTimers.deadlines(session, expiringLead));
            WindowTimers.opened(current, session, now)
                    .ifPresent(opened -> emit(conversationId, opened, record.timestamp()));
        });
    }

    private void fireDueDeadlines(long wallClockMillis) {
        Instant now = Instant.ofEpochMilli(wallClockMillis);
        for (DeadlineIndex.Entry due : deadlines.due(now, MAX_DEADLINES_PER_TICK)) {
            // Fired or stale, a due entry is done: the session's current deadlines are indexed by the fold.
            deadlines.remove(due);
            String conversationId = due.conversationId();
            Session session = WireMapping.toSession(sessions.get(conversationId));
            WindowTimers.fire(session, due.deadline(), now).ifPresent(fired -> {
                fired.next().ifPresent(changed -> {
                    SessionState state = WireMapping.toState(changed);
                    sessions.put(conversationId, state);
                    context.forward(new Record<>(conversationId, state, wallClockMillis));
                });
                emit(conversationId, fired.change(), wallClockMillis);
            });
        }
    }

    private void emit(String conversationId, WindowChange change, long timestamp) {
        context.forward(new Record<>(conversationId, WireMapping.toWindowEvent(change), timestamp));
        metrics.emitted(change);
    }
}
