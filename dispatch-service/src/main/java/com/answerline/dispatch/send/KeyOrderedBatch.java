package com.answerline.dispatch.send;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Runs one poll's records concurrently across keys and in order within a key: records of one conversation one
 * after another as they were polled (a customer's messages never overtake each other, and a command's ledger
 * entries are only ever touched by one thread at a time), different conversations side by side. Key-ordered
 * concurrency, as Confluent's parallel consumer calls it: the sender waits on HTTP and on acks=all writes, and one
 * record at a time left a partition at a few dozen sends a second, below WhatsApp's 80 per business number.
 *
 * <p>A key's records stop at its first failure (the ones after it would run out of order); the other keys run on.
 * {@link #run} returns the earliest failed record in poll order, for the container's error handler to commit what
 * came before, retry from there and redeliver the rest (each record's handling is idempotent: the send ledger).
 */
final class KeyOrderedBatch<R> {

    /** One failed record: its index in the batch and why. */
    record Failure(int index, Exception cause) {
    }

    /** Handles one record; may block (HTTP, Kafka acks), may throw. */
    @FunctionalInterface
    interface Handler<R> {
        void handle(R record) throws Exception;
    }

    private final Executor workers;
    private final Function<R, Object> keyOf;

    /**
     * @param workers runs one key's records per task; its size bounds the records in flight
     * @param keyOf   the ordering key; records with a null key are each their own group
     */
    KeyOrderedBatch(Executor workers, Function<R, Object> keyOf) {
        this.workers = workers;
        this.keyOf = keyOf;
    }

    /** Runs every record (or up to its key's first failure) and waits for all of them. */
    Optional<Failure> run(List<R> records, Handler<R> handler) {
        Map<Object, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < records.size(); i++) {
            Object key = keyOf.apply(records.get(i));
            groups.computeIfAbsent(key == null ? new Object() : key, k -> new ArrayList<>()).add(i);
        }
        if (groups.size() == 1) {
            // One conversation in the poll: no hand-off to another thread.
            return runGroup(records, groups.values().iterator().next(), handler);
        }
        List<CompletableFuture<Optional<Failure>>> running = new ArrayList<>(groups.size());
        for (List<Integer> group : groups.values()) {
            running.add(CompletableFuture.supplyAsync(() -> runGroup(records, group, handler), workers));
        }
        return running.stream()
                .map(CompletableFuture::join)
                .flatMap(Optional::stream)
                .min(java.util.Comparator.comparingInt(Failure::index));
    }

    private Optional<Failure> runGroup(List<R> records, List<Integer> group, Handler<R> handler) {
        for (int index : group) {
            try {
                handler.handle(records.get(index));
            } catch (Exception e) {
                return Optional.of(new Failure(index, e));
            }
        }
        return Optional.empty();
    }
}
