package com.answerline.dispatch.send;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import com.answerline.avro.SendLedgerEntry;
import com.answerline.avro.SendState;

/**
 * The send ledger's index of parked sends: per conversation, the keys of its parked sends in queue order, rebuilt
 * from the same entries as the ledger (on replay too). A key joins when it is logged PARKED, stays while a retry of
 * it is SENDING (that entry carries the same {@code ParkedSend}, so nothing of the conversation goes beside it, and
 * a compacted log that kept only the SENDING entry still places it), and leaves when it is DONE.
 *
 * <p>Order: {@code ParkedSend.queuePosition}, then the ledger key. A FAILOVER chosen when a parked send's validity
 * ran out takes that send's position, and its key ({@code commandId/FAILOVER}) sorts after the REPLY's
 * ({@code commandId}): so it stays ahead of the conversation's later sends. Not thread-safe: the {@link SendLedger}
 * guards it with its lock.
 */
final class ParkedQueues {

    /** One parked key in its conversation's queue. */
    private record Slot(int partition, String conversationId, long position, String key) {
    }

    private static final Comparator<Slot> ORDER = Comparator.comparingLong(Slot::position).thenComparing(Slot::key);

    private final Map<String, TreeSet<Slot>> byConversation = new HashMap<>();
    private final Map<String, Slot> slots = new HashMap<>();

    /** Follows one ledger entry (null: the key was deleted). */
    void remember(int partition, String key, SendLedgerEntry entry) {
        remove(key);
        // PARKED, its retry SENDING, or DONE with its outcome not yet published (SendLedger.closeParked)
        boolean waiting = entry != null && entry.getParked() != null
                && (entry.getState() == SendState.PARKED || entry.getState() == SendState.SENDING
                || entry.getState() == SendState.DONE);
        if (waiting) {
            Slot slot = new Slot(partition, entry.getConversationId(), entry.getParked().getQueuePosition(), key);
            slots.put(key, slot);
            byConversation.computeIfAbsent(slot.conversationId(), c -> new TreeSet<>(ORDER)).add(slot);
        }
    }

    boolean hasParked(String conversationId) {
        return byConversation.containsKey(conversationId);
    }

    /** The position a send parked now behind the conversation's others takes. */
    long nextPosition(String conversationId) {
        TreeSet<Slot> queue = byConversation.get(conversationId);
        return queue == null ? 0 : queue.last().position() + 1;
    }

    /** Each conversation's first parked key, of the conversations on these partitions. */
    List<Head> heads(Collection<Integer> partitions) {
        List<Head> heads = new ArrayList<>();
        byConversation.forEach((conversation, queue) -> {
            Head head = head(conversation);
            if (partitions.contains(head.partition())) {
                heads.add(head);
            }
        });
        return heads;
    }

    /** The conversation's first parked key, or null when none is parked. */
    Head head(String conversationId) {
        TreeSet<Slot> queue = byConversation.get(conversationId);
        if (queue == null) {
            return null;
        }
        Slot first = queue.first();
        return new Head(first.partition(), conversationId, first.key());
    }

    /** Every parked key of these partitions. */
    List<String> keys(Collection<Integer> partitions) {
        return slots.values().stream().filter(slot -> partitions.contains(slot.partition())).map(Slot::key).toList();
    }

    private void remove(String key) {
        Slot slot = slots.remove(key);
        if (slot == null) {
            return;
        }
        TreeSet<Slot> queue = byConversation.get(slot.conversationId());
        queue.remove(slot);
        if (queue.isEmpty()) {
            byConversation.remove(slot.conversationId());
        }
    }

    /** The send a conversation's parked queue waits on. */
    record Head(int partition, String conversationId, String key) {
    }
}
