package com.answerline.session.topology;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

import com.answerline.avro.Channel;
import com.answerline.avro.DeliveryLifecycle;
import com.answerline.avro.DeliveryStatus;
import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.InboundMessage;
import com.answerline.avro.SendStep;
import com.answerline.avro.ThreadDirection;
import com.answerline.avro.ThreadMessage;
import com.answerline.schemas.thread.ThreadHeaders;
import com.answerline.schemas.thread.ThreadItem;
import com.answerline.session.thread.DeliveryLifecycles;
import com.answerline.session.thread.ThreadEntries;
import com.answerline.session.thread.ThreadKeys;
import com.answerline.session.thread.ThreadLimits;

/**
 * Keeps every conversation's thread ({@link ThreadEntries} has the rules) and forwards each changed message whole, to
 * {@code conversation-messages}, in the transaction of the event that changed it.
 *
 * <p>Stores ({@link ThreadKeys} has the key layout):
 * <ul>
 *   <li>{@value SessionTopology#THREAD_STORE}: the messages, in time order per conversation;</li>
 *   <li>{@value SessionTopology#THREAD_INDEX_STORE}: provider message id and entry id of our sends -> message key, so
 *       an outcome finds its send and a status or reaction the message it is about;</li>
 *   <li>{@value SessionTopology#THREAD_UNMATCHED_STATUSES_STORE}: statuses that arrived before the outcome that
 *       names their message, merged per provider message id, applied when it arrives. A status that names its send
 *       (command id and step, from the send's reference) is applied to that send at once, by its entry id.</li>
 * </ul>
 *
 * <p>Per event, in RocksDB operations: a customer's message is one get (its own key: a redelivered copy has the same
 * send time, so that is the dedup) and one put; it is not indexed, so the rare look-up by a customer's message id (a
 * reaction to the customer's own message) scans the conversation, bounded by {@code max-messages}. An SMS is timed at
 * ingest's receipt, so a redelivery (same MessageSid) has another time: it is indexed by its entry id (one get and
 * one put more), and a copy finds the first there. An outcome is two
 * gets (index, message) and one put, plus the index puts of a new send or of the provider id once accepted (and one
 * get for statuses waiting for it); a status is two gets and one put. Duplicates stop before any put.
 *
 * <p>Retention and the bound per conversation: a wall-clock punctuation walks the message store newest first, a
 * slice of at most {@value #MAX_ENTRIES_PER_TICK} messages (whole conversations) per tick, resuming where the last
 * slice stopped; it drops the messages older than the retention and those beyond a conversation's
 * {@code max-messages} newest, with their index entries, and the unmatched statuses older than their retention.
 * Drops are not published: nothing a reader shows changes but the end of a long thread.
 */
final class ThreadProcessor implements Processor<String, SpecificRecord, String, ThreadMessage> {

    /** Bounds one sweep tick's work on the stream thread (whole conversations: a slice may end a little after). */
    static final int MAX_ENTRIES_PER_TICK = 5_000;

    private final Clock clock;
    private final ThreadLimits limits;
    private ProcessorContext<String, ThreadMessage> context;
    private KeyValueStore<String, ThreadMessage> messages;
    private KeyValueStore<String, String> index;
    private TimestampedKeyValueStore<String, DeliveryLifecycle> unmatched;
    /** Where the next sweep slice of the messages starts (inclusive upper bound, walking down); null: the newest. */
    private String sweepFrom;
    /** Where the next sweep slice of the unmatched statuses starts (exclusive lower bound); null: the first. */
    private String unmatchedSweepAfter;

    ThreadProcessor(Clock clock, ThreadLimits limits) {
        this.clock = clock;
        this.limits = limits;
    }

    @Override
    public void init(ProcessorContext<String, ThreadMessage> context) {
        this.context = context;
        this.messages = context.getStateStore(SessionTopology.THREAD_STORE);
        this.index = context.getStateStore(SessionTopology.THREAD_INDEX_STORE);
        this.unmatched = context.getStateStore(SessionTopology.THREAD_UNMATCHED_STATUSES_STORE);
        context.schedule(limits.sweepInterval(), PunctuationType.WALL_CLOCK_TIME, this::sweep);
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        Instant now = clock.instant();
        if (record.value() instanceof InboundMessage message) {
            inbound(conversation(record, message.getConversationId()), message, now, record.timestamp());
        } else if (record.value() instanceof DispatchOutcome outcome) {
            outcome(conversation(record, outcome.getConversationId()), outcome, now, record.timestamp());
        } else if (record.value() instanceof DeliveryStatus status) {
            status(conversation(record, status.getConversationId()), status, now, record.timestamp());
        }
    }

    private void inbound(String conversationId, InboundMessage message, Instant now, long timestamp) {
        if (ThreadEntries.isReaction(message)) {
            String reacted = ThreadEntries.reactedMessageId(message);
            KeyValue<String, ThreadMessage> target = reacted == null ? null : byProviderMessageId(conversationId, reacted);
            if (target != null) {
                ThreadEntries.withReaction(target.value, message, now)
                        .ifPresent(changed -> store(target.key, changed, timestamp));
            }
            // A reaction to a message the thread no longer (or never) had is dropped: there is nothing to show it on.
            return;
        }
        String entryId = ThreadItem.inboundEntryId(message.getMessageId());
        String key = ThreadKeys.message(conversationId, message.getSentAt().toEpochMilli(), entryId);
        if (message.getChannel() == Channel.SMS) {
            // Timed at ingest's receipt: a redelivery (same MessageSid) has another key, so the entry index decides.
            String byEntry = ThreadKeys.byEntryId(conversationId, entryId);
            String first = index.get(byEntry);
            if (first != null && messages.get(first) != null) {
                return;
            }
            index.put(byEntry, key);
        }
        if (messages.get(key) == null) {
            store(key, ThreadEntries.inbound(message, now), timestamp);
        }
    }

    private void outcome(String conversationId, DispatchOutcome outcome, Instant now, long timestamp) {
        String entryId = ThreadEntries.entryId(outcome);
        String byEntry = ThreadKeys.byEntryId(conversationId, entryId);
        String key = index.get(byEntry);
        ThreadMessage current = key == null ? null : messages.get(key);
        Optional<ThreadMessage> next = ThreadEntries.withOutcome(current, outcome, now);
        if (next.isEmpty()) {
            return;
        }
        ThreadMessage message = next.get();
        if (current == null) {
            key = ThreadKeys.message(conversationId, message.getAt().toEpochMilli(), entryId);
            index.put(byEntry, key);
        }
        String providerMessageId = message.getProviderMessageId();
        if (providerMessageId != null && (current == null || !providerMessageId.equals(current.getProviderMessageId()))) {
            index.put(ThreadKeys.byProviderMessageId(conversationId, providerMessageId), key);
            // Statuses that came first (a webhook can beat the outcome that names its message) apply now.
            String waiting = ThreadKeys.unmatchedStatus(conversationId, providerMessageId);
            ValueAndTimestamp<DeliveryLifecycle> early = unmatched.get(waiting);
            if (early != null) {
                unmatched.delete(waiting);
                message = ThreadEntries.withDelivery(message, early.value(), now).orElse(message);
            }
        }
        if (outcome.getStep() == SendStep.FAILOVER) {
            message = linkFailover(conversationId, outcome.getCommandId(), message, now, timestamp);
        }
        store(key, message, timestamp);
    }

    /** Links the failed send and its failover both ways; returns the failover send with its link. */
    private ThreadMessage linkFailover(String conversationId, String commandId, ThreadMessage failover, Instant now,
                                       long timestamp) {
        for (String failedEntryId : ThreadEntries.failedOverEntryIds(commandId)) {
            String key = index.get(ThreadKeys.byEntryId(conversationId, failedEntryId));
            ThreadMessage failed = key == null ? null : messages.get(key);
            if (failed != null) {
                ThreadEntries.withFailover(failed, failover.getEntryId(), now)
                        .ifPresent(linked -> store(key, linked, timestamp));
                return ThreadEntries.failoverOf(failover, failedEntryId, now);
            }
        }
        return failover;
    }

    private void status(String conversationId, DeliveryStatus status, Instant now, long timestamp) {
        DeliveryLifecycle facts = DeliveryLifecycles.of(status);
        if (facts == null) {
            return;
        }
        String key = sendOf(conversationId, status);
        ThreadMessage send = key == null ? null : messages.get(key);
        if (send != null && send.getProviderMessageId() != null
                && !send.getProviderMessageId().equals(status.getProviderMessageId())) {
            send = null;
        }
        if (send != null) {
            ThreadEntries.withDelivery(send, facts, now).ifPresent(changed -> store(key, changed, timestamp));
            return;
        }
        String waiting = ThreadKeys.unmatchedStatus(conversationId, status.getProviderMessageId());
        ValueAndTimestamp<DeliveryLifecycle> early = unmatched.get(waiting);
        DeliveryLifecycle merged = DeliveryLifecycles.merge(early == null ? null : early.value(), facts);
        if (early == null || !merged.equals(early.value())) {
            unmatched.put(waiting, ValueAndTimestamp.make(merged,
                    early == null ? context.currentSystemTimeMs() : early.timestamp()));
        }
    }

    /**
     * The key of the send a status is about: by provider message id, else by the send it names (command id and step,
     * from its reference): found before any outcome carries the provider message id, e.g. a send whose answer was lost,
     * PENDING until dispatch settles it (or FAILED SEND_STATE_UNKNOWN after its deadline, the late delivery then
     * shown beside the outcome). Null when neither is known.
     */
    private String sendOf(String conversationId, DeliveryStatus status) {
        String key = index.get(ThreadKeys.byProviderMessageId(conversationId, status.getProviderMessageId()));
        if (key == null && status.getCommandId() != null && status.getStep() != null) {
            key = index.get(ThreadKeys.byEntryId(conversationId,
                    ThreadItem.outboundEntryId(status.getCommandId(), status.getStep().name())));
        }
        return key;
    }

    /**
     * The message a provider message id names: by the index (our sends), else by a scan of the conversation newest
     * first (a customer's message, which is not indexed). Null when the conversation has no such message.
     */
    private KeyValue<String, ThreadMessage> byProviderMessageId(String conversationId, String providerMessageId) {
        String key = index.get(ThreadKeys.byProviderMessageId(conversationId, providerMessageId));
        ThreadMessage indexed = key == null ? null : messages.get(key);
        if (indexed != null) {
            return KeyValue.pair(key, indexed);
        }
        try (KeyValueIterator<String, ThreadMessage> thread = messages.reverseRange(
                ThreadKeys.conversationStart(conversationId), ThreadKeys.conversationEnd(conversationId))) {
            while (thread.hasNext()) {
                KeyValue<String, ThreadMessage> message = thread.next();
                if (message.value.getDirection() == ThreadDirection.INBOUND
                        && providerMessageId.equals(message.value.getProviderMessageId())) {
                    return message;
                }
            }
        }
        return null;
    }

    private void store(String key, ThreadMessage message, long timestamp) {
        messages.put(key, message);
        context.forward(new Record<>(message.getConversationId(), message, timestamp,
                ThreadHeaders.of(message.getDirection())));
    }

    private void sweep(long wallClockMillis) {
        sweepMessages(wallClockMillis - limits.retention().toMillis());
        sweepUnmatched(wallClockMillis - limits.unmatchedStatusRetention().toMillis());
    }

    /** One slice of the message store, newest first: drops what is too old or beyond a conversation's bound. */
    private void sweepMessages(long oldestKeptMillis) {
        List<KeyValue<String, ThreadMessage>> dropped = new ArrayList<>();
        String next = null;
        try (KeyValueIterator<String, ThreadMessage> all = sweepFrom == null ? messages.reverseAll()
                : messages.reverseRange(null, sweepFrom)) {
            String conversationId = null;
            int kept = 0;
            int seen = 0;
            while (all.hasNext()) {
                KeyValue<String, ThreadMessage> message = all.next();
                String owner = ThreadKeys.conversationOf(message.key);
                if (!owner.equals(conversationId)) {
                    if (seen >= MAX_ENTRIES_PER_TICK) {
                        next = ThreadKeys.conversationEnd(owner);
                        break;
                    }
                    conversationId = owner;
                    kept = 0;
                }
                seen++;
                if (kept >= limits.maxMessages() || ThreadKeys.millisOf(message.key) < oldestKeptMillis) {
                    dropped.add(message);
                } else {
                    kept++;
                }
            }
        }
        sweepFrom = next;
        dropped.forEach(this::drop);
    }

    private void drop(KeyValue<String, ThreadMessage> message) {
        messages.delete(message.key);
        ThreadMessage value = message.value;
        if (value.getDirection() == ThreadDirection.INBOUND && value.getChannel() == Channel.SMS) {
            index.delete(ThreadKeys.byEntryId(value.getConversationId(), value.getEntryId()));
        } else if (value.getDirection() == ThreadDirection.OUTBOUND) {
            index.delete(ThreadKeys.byEntryId(value.getConversationId(), value.getEntryId()));
            if (value.getProviderMessageId() != null) {
                String byProvider = ThreadKeys.byProviderMessageId(value.getConversationId(), value.getProviderMessageId());
                if (message.key.equals(index.get(byProvider))) {
                    index.delete(byProvider);
                }
            }
        }
    }

    /** The statuses still unmatched after their retention (their send is not coming), a slice per tick. */
    private void sweepUnmatched(long oldestKeptMillis) {
        List<String> expired = new ArrayList<>();
        String last = null;
        int seen = 0;
        try (KeyValueIterator<String, ValueAndTimestamp<DeliveryLifecycle>> all = unmatched.range(unmatchedSweepAfter,
                null)) {
            while (all.hasNext() && seen < MAX_ENTRIES_PER_TICK) {
                KeyValue<String, ValueAndTimestamp<DeliveryLifecycle>> status = all.next();
                if (status.key.equals(unmatchedSweepAfter)) {
                    continue;
                }
                seen++;
                last = status.key;
                if (status.value.timestamp() < oldestKeptMillis) {
                    expired.add(status.key);
                }
            }
            unmatchedSweepAfter = all.hasNext() ? last : null;
        }
        expired.forEach(unmatched::delete);
    }

    private static String conversation(Record<String, SpecificRecord> record, String fromValue) {
        return record.key() != null ? record.key() : fromValue;
    }
}
