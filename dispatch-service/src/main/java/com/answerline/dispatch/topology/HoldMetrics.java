package com.answerline.dispatch.topology;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The held answers' own metrics (TEMPLATE_THEN_HOLD). No labels beyond the result: never a conversation id.
 *
 * <ul>
 *   <li>{@value #HELD_ANSWERS} (gauge): answers held now in this instance's active tasks. Exact, kept
 *       incrementally: every put of a new held answer adds one, every delete takes one. Each task recounts its share
 *       from its store when its held-answers processor is initialised (after restoration: after a restart, a
 *       rebalance, or a task revived after an aborted transaction) and withdraws it when it closes, so the count is
 *       right whatever happened in between (the same pattern as session-service's window gauges). RocksDB's
 *       {@code approximateNumEntries} was not used: it counts deletes badly, and held answers are mostly deleted.</li>
 *   <li>{@value #CANCELLATIONS} (counter, {@code result=cancelled|not_held}): agents' cancellations, counted when
 *       read: {@code cancelled} when a held answer was found (ended at once, or marked while its invitation is in
 *       flight), {@code not_held} when there was nothing to cancel (unknown, already released or expired, other
 *       tenant). A task that aborts its transaction and reads the cancellation again counts it twice.</li>
 * </ul>
 *
 * Released, expired and cancelled answers are counted from the outcome topic by the outcome metrics, not here.
 */
public final class HoldMetrics {

    public static final String HELD_ANSWERS = "answerline.dispatch.held.answers";
    public static final String CANCELLATIONS = "answerline.dispatch.hold.cancellations";

    private final Map<String, AtomicLong> heldByTask = new ConcurrentHashMap<>();
    private final Counter cancelled;
    private final Counter notHeld;

    public HoldMetrics(MeterRegistry registry) {
        Gauge.builder(HELD_ANSWERS, heldByTask, byTask -> byTask.values().stream().mapToLong(AtomicLong::get).sum())
                .description("Agents' answers held until the customer writes back (TEMPLATE_THEN_HOLD)")
                .register(registry);
        cancelled = cancellations(registry, "cancelled");
        notHeld = cancellations(registry, "not_held");
    }

    private static Counter cancellations(MeterRegistry registry, String result) {
        return Counter.builder(CANCELLATIONS)
                .description("Agents' cancellations of held answers, by whether one was held")
                .tag("result", result)
                .register(registry);
    }

    /** The task's held answers, counted from its store. */
    void recount(String taskId, long held) {
        heldByTask.computeIfAbsent(taskId, id -> new AtomicLong()).set(held);
    }

    void add(String taskId, long delta) {
        heldByTask.computeIfAbsent(taskId, id -> new AtomicLong()).addAndGet(delta);
    }

    /** The task is closing (revoked, shutting down, or about to be revived): its held answers are no longer ours. */
    void taskClosed(String taskId) {
        heldByTask.remove(taskId);
    }

    void cancellation(boolean held) {
        (held ? cancelled : notHeld).increment();
    }
}
