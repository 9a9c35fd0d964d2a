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

import com.answerline.avro.DeliveryLifecycle;
import com.answerline.avro.DeliveryStatus;
import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.InboundMessage;
import com.answerline.avro.SessionState;
import com.answerline.avro.ThreadMessage;
import com.answerline.avro.WindowEvent;
import com.answerline.schemas.serde.SpecificAvroSerde;
import com.answerline.schemas.topic.Topic;
import com.answerline.platform.upstream.UpstreamGuard;
import com.answerline.schemas.topic.Topics;
import com.answerline.session.thread.ThreadLimits;
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
 * {@code window-events}. The conversations' threads ({@link ThreadProcessor}) branch off the same sources and publish
 * every changed message to {@code conversation-messages}.
 */
public final class SessionTopology {

    /** The session per conversation id; queryable, changelogged. */
    public static final String SESSION_STORE = "conversation-sessions-store";

    /** Pending window deadlines ordered by time (see {@link DeadlineIndex}); changelogged, so timers survive restarts. */
    public static final String WINDOW_DEADLINES_STORE = "conversation-window-deadlines-store";

    /** Event ids already folded (conversation + wamid, command + status), kept for the dedup retention. */
    public static final String SEEN_EVENTS_STORE = "conversation-seen-events-store";

    /** Every conversation's messages in time order (see {@link ThreadProcessor}); queryable, changelogged. */
    public static final String THREAD_STORE = "conversation-thread-store";

    /** Provider message ids and entry ids of our sends -> their message key in {@value #THREAD_STORE}; changelogged. */
    public static final String THREAD_INDEX_STORE = "conversation-thread-index-store";

    /** Delivery statuses that arrived before the outcome naming their message, for a bounded time; changelogged. */
    public static final String THREAD_UNMATCHED_STATUSES_STORE = "conversation-thread-unmatched-statuses-store";

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
     * @param thread         what the conversations' threads keep
     */
    public record Settings(Map<String, ?> serdeConfig, Duration dedupRetention, Clock clock, Duration expiringLead,
                           Duration timerInterval, MeterRegistry meters, UpstreamGuard.Settings upstream,
                           ThreadLimits thread) {
        public Settings {
            Objects.requireNonNull(upstream, "upstream");
            Objects.requireNonNull(thread, "thread");
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

        KStream<String, InboundMessage> inboundMessages = upstreamSource(builder, Topics.INBOUND_MESSAGES, settings);
        KStream<String, DispatchOutcome> dispatchOutcomes = source(builder, Topics.DISPATCH_OUTCOMES, settings);
        KStream<String, DeliveryStatus> deliveryStatuses = upstreamSource(builder, Topics.DELIVERY_STATUSES, settings);

        KStream<String, SessionEvent> inbound = inboundMessages
                .mapValues(WireMapping::toEvent, Named.as("inbound-message-to-event"));
        KStream<String, SessionEvent> outcomes = dispatchOutcomes
                .mapValues(WireMapping::toEvent, Named.as("dispatch-outcome-to-event"));
        KStream<String, SessionEvent> assignments = upstreamSource(builder, Topics.ASSIGNMENT_CHANGES, settings)
                .mapValues(WireMapping::toEvent, Named.as("assignment-change-to-event"));
        KStream<String, SessionEvent> statuses = deliveryStatuses
                .mapValues(WireMapping::toEvent, Named.as("delivery-status-to-event"));

        WindowEventMetrics metrics = new WindowEventMetrics(settings.meters());
        SessionMetrics sessionMetrics = new SessionMetrics(settings.meters());
        KStream<String, SpecificRecord> folded = inbound.merge(outcomes, Named.as("merge-outcomes"))
                .merge(assignments, Named.as("merge-assignments"))
                .merge(statuses, Named.as("merge-delivery-statuses"))
                .process(() -> new SessionFoldProcessor(settings.clock(), settings.expiringLead(),
                                settings.timerInterval(), settings.dedupRetention(), metrics, sessionMetrics),
                        Named.as("session-fold"),
                        SESSION_STORE, SEEN_EVENTS_STORE, WINDOW_DEADLINES_STORE);

        folded.filter((key, value) -> value instanceof SessionState, Named.as("session-states"))
                .mapValues(value -> (SessionState) value, Named.as("as-session-state"))
                .to(Topics.CONVERSATION_SESSIONS.name(), Produced.with(Topics.CONVERSATION_SESSIONS.keySerde(),
                        sessionSerde).withName("conversation-sessions-sink"));
        folded.filter((key, value) -> value instanceof WindowEvent, Named.as("window-events"))
                .mapValues(value -> (WindowEvent) value, Named.as("as-window-event"))
                .to(Topics.WINDOW_EVENTS.name(), Produced.with(Topics.WINDOW_EVENTS.keySerde(),
                        Topics.WINDOW_EVENTS.valueSerde(settings.serdeConfig())).withName("window-events-sink"));

        addThread(builder, settings, inboundMessages, dispatchOutcomes, deliveryStatuses);
    }

    /**
     * The conversations' threads, from the same (guarded) source streams as the fold: a topic has one source node, so
     * the thread branches off them and runs in the same tasks, over the same partitions, in the same transaction.
     */
    private static void addThread(StreamsBuilder builder, Settings settings, KStream<String, InboundMessage> inbound,
                                  KStream<String, DispatchOutcome> outcomes, KStream<String, DeliveryStatus> statuses) {
        Serde<ThreadMessage> messageSerde = Topics.CONVERSATION_MESSAGES.valueSerde(settings.serdeConfig());
        SpecificAvroSerde<DeliveryLifecycle> lifecycleSerde = new SpecificAvroSerde<>();
        lifecycleSerde.configure(settings.serdeConfig(), false);
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(THREAD_STORE), Serdes.String(), messageSerde));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(THREAD_INDEX_STORE), Serdes.String(), Serdes.String()));
        // Timestamped: the timestamp is when the first status of a message was held (wall clock), for its retention.
        builder.addStateStore(Stores.timestampedKeyValueStoreBuilder(
                Stores.persistentTimestampedKeyValueStore(THREAD_UNMATCHED_STATUSES_STORE), Serdes.String(),
                lifecycleSerde));

        inbound.mapValues(value -> (SpecificRecord) value, Named.as("inbound-message-to-thread"))
                .merge(outcomes.mapValues(value -> (SpecificRecord) value, Named.as("dispatch-outcome-to-thread")),
                        Named.as("thread-merge-outcomes"))
                .merge(statuses.mapValues(value -> (SpecificRecord) value, Named.as("delivery-status-to-thread")),
                        Named.as("thread-merge-delivery-statuses"))
                .process(() -> new ThreadProcessor(settings.clock(), settings.thread()), Named.as("thread"),
                        THREAD_STORE, THREAD_INDEX_STORE, THREAD_UNMATCHED_STATUSES_STORE)
                .to(Topics.CONVERSATION_MESSAGES.name(), Produced.with(Topics.CONVERSATION_MESSAGES.keySerde(),
                        messageSerde).withName("conversation-messages-sink"));
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
