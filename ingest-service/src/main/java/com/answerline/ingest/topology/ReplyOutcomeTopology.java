package com.answerline.ingest.topology;

import java.util.Map;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueStore;

import com.answerline.avro.DispatchOutcome;
import com.answerline.schemas.topic.Topics;

/**
 * Dispatch outcomes (keyed by conversation id) re-keyed by command id, and the latest outcome of each command
 * kept in {@link #STORE}. The re-keying goes through a repartition topic, so that a command's outcome lives in
 * the partition of its command id: the store can then be asked "which instance owns this command?" (issue 3).
 */
public final class ReplyOutcomeTopology {

    /** Queryable store: command id -> latest outcome. */
    public static final String STORE = "reply-outcomes-store";
    /** Names the repartition topic ({@code <application.id>-reply-outcomes-by-command-repartition}). */
    static final String BY_COMMAND = "reply-outcomes-by-command";

    private ReplyOutcomeTopology() {
    }

    /** The topology of this part alone (tests); the app adds it to its shared builder with {@link #addTo}. */
    public static Topology build(StreamsBuilder builder, Map<String, ?> serdeConfig) {
        addTo(builder, serdeConfig);
        return builder.build();
    }

    /** Adds this part to {@code builder}, which may carry other parts of the same Streams app. */
    public static void addTo(StreamsBuilder builder, Map<String, ?> serdeConfig) {
        Serde<String> keys = Topics.DISPATCH_OUTCOMES.keySerde();
        Serde<DispatchOutcome> outcomes = Topics.DISPATCH_OUTCOMES.valueSerde(serdeConfig);
        builder.stream(Topics.DISPATCH_OUTCOMES.name(), Consumed.with(keys, outcomes))
                // A tombstone or a record without command id has nothing to report.
                .filter((conversationId, outcome) -> outcome != null && outcome.getCommandId() != null)
                .selectKey((conversationId, outcome) -> outcome.getCommandId())
                .groupByKey(Grouped.with(BY_COMMAND, keys, outcomes))
                .reduce(ReplyOutcomeTopology::latest, Materialized.<String, DispatchOutcome, KeyValueStore<Bytes, byte[]>>as(STORE)
                        .withKeySerde(keys).withValueSerde(outcomes));
    }

    /**
     * The outcome to keep when {@code next} arrives for a command already at {@code current}: the newer one,
     * except that a final outcome is never replaced. Every command has exactly one final outcome, so a second
     * final one can only be a redelivery; keeping the first also makes replays after a crash harmless
     * (at-least-once processing may feed a PENDING again after its SENT).
     */
    static DispatchOutcome latest(DispatchOutcome current, DispatchOutcome next) {
        return current.getFinal$() ? current : next;
    }
}
