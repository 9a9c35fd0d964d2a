package com.answerline.session.topology;

import java.time.Clock;
import java.util.Optional;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

import com.answerline.avro.SessionState;
import com.answerline.session.window.Session;
import com.answerline.session.window.SessionEvent;
import com.answerline.session.window.SessionFold;

/**
 * Applies each event to its conversation's session through {@link SessionFold}, once: a redelivered event
 * (same deduplication id) is dropped before the fold. Stores the new session and forwards it; an event
 * that changes nothing forwards nothing.
 */
final class SessionFoldProcessor implements Processor<String, SessionEvent, String, SessionState> {

    private final Clock clock;
    private ProcessorContext<String, SessionState> context;
    private KeyValueStore<String, SessionState> sessions;
    private WindowStore<String, Long> seenEvents;

    SessionFoldProcessor(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void init(ProcessorContext<String, SessionState> context) {
        this.context = context;
        this.sessions = context.getStateStore(SessionTopology.SESSION_STORE);
        this.seenEvents = context.getStateStore(SessionTopology.SEEN_EVENTS_STORE);
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
        Optional<Session> next = SessionFold.apply(current, event, clock.instant());
        if (dedupId != null) {
            seenEvents.put(seenKey, eventTime, eventTime);
        }
        next.ifPresent(session -> {
            SessionState state = WireMapping.toState(session);
            sessions.put(conversationId, state);
            context.forward(record.withKey(conversationId).withValue(state));
        });
    }
}
