package com.answerline.session.topology;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;

import com.answerline.avro.SessionState;
import com.answerline.session.window.Session;
import com.answerline.session.window.SessionEvent;
import com.answerline.session.window.SessionEvent.DeliveryUpdate;
import com.answerline.session.window.SessionEvent.ReplyOutcome;
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
 *
 * <p>Delivery statuses name our message by its provider id, which the session keeps with its last outbound message
 * ({@code SessionState.lastOutbound}): the fold matches them there, no look-up is needed here.
 *
 * <p>Metrics ({@link SessionMetrics}): every session change moves this task's window counts by the session's state
 * before and after; {@link #init} rebuilds them from the restored stores and {@link #close} withdraws them.
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
    private final Duration dedupRetention;
    private final WindowEventMetrics metrics;
    private final SessionMetrics sessionMetrics;
    private SessionMetrics.TaskCounts windowCounts;
    private String taskId;
    private ProcessorContext<String, SpecificRecord> context;
    private KeyValueStore<String, SessionState> sessions;
    private WindowStore<String, Long> seenEvents;
    private DeadlineIndex deadlines;

    SessionFoldProcessor(Clock clock, Duration expiringLead, Duration timerInterval, Duration dedupRetention,
                         WindowEventMetrics metrics, SessionMetrics sessionMetrics) {
        this.clock = clock;
        this.dedupRetention = dedupRetention;
        this.expiringLead = WindowTimers.requireValidLead(expiringLead);
        this.timerInterval = timerInterval;
        this.metrics = metrics;
        this.sessionMetrics = sessionMetrics;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.sessions = context.getStateStore(SessionTopology.SESSION_STORE);
        this.seenEvents = context.getStateStore(SessionTopology.SEEN_EVENTS_STORE);
        this.deadlines = new DeadlineIndex(context.getStateStore(SessionTopology.WINDOW_DEADLINES_STORE));
        this.taskId = context.taskId().toString();
        // Called once the stores are restored: this task's share of the window gauges, from its own deadlines.
        this.windowCounts = sessionMetrics.taskCounts();
        deadlines.forEach(entry -> {
            if (entry.deadline().kind() == WindowTimers.Kind.CLOSED) {
                Session session = WireMapping.toSession(sessions.get(entry.conversationId()));
                // Only the current window's entry counts (the fold removes a moved end's, this makes sure).
                if (session != null && entry.deadline().windowExpiresAt().equals(session.windowExpiresAt())) {
                    windowCounts.add(windowState(session), 1);
                }
            }
        });
        sessionMetrics.storedSessions(taskId, sessions.approximateNumEntries());
        // Wall-clock time: deadlines are real time, and stream time stands still when no events arrive.
        context.schedule(timerInterval, PunctuationType.WALL_CLOCK_TIME, this::tick);
    }

    @Override
    public void close() {
        if (windowCounts != null) {
            windowCounts.release();
            sessionMetrics.taskClosed(taskId);
        }
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
        if (dedupId != null && seen(seenKey, event, eventTime)) {
            return;
        }
        Session current = WireMapping.toSession(sessions.get(conversationId));
        Instant now = clock.instant();
        Optional<Session> next = SessionFold.apply(current, event, now);
        if (dedupId != null) {
            seenEvents.put(seenKey, eventTime, eventTime);
        }
        sessionMetrics.foldLag(eventType(event), Duration.between(event.eventTime(), now));
        next.ifPresent(session -> {
            SessionState state = WireMapping.toState(session);
            SessionMetrics.WindowState before = windowState(current);
            sessions.put(conversationId, state);
            context.forward(record.withKey(conversationId).withValue(state));
            deadlines.replace(conversationId, WindowTimers.deadlines(current, expiringLead),
                    WindowTimers.deadlines(session, expiringLead));
            WindowTimers.opened(current, session, now)
                    .ifPresent(opened -> emit(conversationId, opened, record.timestamp()));
            observe(current, before, session);
        });
    }

    /**
     * A point read at the event's own time; for an event whose copies may be timed differently (an SMS, timed at
     * ingest's receipt) a range read of its key over the retention on either side: the key is the conversation and
     * the MessageSid, so the range holds that one message's copies only.
     */
    private boolean seen(String seenKey, SessionEvent event, long eventTime) {
        if (!event.copiesMayDifferInTime()) {
            return seenEvents.fetch(seenKey, eventTime) != null;
        }
        Instant at = Instant.ofEpochMilli(eventTime);
        try (WindowStoreIterator<Long> copies = seenEvents.backwardFetch(seenKey, at.minus(dedupRetention),
                at.plus(dedupRetention))) {
            return copies.hasNext();
        }
    }

    private void tick(long wallClockMillis) {
        long started = System.nanoTime();
        try {
            fireDueDeadlines(wallClockMillis);
            sessionMetrics.storedSessions(taskId, sessions.approximateNumEntries());
        } finally {
            sessionMetrics.tick().record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
        }
    }

    private void fireDueDeadlines(long wallClockMillis) {
        Instant now = Instant.ofEpochMilli(wallClockMillis);
        for (DeadlineIndex.Entry due : deadlines.due(now, MAX_DEADLINES_PER_TICK)) {
            // Fired or stale, a due entry is done: the session's current deadlines are indexed by the fold.
            String conversationId = due.conversationId();
            Session session = WireMapping.toSession(sessions.get(conversationId));
            SessionMetrics.WindowState before = windowState(session);
            deadlines.remove(due);
            Optional<WindowTimers.Fired> fired = WindowTimers.fire(session, due.deadline(), now);
            fired.ifPresent(f -> {
                f.next().ifPresent(changed -> {
                    SessionState state = WireMapping.toState(changed);
                    sessions.put(conversationId, state);
                    context.forward(new Record<>(conversationId, state, wallClockMillis));
                });
                emit(conversationId, f.change(), wallClockMillis);
            });
            observe(session, before, fired.flatMap(WindowTimers.Fired::next).orElse(session));
        }
    }

    /** Metrics of one session change: window gauges (before vs after), closed unanswered, first response. */
    private void observe(Session previous, SessionMetrics.WindowState before, Session next) {
        windowCounts.change(before, windowState(next));
        if (next == null || next == previous) {
            return;
        }
        if (next.closedUnanswered() && (previous == null || !previous.closedUnanswered())) {
            sessionMetrics.closedUnanswered(next);
        }
        if (previous != null && previous.unansweredSince() != null && next.unansweredSince() == null
                && next.firstResponseMillis() != null) {
            sessionMetrics.firstResponse(next);
        }
    }

    /**
     * Open = the window's CLOSED deadline is still pending; expiring = and EXPIRING was announced; unanswered = the
     * customer waits for an answer.
     */
    private SessionMetrics.WindowState windowState(Session session) {
        if (session == null || session.windowExpiresAt() == null) {
            return SessionMetrics.WindowState.NONE;
        }
        Instant end = session.windowExpiresAt();
        boolean open = deadlines.holds(session.conversationId(),
                new WindowTimers.Deadline(WindowTimers.Kind.CLOSED, end, end));
        return new SessionMetrics.WindowState(session.tenantId(), open, open && session.expiringNotified(),
                session.unansweredSince() != null);
    }

    private static String eventType(SessionEvent event) {
        if (event instanceof SessionEvent.CustomerMessage) {
            return "customer_message";
        }
        if (event instanceof ReplyOutcome) {
            return "reply_outcome";
        }
        if (event instanceof DeliveryUpdate) {
            return "delivery_status";
        }
        return "assignment";
    }

    private void emit(String conversationId, WindowChange change, long timestamp) {
        context.forward(new Record<>(conversationId, WireMapping.toWindowEvent(change), timestamp));
        metrics.emitted(change);
    }
}
