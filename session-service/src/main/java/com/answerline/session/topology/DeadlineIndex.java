package com.answerline.session.topology;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import com.answerline.session.window.WindowTimers.Deadline;
import com.answerline.session.window.WindowTimers.Kind;

/**
 * The window deadlines of every conversation in one key-value store ordered by time, so a timer tick reads only
 * what is due: key = deadline millis, zero-padded to 19 digits (string order = time order in RocksDB's byte
 * order) + {@code '|'} + conversation id; value = kind + {@code '|'} + the window end it was computed for.
 * A tick's cost follows the number of due deadlines, not the number of conversations.
 */
final class DeadlineIndex {

    private static final char SEPARATOR = '|';

    private final KeyValueStore<String, String> store;

    DeadlineIndex(KeyValueStore<String, String> store) {
        this.store = store;
    }

    /** One indexed deadline of one conversation. */
    record Entry(String key, String conversationId, Deadline deadline) {
    }

    /** Brings the index from a conversation's previous deadlines to its current ones, touching only the difference. */
    void replace(String conversationId, List<Deadline> previous, List<Deadline> current) {
        Set<Deadline> keep = new HashSet<>(current);
        for (Deadline old : previous) {
            if (!keep.contains(old)) {
                store.delete(key(old, conversationId));
            }
        }
        Set<Deadline> existing = new HashSet<>(previous);
        for (Deadline deadline : current) {
            if (!existing.contains(deadline)) {
                store.put(key(deadline, conversationId), value(deadline));
            }
        }
    }

    /**
     * The deadlines at or before {@code now}, earliest first, at most {@code limit}; read fully before the caller
     * changes the store.
     */
    List<Entry> due(Instant now, int limit) {
        List<Entry> due = new ArrayList<>();
        // Keys of deadlines <= now sort before the bare prefix of now + 1 ms (a proper prefix sorts first).
        try (KeyValueIterator<String, String> it = store.range(null, padded(now.toEpochMilli() + 1))) {
            while (it.hasNext() && due.size() < limit) {
                KeyValue<String, String> kv = it.next();
                due.add(parse(kv.key, kv.value));
            }
        }
        return due;
    }

    /** Whether {@code deadline} of the conversation is still pending (indexed and not yet fired). */
    boolean holds(String conversationId, Deadline deadline) {
        return store.get(key(deadline, conversationId)) != null;
    }

    /** Every pending deadline, in time order, one at a time (a full scan: for start-up counts only). */
    void forEach(Consumer<Entry> action) {
        try (KeyValueIterator<String, String> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, String> kv = it.next();
                action.accept(parse(kv.key, kv.value));
            }
        }
    }

    void remove(Entry entry) {
        store.delete(entry.key());
    }

    static String key(Deadline deadline, String conversationId) {
        return padded(deadline.at().toEpochMilli()) + SEPARATOR + conversationId;
    }

    static String value(Deadline deadline) {
        return deadline.kind().name() + SEPARATOR + deadline.windowExpiresAt().toEpochMilli();
    }

    static Entry parse(String key, String value) {
        int keySeparator = key.indexOf(SEPARATOR);
        int valueSeparator = value.indexOf(SEPARATOR);
        Deadline deadline = new Deadline(Kind.valueOf(value.substring(0, valueSeparator)),
                Instant.ofEpochMilli(Long.parseLong(key.substring(0, keySeparator))),
                Instant.ofEpochMilli(Long.parseLong(value.substring(valueSeparator + 1))));
        return new Entry(key, key.substring(keySeparator + 1), deadline);
    }

    private static String padded(long millis) {
        // Window ends are after 1970; clamp so a corrupt negative time cannot break the ordering.
        return String.format("%019d", Math.max(0, millis));
    }
}
