package com.answerline.session.topology;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import com.answerline.session.window.Session;

/**
 * The fold's domain metrics. Labels are the tenant and the event type, never a conversation id or a phone number.
 *
 * <ul>
 *   <li>{@value #OPEN_WINDOWS} / {@value #EXPIRING_WINDOWS} (gauges, by tenant): windows announced OPENED and not
 *       yet CLOSED / of those, the ones announced EXPIRING (ending within the lead). Exact for this instance's
 *       active tasks, at the timers' precision (a window counts as open until its CLOSED tick). Kept
 *       incrementally: every change to a session compares its state before and after (a point read in the
 *       deadline index each), so a scrape reads two numbers and never the store. The counts live in memory:
 *       each task recounts its share from its deadline index when it is initialised (after restoration, so after
 *       a restart, a rebalance or a task revived after an aborted transaction) and withdraws it when it closes.
 *       The recount costs one pass over the task's pending deadlines (two per open window) once per assignment;
 *       recomputing from the changelogged store is what makes the count right whatever happened in between,
 *       where a count restored from anywhere else could drift.</li>
 *   <li>{@value #CLOSED_UNANSWERED} (counter, by tenant): windows that closed with the customer unanswered (the
 *       CLOSED tick, or a reply that failed after the end, e.g. a late 131047).</li>
 *   <li>{@value #FIRST_RESPONSE} (timer with histogram buckets, by tenant): customer's first unanswered message to
 *       the SENT outcome that answered it.</li>
 *   <li>{@value #FOLD_LAG} (timer with histogram buckets, by event type): processing wall time minus the event's
 *       own time (the customer's send time for messages), recorded for every event folded once.</li>
 *   <li>{@value #TIMER_TICK} (timer): duration of one deadline punctuation.</li>
 *   <li>{@value #STORED_SESSIONS} (gauge): sessions in this instance's stores, RocksDB's estimate
 *       ({@code approximateNumEntries}, approximate by nature), refreshed by each task's tick.</li>
 * </ul>
 *
 * Counters and timers are rates: a task that aborts its transaction and redoes the work records it twice.
 */
public final class SessionMetrics {

    public static final String OPEN_WINDOWS = "answerline.session.windows.open";
    public static final String EXPIRING_WINDOWS = "answerline.session.windows.expiring";
    /** Of the expiring windows, those whose customer is still waiting for an answer ({@code unansweredSince} set). */
    public static final String EXPIRING_UNANSWERED_WINDOWS = "answerline.session.windows.expiring.unanswered";
    public static final String CLOSED_UNANSWERED = "answerline.session.windows.closed.unanswered";
    public static final String FIRST_RESPONSE = "answerline.session.first.response";
    public static final String FOLD_LAG = "answerline.session.fold.lag";
    public static final String TIMER_TICK = "answerline.session.timers.tick";
    public static final String STORED_SESSIONS = "answerline.session.store.sessions";

    private static final String UNKNOWN_TENANT = "unknown";

    private final MeterRegistry registry;
    private final Map<String, AtomicLong> open = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> expiring = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> expiringUnanswered = new ConcurrentHashMap<>();
    private final Map<String, Long> storedSessionsByTask = new ConcurrentHashMap<>();
    private final Timer tick;

    public SessionMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.tick = Timer.builder(TIMER_TICK)
                .description("Duration of one window deadline punctuation")
                .register(registry);
        Gauge.builder(STORED_SESSIONS, storedSessionsByTask,
                        byTask -> byTask.values().stream().mapToLong(Long::longValue).sum())
                .description("Sessions in this instance's stores (RocksDB estimate)")
                .register(registry);
    }

    /**
     * Whether a session's window is announced open, and announced expiring, as the deadline index says; and whether
     * the customer is waiting for an answer.
     */
    record WindowState(String tenant, boolean open, boolean expiring, boolean unanswered) {
        static final WindowState NONE = new WindowState(null, false, false, false);
    }

    /** One task's share of the window gauges, withdrawn when the task closes. */
    final class TaskCounts {
        private final Map<String, long[]> byTenant = new HashMap<>();

        /** Moves the gauges from a session's state before a change to its state after. */
        void change(WindowState before, WindowState after) {
            add(before, -1);
            add(after, 1);
        }

        void add(WindowState state, int sign) {
            if (!state.open()) {
                return;
            }
            String tenant = tenant(state.tenant());
            long[] share = byTenant.computeIfAbsent(tenant, t -> new long[3]);
            share[0] += sign;
            AtomicLong openOfTenant = gauge(open, OPEN_WINDOWS, "Windows announced OPENED and not yet CLOSED", tenant);
            // Registered with the open gauge: a tenant's "expiring" reads 0 rather than missing.
            AtomicLong expiringOfTenant = gauge(expiring, EXPIRING_WINDOWS,
                    "Open windows announced EXPIRING (ending within the lead)", tenant);
            AtomicLong expiringUnansweredOfTenant = gauge(expiringUnanswered, EXPIRING_UNANSWERED_WINDOWS,
                    "Expiring windows whose customer is still waiting for an answer", tenant);
            openOfTenant.addAndGet(sign);
            if (state.expiring()) {
                share[1] += sign;
                expiringOfTenant.addAndGet(sign);
                if (state.unanswered()) {
                    share[2] += sign;
                    expiringUnansweredOfTenant.addAndGet(sign);
                }
            }
        }

        /** The task is closing (revoked, shutting down, or about to be revived): its windows are no longer ours. */
        void release() {
            byTenant.forEach((tenant, share) -> {
                open.get(tenant).addAndGet(-share[0]);
                expiring.get(tenant).addAndGet(-share[1]);
                expiringUnanswered.get(tenant).addAndGet(-share[2]);
            });
            byTenant.clear();
        }
    }

    TaskCounts taskCounts() {
        return new TaskCounts();
    }

    void closedUnanswered(Session session) {
        registry.counter(CLOSED_UNANSWERED, "tenant", tenant(session.tenantId())).increment();
    }

    void firstResponse(Session session) {
        Timer.builder(FIRST_RESPONSE)
                .description("Customer's first unanswered message to the reply that answered it")
                .tag("tenant", tenant(session.tenantId()))
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofSeconds(1))
                .maximumExpectedValue(Duration.ofDays(2))
                .register(registry)
                .record(Duration.ofMillis(session.firstResponseMillis()));
    }

    void foldLag(String eventType, Duration lag) {
        Timer.builder(FOLD_LAG)
                .description("Processing time minus the event's own time")
                .tag("event", eventType)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofHours(1))
                .register(registry)
                .record(lag.isNegative() ? Duration.ZERO : lag);
    }

    Timer tick() {
        return tick;
    }

    void storedSessions(String taskId, long approximateEntries) {
        storedSessionsByTask.put(taskId, approximateEntries);
    }

    void taskClosed(String taskId) {
        storedSessionsByTask.remove(taskId);
    }

    private AtomicLong gauge(Map<String, AtomicLong> byTenant, String name, String description, String tenant) {
        return byTenant.computeIfAbsent(tenant, t -> {
            AtomicLong value = new AtomicLong();
            Gauge.builder(name, value, AtomicLong::get).description(description).tag("tenant", t).register(registry);
            return value;
        });
    }

    private static String tenant(String tenantId) {
        return tenantId != null ? tenantId : UNKNOWN_TENANT;
    }
}
