package com.answerline.session.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

import com.answerline.avro.SessionState;
import com.answerline.schemas.topic.Topics;
import com.answerline.session.window.Channel;
import com.answerline.session.window.Session;
import com.answerline.session.window.SessionEvent;
import com.answerline.session.window.SessionFold;
import com.answerline.session.window.WindowTimers;

/**
 * The window gauges live in memory: a task recounts its share from its (restored) stores when it is initialised
 * and withdraws it when it closes. In-memory stores stand in for the restored RocksDB ones (the seen-events window
 * store cannot run outside Streams, and the recount does not read it); the incremental counting is covered through
 * the production topology by {@link SessionMetricsTopologyTest}.
 */
class SessionFoldProcessorRecountTest {

    private static final Instant T0 = Instant.parse("2026-11-20T09:15:30Z");
    private static final Duration LEAD = Duration.ofHours(1);

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final WindowEventMetrics windowEvents = new WindowEventMetrics(meters);
    private final SessionMetrics metrics = new SessionMetrics(meters);

    @Test
    void shouldRecountATasksWindowsFromItsStoresWhenAssignedAndWithdrawThemWhenItCloses() {
        // Given a task's restored stores: two open windows (one announced expiring) and one closed window
        MockProcessorContext<String, SpecificRecord> context = contextWithStores();
        restore(context, "100000000000001:15551230001", T0, false, false);
        restore(context, "100000000000001:15551230002", T0, true, false);
        restore(context, "100000000000001:15551230003", T0.minus(Duration.ofDays(3)), false, true);

        // When the task is initialised (after a restart or a rebalance)
        SessionFoldProcessor processor = processor();
        processor.init(context);

        // Then its windows are counted from the deadline index and the sessions
        assertThat(gauge(SessionMetrics.OPEN_WINDOWS)).isEqualTo(2.0);
        assertThat(gauge(SessionMetrics.EXPIRING_WINDOWS)).isEqualTo(1.0);
        assertThat(meters.get(SessionMetrics.STORED_SESSIONS).gauge().value()).isEqualTo(3.0);

        // When the task is closed (revoked, or shutting down)
        processor.close();

        // Then its windows are no longer this instance's
        assertThat(gauge(SessionMetrics.OPEN_WINDOWS)).isZero();
        assertThat(gauge(SessionMetrics.EXPIRING_WINDOWS)).isZero();
        assertThat(meters.get(SessionMetrics.STORED_SESSIONS).gauge().value()).isZero();
    }

    /** A session as the fold and the timers left it, with its pending deadlines; CLOSED already fired if closed. */
    private static void restore(MockProcessorContext<String, SpecificRecord> context, String conversation,
                                Instant sentAt, boolean expiringNotified, boolean closed) {
        Session session = SessionFold.apply(null, new SessionEvent.CustomerMessage("demo", conversation,
                        "100000000000001", Channel.WHATSAPP, "wamid." + conversation, sentAt, null, null, null, false),
                sentAt).orElseThrow().toBuilder().expiringNotified(expiringNotified || closed).build();
        KeyValueStore<String, SessionState> sessions = context.getStateStore(SessionTopology.SESSION_STORE);
        sessions.put(conversation, WireMapping.toState(session));
        if (!closed) {
            new DeadlineIndex(context.getStateStore(SessionTopology.WINDOW_DEADLINES_STORE))
                    .replace(conversation, List.of(), WindowTimers.deadlines(session, LEAD));
        }
    }

    private SessionFoldProcessor processor() {
        return new SessionFoldProcessor(Clock.fixed(T0, ZoneOffset.UTC), LEAD, Duration.ofSeconds(1), Duration.ofDays(7),
                windowEvents, metrics);
    }

    private static MockProcessorContext<String, SpecificRecord> contextWithStores() {
        MockProcessorContext<String, SpecificRecord> context = new MockProcessorContext<>();
        init(context, Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(SessionTopology.SESSION_STORE),
                Serdes.String(), Topics.CONVERSATION_SESSIONS.valueSerde(Map.of(
                        "schema.registry.url", "mock://recount-test"))).withLoggingDisabled().build());
        init(context, Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(
                SessionTopology.WINDOW_DEADLINES_STORE), Serdes.String(), Serdes.String()).withLoggingDisabled()
                .build());
        return context;
    }

    private static void init(MockProcessorContext<String, SpecificRecord> context, StateStore store) {
        store.init(context.getStateStoreContext(), store);
        context.addStateStore(store);
    }

    private double gauge(String name) {
        return meters.get(name).tag("tenant", "demo").gauge().value();
    }
}
