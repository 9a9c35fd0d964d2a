package com.answerline.session.topology;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

import io.micrometer.core.instrument.MeterRegistry;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

import com.answerline.avro.SessionState;
import com.answerline.avro.WindowEvent;
import com.answerline.schemas.topic.Topic;
import com.answerline.platform.upstream.UpstreamGuard;
import com.answerline.schemas.topic.Topics;
import com.answerline.session.window.SessionEvent;
import com.answerline.session.window.WindowTimers;

/**
 * The session fold as a Kafka Streams topology, a function of a {@link StreamsBuilder} with no I/O:
 * inbound messages, dispatch outcomes, assignment changes and delivery statuses (co-partitioned by conversation id) are
 * translated to domain events, merged, folded per conversation into {@value #SESSION_STORE}, and every
 * change is published to the compacted {@code conversation-sessions} topic. The upstream-facing inputs pass the
 * {@link UpstreamGuard} first: this service guards {@code inbound-messages}, {@code assignment-changes} and
 * {@code delivery-statuses} (dead letters for invalid records, forwarding for misplaced ones). Window timers (deadlines in
 * {@value #WINDOW_DEADLINES_STORE}, a wall-clock punctuation) publish OPENED / EXPIRING / CLOSED to
 * {@code window-events}.
 */
public final class SessionTopology {

    /** The session per conversation id; queryable, changelogged. */
    public static final String SESSION_STORE = "conversation-sessions-store";

    /** Pending window deadlines ordered by time (see {@link DeadlineIndex}); changelogged, so timers survive restarts. */
    public static final String WINDOW_DEADLINES_STORE = "conversation-window-deadlines-store";

    /** Event ids already folded (conversation + wamid, command + status), kept for the dedup retention. */
    public static final String SEEN_EVENTS_STORE = "conversation-seen-events-store";

    private SessionTopology() {
    }

    /**
     * Settings of the topology.
     *
     * @param serdeConfig    registry settings for the Avro serdes ({@code schema.registry.url}, ...)
     * @param dedupRetention how long an event id is remembered; providers redeliver for days
     * @param clock          stamps {@code updatedAt}; never used for the window
     * @param expiringLead   EXPIRING fires this long before the window ends
     * @param timerInterval  how often the due deadlines are read (wall clock)
     * @param meters         receives the window event counter
     * @param upstream       the gate of the upstream-facing inputs (inbound messages, assignment changes, delivery
     *                       statuses): this service dead-letters their invalid records and forwards their misplaced ones
     */
    public record Settings(Map<String, ?> serdeConfig, Duration dedupRetention, Clock clock, Duration expiringLead,
                           Duration timerInterval, MeterRegistry meters, UpstreamGuard.Settings upstream) {
        public Settings {
            Objects.requireNonNull(upstream, "upstream");
            Objects.requireNonNull(serdeConfig, "serdeConfig");
            Objects.requireNonNull(dedupRetention, "dedupRetention");
            Objects.requireNonNull(clock, "clock");
            WindowTimers.requireValidLead(expiringLead);
            Objects.requireNonNull(timerInterval, "timerInterval");
            Objects.requireNonNull(meters, "meters");
            serdeConfig = Map.copyOf(serdeConfig);
        }
    }

    /** Adds the fold to {@code builder} and builds it (tests, and anything that owns its builder). */
    public static Topology build(StreamsBuilder builder, Settings settings) {
        addTo(builder, settings);
        return builder.build();
    }

    /** Adds the fold to {@code builder}; Spring's factory bean builds the topology from it. */
    public static void addTo(StreamsBuilder builder, Settings settings) {
        Serde<SessionState> sessionSerde = Topics.CONVERSATION_SESSIONS.valueSerde(settings.serdeConfig());

        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(SESSION_STORE), Serdes.String(), sessionSerde));
        builder.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(SEEN_EVENTS_STORE, settings.dedupRetention(), Duration.ofMillis(1), false),
                Serdes.String(), Serdes.Long()));

        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(WINDOW_DEADLINES_STORE), Serdes.String(), Serdes.String()));

        KStream<String, SessionEvent> inbound = upstreamSource(builder, Topics.INBOUND_MESSAGES, settings)
                .mapValues(WireMapping::toEvent, Named.as("inbound-message-to-event"));
        KStream<String, SessionEvent> outcomes = source(builder, Topics.DISPATCH_OUTCOMES, settings)
                .mapValues(WireMapping::toEvent, Named.as("dispatch-outcome-to-event"));
        KStream<String, SessionEvent> assignments = upstreamSource(builder, Topics.ASSIGNMENT_CHANGES, settings)
                .mapValues(WireMapping::toEvent, Named.as("assignment-change-to-event"));
        KStream<String, SessionEvent> statuses = upstreamSource(builder, Topics.DELIVERY_STATUSES, settings)
                .mapValues(WireMapping::toEvent, Named.as("delivery-status-to-event"));

        WindowEventMetrics metrics = new WindowEventMetrics(settings.meters());
        SessionMetrics sessionMetrics = new SessionMetrics(settings.meters());
        KStream<String, SpecificRecord> folded = inbound.merge(outcomes, Named.as("merge-outcomes"))
                .merge(assignments, Named.as("merge-assignments"))
                .merge(statuses, Named.as("merge-delivery-statuses"))
                .process(() -> new SessionFoldProcessor(settings.clock(), settings.expiringLead(),
                                settings.timerInterval(), metrics, sessionMetrics), Named.as("session-fold"),
                        SESSION_STORE, SEEN_EVENTS_STORE, WINDOW_DEADLINES_STORE);

        folded.filter((key, value) -> value instanceof SessionState, Named.as("session-states"))
                .mapValues(value -> (SessionState) value, Named.as("as-session-state"))
                .to(Topics.CONVERSATION_SESSIONS.name(), Produced.with(Topics.CONVERSATION_SESSIONS.keySerde(),
                        sessionSerde).withName("conversation-sessions-sink"));
        folded.filter((key, value) -> value instanceof WindowEvent, Named.as("window-events"))
                .mapValues(value -> (WindowEvent) value, Named.as("as-window-event"))
                .to(Topics.WINDOW_EVENTS.name(), Produced.with(Topics.WINDOW_EVENTS.keySerde(),
                        Topics.WINDOW_EVENTS.valueSerde(settings.serdeConfig())).withName("window-events-sink"));
    }

    /** A topic upstream systems write too: through the {@link UpstreamGuard}, which this service runs for it. */
    private static <V extends SpecificRecord> KStream<String, V> upstreamSource(
            StreamsBuilder builder, Topic<V> topic, Settings settings) {
        return UpstreamGuard.guard(source(builder, topic, settings), topic, topic.valueSerde(settings.serdeConfig()),
                settings.upstream());
    }

    private static <V extends SpecificRecord> KStream<String, V> source(
            StreamsBuilder builder, Topic<V> topic, Settings settings) {
        return builder.stream(topic.name(), Consumed.with(topic.keySerde(), topic.valueSerde(settings.serdeConfig()))
                        .withName(topic.name() + "-source"))
                // A tombstone carries no event.
                .filter((key, value) -> value != null, Named.as(topic.name() + "-not-null"));
    }
}
