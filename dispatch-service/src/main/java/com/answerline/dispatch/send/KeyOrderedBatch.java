package com.answerline.dispatch.send;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.Function;
import java.util.function.IntPredicate;

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
 *
 * <p>A batch that runs long (a backlog after a restart, a slow provider) reports its progress to the calling thread
 * while it runs, every {@code progressEvery}: which records are done so far, for the caller to commit what it may
 * ({@link BatchProgress}). Only the calling thread sees it, as the Kafka consumer it commits with is not thread-safe.
 */
final class KeyOrderedBatch<R> {

    /** One failed record: its index in the batch and why. */
    record Failure(int index, Exception cause) {
    }

    /** Told, on the calling thread, which records of the batch are done so far (handled without failure). */
    @FunctionalInterface
    interface Progress {
        Progress NONE = done -> {
        };

        void report(IntPredicate done);
    }

    /** Handles one record; may block (HTTP, Kafka acks), may throw. */
    @FunctionalInterface
    interface Handler<R> {
        void handle(R record) throws Exception;
    }

    private final Executor workers;
    private final Function<R, Object> keyOf;
    private final Function<R, Object> laneOf;
    private final long progressEveryNanos;

    /**
     * @param workers       runs one key's records per task; its size bounds the records in flight
     * @param keyOf         the ordering key; records with a null key are each their own group
     * @param laneOf        what the records arrive in (a partition): when there are more keys than workers, keys start
     *                      lane by lane in turn (each lane's first key, then each lane's second, ...) rather than in
     *                      poll order, so every lane moves from the batch's start and none waits for the lanes the
     *                      poll brought before it
     * @param progressEvery how often a running batch reports its progress ({@link #run(List, Handler, Progress)})
     */
    KeyOrderedBatch(Executor workers, Function<R, Object> keyOf, Function<R, Object> laneOf, Duration progressEvery) {
        this.workers = workers;
        this.keyOf = keyOf;
        this.laneOf = laneOf;
        this.progressEveryNanos = progressEvery.toNanos();
    }

    /** Runs every record (or up to its key's first failure) and waits for all of them. */
    Optional<Failure> run(List<R> records, Handler<R> handler) {
        return run(records, handler, Progress.NONE);
    }

    /**
     * {@link #run(List, Handler)}, telling {@code progress} every {@code progressEvery} while the batch still runs
     * which records are done (never for a batch of one key, which runs on the calling thread).
     */
    Optional<Failure> run(List<R> records, Handler<R> handler, Progress progress) {
        Map<Object, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < records.size(); i++) {
            Object key = keyOf.apply(records.get(i));
            groups.computeIfAbsent(key == null ? new Object() : key, k -> new ArrayList<>()).add(i);
        }
        AtomicIntegerArray done = new AtomicIntegerArray(records.size());
        Handler<Integer> tracked = index -> {
            handler.handle(records.get(index));
            done.set(index, 1);
        };
        if (groups.size() == 1) {
            // One conversation in the poll: no hand-off to another thread.
            return runGroup(groups.values().iterator().next(), tracked);
        }
        List<CompletableFuture<Optional<Failure>>> running = new ArrayList<>(groups.size());
        for (List<Integer> group : laneByLane(records, groups.values())) {
            running.add(CompletableFuture.supplyAsync(() -> runGroup(group, tracked), workers));
        }
        awaitReporting(CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)),
                () -> progress.report(index -> done.get(index) == 1));
        return running.stream()
                .map(CompletableFuture::join)
                .flatMap(Optional::stream)
                .min(Comparator.comparingInt(Failure::index));
    }

    /**
     * The groups in the order they start: by how many keys of its lane started before the group's first record, poll
     * order among equals (a stable sort).
     */
    private List<List<Integer>> laneByLane(List<R> records, Collection<List<Integer>> groups) {
        Map<Object, Integer> keysSeen = new HashMap<>();
        Map<List<Integer>, Integer> turn = new IdentityHashMap<>();
        for (List<Integer> group : groups) {
            turn.put(group, keysSeen.merge(laneOf.apply(records.get(group.get(0))), 1, Integer::sum));
        }
        List<List<Integer>> ordered = new ArrayList<>(groups);
        ordered.sort(Comparator.comparingInt(turn::get));
        return ordered;
    }

    /** Waits for the whole batch, reporting every progressEvery until it is done. */
    private void awaitReporting(CompletableFuture<Void> all, Runnable report) {
        while (true) {
            try {
                all.get(progressEveryNanos, TimeUnit.NANOSECONDS);
                return;
            } catch (TimeoutException stillRunning) {
                report.run();
            } catch (InterruptedException e) {
                // As join: the batch's records are under way and their results are still needed.
                Thread.currentThread().interrupt();
                all.exceptionally(e2 -> null).join();
                return;
            } catch (ExecutionException e) {
                // runGroup reports a record's failure as a value; left to the join of the caller.
                return;
            }
        }
    }

    private static Optional<Failure> runGroup(List<Integer> group, Handler<Integer> handler) {
        for (int index : group) {
            try {
                handler.handle(index);
            } catch (Exception e) {
                return Optional.of(new Failure(index, e));
            }
        }
        return Optional.empty();
    }
}
