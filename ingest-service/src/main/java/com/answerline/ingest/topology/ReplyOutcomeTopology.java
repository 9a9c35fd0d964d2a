package com.answerline.ingest.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.SendStep;
import com.answerline.avro.ThreadDirection;
import com.answerline.avro.ThreadMessage;
import com.answerline.schemas.thread.ThreadHeaders;
import com.answerline.schemas.thread.ThreadItem;
import com.answerline.schemas.topic.Topics;

/**
 * A reply command's state for {@code GET /api/v1/replies/{commandId}}: its latest outcome ({@link #STORE}, from
 * {@code dispatch-outcomes}) and the delivery of each of its sends ({@link #SENDS_STORE}, from session-service's
 * {@code conversation-messages}). Both topics are keyed by conversation; both are re-keyed by command id through a
 * repartition topic each, so that a command lives in the partition of its command id (the store can be asked "which
 * instance owns this command?", issue 3). The two repartition topics are co-partitioned (same key, same partition
 * count) and read by one processor that writes both stores, so both are in one sub-topology: the instance that owns
 * a command's outcome also holds its deliveries. They are kept apart, and joined when read, because they arrive in
 * any order: a send's delivery may be reported before dispatch's outcome reaches this app, or long after it.
 */
public final class ReplyOutcomeTopology {

    /** Queryable store: command id -> latest outcome. */
    public static final String STORE = "reply-outcomes-store";
    /**
     * Queryable store: a send's thread entry id ({@code out:<commandId>/<step>}, {@link ThreadItem#outboundEntryId})
     * -> its latest thread message with a delivery, without the text (the thread store holds that). Written in the
     * task of the command id's partition, so found where {@link #STORE} has the command.
     */
    public static final String SENDS_STORE = "reply-sends-store";
    /** Names the repartition topic ({@code <application.id>-reply-outcomes-by-command-repartition}). */
    static final String BY_COMMAND = "reply-outcomes-by-command";
    /** Names the repartition topic ({@code <application.id>-reply-sends-by-command-repartition}). */
    static final String SENDS_BY_COMMAND = "reply-sends-by-command";
    static final String PROCESSOR = "reply-outcomes";

    private ReplyOutcomeTopology() {
    }

    /** Adds the re-keying and the stores to {@code builder}; whoever owns the builder builds the topology once. */
    public static void addTo(StreamsBuilder builder, Map<String, ?> serdeConfig) {
        Serde<String> keys = Topics.DISPATCH_OUTCOMES.keySerde();
        Serde<DispatchOutcome> outcomes = Topics.DISPATCH_OUTCOMES.valueSerde(serdeConfig);
        Serde<ThreadMessage> messages = Topics.CONVERSATION_MESSAGES.valueSerde(serdeConfig);
        // Timestamped and cached, as the reduce that kept this store until the deliveries came: the changelog
        // (ingest-service-reply-outcomes-store-changelog) keeps its format, and deployed stores restore from it.
        builder.addStateStore(Stores.timestampedKeyValueStoreBuilder(
                Stores.persistentTimestampedKeyValueStore(STORE), keys, outcomes).withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(SENDS_STORE), keys, messages).withCachingEnabled());

        KStream<String, SpecificRecord> outcomesByCommand = builder
                .stream(Topics.DISPATCH_OUTCOMES.name(), Consumed.with(keys, outcomes))
                // A tombstone or a record without command id has nothing to report.
                .filter((conversationId, outcome) -> outcome != null && outcome.getCommandId() != null)
                .selectKey((conversationId, outcome) -> outcome.getCommandId())
                .repartition(Repartitioned.with(keys, outcomes).withName(BY_COMMAND))
                .mapValues(outcome -> (SpecificRecord) outcome);
        // Customer messages are most of the topic and none is a send: skipped by their header, never decoded.
        Serde<ThreadMessage> outboundOnly = Serdes.serdeFrom(messages.serializer(),
                ThreadHeaders.only(ThreadDirection.OUTBOUND, messages.deserializer()));
        KStream<String, SpecificRecord> sendsByCommand = builder
                .stream(Topics.CONVERSATION_MESSAGES.name(), Consumed.with(keys, outboundOnly))
                .filter((conversationId, message) -> isSendWithDelivery(message))
                .mapValues(ReplyOutcomeTopology::withoutContent)
                .selectKey((conversationId, message) -> message.getCommandId())
                .repartition(Repartitioned.with(keys, messages).withName(SENDS_BY_COMMAND))
                .mapValues(message -> (SpecificRecord) message);
        outcomesByCommand.merge(sendsByCommand)
                .process(ReplyStateProcessor::new, Named.as(PROCESSOR), STORE, SENDS_STORE);
    }

    /**
     * The sends of a command with a delivery, in step order, from a lookup by entry id (this instance's
     * {@link #SENDS_STORE}, or a test's view of it).
     */
    public static List<ThreadMessage> sends(String commandId, Function<String, ThreadMessage> lookup) {
        List<ThreadMessage> sends = new ArrayList<>();
        for (SendStep step : SendStep.values()) {
            ThreadMessage send = lookup.apply(ThreadItem.outboundEntryId(commandId, step.name()));
            if (send != null) {
                sends.add(send);
            }
        }
        return sends;
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
    public static DispatchOutcome latest(DispatchOutcome current, DispatchOutcome next) {
        if (current.getFinal$()) {
            return supersedes(current, next) ? next : current;
        }
        if (!next.getFinal$() && next.getStep().ordinal() < current.getStep().ordinal()) {
            return current;
        }
        return next;
    }

    /**
     * The state of one send to keep: session-service writes the whole state of a thread message on every change, so
     * the later one ({@code updatedAt}) wins; an older one (a replay after a crash, at-least-once) does not replace it.
     */
    public static ThreadMessage latest(ThreadMessage current, ThreadMessage next) {
        return next.getUpdatedAt().isBefore(current.getUpdatedAt()) ? current : next;
    }

    /** An outbound send of a reply command that the provider reported on (accepted, sent, delivered, read, failed). */
    public static boolean isSendWithDelivery(ThreadMessage message) {
        return message != null && message.getDirection() == ThreadDirection.OUTBOUND && message.getCommandId() != null
                && message.getStep() != null && message.getDelivery() != null;
    }

    /** What a reply's outcome shows of a send: its step, channel and delivery; not the text, template or details. */
    public static ThreadMessage withoutContent(ThreadMessage message) {
        return ThreadMessage.newBuilder(message).setText(null).setTemplate(null).setDetails(Map.of()).build();
    }

    /** A final FAILOVER after the SENT outcome whose delivery failed; never a second FAILOVER (a redelivery). */
    private static boolean supersedes(DispatchOutcome current, DispatchOutcome next) {
        return next.getFinal$() && next.getStep() == SendStep.FAILOVER
                && current.getStatus() == OutcomeStatus.SENT && current.getStep() != SendStep.FAILOVER;
    }

    /** Keeps, per command, the latest outcome and the latest state of each send, by the rules above. */
    private static final class ReplyStateProcessor implements Processor<String, SpecificRecord, Void, Void> {

        private TimestampedKeyValueStore<String, DispatchOutcome> outcomes;
        private KeyValueStore<String, ThreadMessage> sends;

        @Override
        public void init(ProcessorContext<Void, Void> context) {
            outcomes = context.getStateStore(STORE);
            sends = context.getStateStore(SENDS_STORE);
        }

        @Override
        public void process(Record<String, SpecificRecord> record) {
            if (record.value() instanceof DispatchOutcome outcome) {
                ValueAndTimestamp<DispatchOutcome> current = outcomes.get(record.key());
                if (current == null) {
                    outcomes.put(record.key(), ValueAndTimestamp.make(outcome, record.timestamp()));
                    return;
                }
                DispatchOutcome kept = latest(current.value(), outcome);
                if (kept != current.value()) {
                    outcomes.put(record.key(), ValueAndTimestamp.make(kept,
                            Math.max(record.timestamp(), current.timestamp())));
                }
            } else if (record.value() instanceof ThreadMessage send) {
                String entryId = ThreadItem.outboundEntryId(send.getCommandId(), send.getStep().name());
                ThreadMessage current = sends.get(entryId);
                if (current == null || latest(current, send) != current) {
                    sends.put(entryId, send);
                }
            }
        }
    }
}
