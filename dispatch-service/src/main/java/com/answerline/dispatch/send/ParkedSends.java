package com.answerline.dispatch.send;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The retry scheduler of parked sends (issue 18 item 1): every {@code check-interval}, on a thread of its own, it
 * looks at the first parked send of each conversation on the send-requests partitions this instance owns, and hands
 * each conversation's queue to a sender worker, which advances it one send at a time
 * ({@link SendRequestListener#advanceParked}: retry when due, re-park, fail over or fail at the end of the validity)
 * until its head still waits or the queue is empty.
 *
 * <p>Why its own thread and not the listener's poll loop: the listener is only called when records arrive, a parked
 * send must be retried when nothing arrives, and a retry must never hold up the poll (max.poll.interval) or the
 * other conversations of a batch. Why this is safe beside the listener: one conversation is only ever advanced by one
 * worker at a time (the {@code running} set), and the listener never sends a request of a conversation that has a
 * parked send: it parks it behind (the ledger's queue, {@link ParkedQueues}); a send stays in the queue while its
 * retry is SENDING, so nothing overtakes it.
 *
 * <p>Ownership: only partitions assigned to this instance's sender ({@link #assigned}); on revocation or loss it
 * stops starting work there and waits for the conversations it is advancing there to finish their step
 * ({@link #revoked}) before the partition changes hands. On assignment the partition's ledger is replayed (on the
 * next tick) and its parked sends are due as their schedule says: a restart loses nothing, and a retry that was
 * SENDING when the process died is the usual gap (SEND_STATE_UNKNOWN, never resent).
 */
@Component
public class ParkedSends implements SmartLifecycle {

    /** How long a revocation or a stop waits for the steps in flight (one provider call each). */
    static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(60);

    private static final Logger log = LoggerFactory.getLogger(ParkedSends.class);

    private final SendRequestListener listener;
    private final SendLedger ledger;
    private final Executor workers;
    private final Duration checkInterval;
    private final Set<Integer> owned = ConcurrentHashMap.newKeySet();
    /** Conversation id -> partition, for the conversations a worker is advancing now. */
    private final Map<String, Integer> running = new ConcurrentHashMap<>();
    private volatile ScheduledExecutorService timer;

    ParkedSends(SendRequestListener listener, SendLedger ledger,
                @Qualifier(SendRequestListener.SENDER_WORKERS) Executor workers, ParkingProperties properties,
                ParkedSendMetrics metrics) {
        this.listener = listener;
        this.ledger = ledger;
        this.workers = workers;
        this.checkInterval = properties.checkInterval();
        metrics.gauge(() -> ledger.parkedEntries(Set.copyOf(owned)));
    }

    /** Send-requests partitions this instance's sender now owns. */
    public void assigned(Collection<Integer> partitions) {
        owned.addAll(partitions);
    }

    /**
     * Partitions this instance gave up: no new step starts there; returns once the steps in flight there ended (at
     * most {@link #DRAIN_TIMEOUT}), so that the next owner never retries beside this one.
     */
    public void revoked(Collection<Integer> partitions) {
        owned.removeAll(partitions);
        awaitIdle(partitions);
    }

    /** One look for due parked sends; the timer's task, and the tests'. */
    void tick() {
        List<ParkedQueues.Head> heads;
        try {
            heads = ledger.parkedHeads(Set.copyOf(owned));
        } catch (RuntimeException e) {
            log.warn("parked sends: ledger not readable now, next look in {}: {}", checkInterval, e.toString());
            return;
        }
        for (ParkedQueues.Head head : heads) {
            if (running.putIfAbsent(head.conversationId(), head.partition()) == null) {
                try {
                    workers.execute(() -> advance(head));
                } catch (RejectedExecutionException e) {
                    finished(head.conversationId());
                    return;
                }
            }
        }
    }

    /** Advances one conversation's queue while its head moves on and its partition is still owned. */
    private void advance(ParkedQueues.Head first) {
        try {
            ParkedQueues.Head head = first;
            while (head != null && owned.contains(head.partition()) && listener.advanceParked(head.partition(), head.key())) {
                head = ledger.parkedHead(head.conversationId());
            }
        } catch (Exception e) {
            // Kafka I/O failed: the entry is as before, or DONE still holding its parked data when only the outcome's
            // publish failed (SendLedger.closeParked): either way it is still the head, and the next look retries.
            log.warn("parked sends of a conversation on partition {}: {}, retried at the next look", first.partition(),
                    e.toString());
        } finally {
            finished(first.conversationId());
        }
    }

    private void finished(String conversationId) {
        synchronized (running) {
            running.remove(conversationId);
            running.notifyAll();
        }
    }

    private void awaitIdle(Collection<Integer> partitions) {
        long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
        synchronized (running) {
            while (running.values().stream().anyMatch(partitions::contains)) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    log.warn("parked sends on {} still running after {}", partitions, DRAIN_TIMEOUT);
                    return;
                }
                try {
                    running.wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public void start() {
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "dispatch-parked-sends");
            thread.setDaemon(true);
            return thread;
        });
        long every = checkInterval.toMillis();
        scheduler.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
        timer = scheduler;
    }

    /** Stops looking, then waits for the steps in flight (their results logged and published). */
    @Override
    public void stop() {
        ScheduledExecutorService scheduler = timer;
        timer = null;
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        awaitIdle(Set.copyOf(running.values()));
    }

    @Override
    public boolean isRunning() {
        return timer != null;
    }
}
