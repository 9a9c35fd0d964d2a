package com.answerline.ingest.topology;

import java.util.Map;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueStore;

import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.SendStep;
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

    /** Adds the re-keying and the store to {@code builder}; whoever owns the builder builds the topology once. */
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
     * except that
     * <ul>
     * <li>a final outcome is never replaced (not by a late PENDING, nor by a non-final HELD, nor by a second final
     * one: a command has one final outcome, so a second can only be a redelivery; keeping the first also makes
     * replays after a crash harmless, at-least-once processing may feed a PENDING again after its SENT), with the
     * one exception the contract makes: a final FAILOVER outcome supersedes the SENT outcome it follows (the
     * WhatsApp message was accepted, then refused asynchronously, and the fallback was sent instead);</li>
     * <li>a non-final outcome of an earlier step does not replace one of a later step (a replayed PENDING of the
     * REPLY step after the HELD of the HOLD_INVITATION step would otherwise make the held answer look
     * uncancellable). Steps compare in the order of {@link SendStep}'s symbols, which is the order a command goes
     * through them.</li>
     * </ul>
     */
    static DispatchOutcome latest(DispatchOutcome current, DispatchOutcome next) {
        if (current.getFinal$()) {
            return supersedes(current, next) ? next : current;
        }
        if (!next.getFinal$() && next.getStep().ordinal() < current.getStep().ordinal()) {
            return current;
        }
        return next;
    }

    /** A final FAILOVER after the SENT outcome whose delivery failed; never a second FAILOVER (a redelivery). */
    private static boolean supersedes(DispatchOutcome current, DispatchOutcome next) {
        return next.getFinal$() && next.getStep() == SendStep.FAILOVER
                && current.getStatus() == OutcomeStatus.SENT && current.getStep() != SendStep.FAILOVER;
    }
}
