package com.answerline.bench.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;

import com.answerline.bench.report.Check;
import com.answerline.bench.report.Figure;
import com.answerline.bench.report.Report;
import com.answerline.bench.stack.Endpoints;
import com.answerline.bench.stack.Stack;
import com.answerline.bench.stage.Harness;
import com.answerline.bench.stage.Outcomes;
import com.answerline.bench.traffic.Customers;

/**
 * The long mode of the fault suite ({@code deploy/bench/faults --cycles N}): two instances of every service, ingest's
 * behind the stack's balancer (the webhooks and the agents' replies go to it, as they go to a Kubernetes Service),
 * one steady load for the whole run (100 webhooks/s, 20 replies/s), and N cycles of 20 s, each
 * drawn by {@link CyclePlan}: a random service instance killed -9 and restarted at once in the background (a
 * supervisor: the next kill does not wait for it), in half of them a provider fault of the sandbox for 5 s, in two of
 * them a broker restart (5 s down). Then the suite's checks on everything the run accepted ({@link FaultChecks}):
 * nothing lost, nothing duplicated, every reply final and on its phone once. Each kill's takeover is measured too
 * (kill to every partition served, {@link TakeoverProbe}), as figures without a bound: with a survivor running, that is
 * the survivor's takeover, but the survivor may itself be restarting. Bounded: every step has a timeout; only
 * loopback.
 */
final class FaultCycles {

    /**
     * @param cycleLength   a cycle lasts at least this long (longer when the restart takes longer)
     * @param providerFault how long a cycle's provider fault lasts
     * @param brokerDown    how long the broker stays down in a restart cycle
     * @param before        traffic in each cycle before its faults (the takeover probe's baseline)
     */
    record Plan(CyclePlan cycles, SteadyLoad.Rates rates, int customers, Duration cycleLength, Duration providerFault,
                Duration brokerDown, Duration before, Duration giveUpAfter, Duration settle) {

        static Plan of(int count, long seed) {
            return new Plan(CyclePlan.draw(count, seed), new SteadyLoad.Rates(100, 20), 100, Duration.ofSeconds(20),
                    Duration.ofSeconds(5), Duration.ofSeconds(5), Duration.ofSeconds(2), Duration.ofMinutes(3),
                    Duration.ofMinutes(3));
        }
    }

    /**
     * How long after a kill its partitions are watched until served again and caught up: a restart takes up to a
     * minute under this load, and the next kills (and a broker restart) may come meanwhile.
     */
    private static final Duration WATCH = Duration.ofSeconds(120);

    private static final List<String> SECOND_INSTANCES = List.of("ingest-service-2", "session-service-2",
            "dispatch-service-2");

    private FaultCycles() {
    }

    static Report run(Plan plan, Endpoints endpoints, Stack stack) {
        CyclePlan cycles = plan.cycles();
        Report report = new Report("answerline fault cycles (" + cycles.cycles().size() + " cycles)")
                .context("startedAt", Instant.now().toString())
                .context("seed", cycles.seed())
                .context("load", plan.rates().webhooksPerSecond() + " webhooks/s + " + plan.rates().repliesPerSecond()
                        + " replies/s for the whole run");
        long runId = System.currentTimeMillis() / 1000;
        try (Harness harness = new Harness(endpoints, runId, report, "")) {
            try {
                runCycles(harness, plan, stack, report, runId);
            } catch (RuntimeException e) {
                // Could not be carried out (an instance did not start, the customers' first messages not folded): a
                // failed check with the reason, never a pass.
                harness.progress("cycles: not carried out: " + e);
                report.add(Check.of("faults", cycles.cycles().size() + " cycles carried out", false, e.toString()));
            }
        }
        return report;
    }

    private static void runCycles(Harness harness, Plan plan, Stack stack, Report report, long runId) {
        CyclePlan cycles = plan.cycles();
        if (stack.pid("balancer").isEmpty()) {
            throw new IllegalStateException("the balancer in front of ingest does not run: the long mode needs a stack"
                    + " started with `deploy/local/stack up --balancer` (deploy/bench/faults --cycles starts one)");
        }
        for (String second : SECOND_INSTANCES) {
            harness.progress("cycles: starting " + second);
            stack.start(second);
        }
        Customers customers = new Customers(runId * 16, plan.customers());
        harness.progress("cycles: " + customers.count() + " customers write first; plan (seed " + cycles.seed()
                + "): " + cycles.cycles().stream().map(CyclePlan.Cycle::describe).toList());
        Map<String, Long> inboundBefore = FaultSuite.openConversations(harness, customers, plan.settle());
        Set<String> conversations = inboundBefore.keySet();
        FaultChecks checks = new FaultChecks(harness, plan.settle());
        FaultChecks.Marks marks = checks.marks();
        Set<String> commands = ConcurrentHashMap.newKeySet();
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        List<String> notes = Collections.synchronizedList(new ArrayList<>());
        Duration following = plan.giveUpAfter().plus(plan.settle()).plusMinutes(60);
        try (Outcomes outcomes = new Outcomes(harness, commands, o -> conversations.contains(o.getConversationId()),
                following)) {
            SteadyLoad load = new SteadyLoad(harness, customers, runId + ".cycles", plan.rates(), plan.giveUpAfter());
            load.start();
            try (Supervisor supervisor = new Supervisor(stack, report, failures, notes)) {
                for (CyclePlan.Cycle cycle : cycles.cycles()) {
                    runCycle(harness, stack, plan, cycle, supervisor, failures, notes);
                }
            }
            load.stop();
            harness.progress("cycles: done; draining");
            load.drain(plan.giveUpAfter().plusSeconds(10));
            // Each cycle's faults are checked where they happen (a kill that killed nothing fails its cycle: the
            // stack's kill exits non-zero); the traffic floors hold for the whole run.
            FaultProof faults = new FaultProof(failures.isEmpty(), failures.isEmpty()
                    ? cycles.cycles().size() + " cycles' faults carried out" : failures.size() + " cycles failed");
            Verdict verdict = checks.verdict("cycles", load, marks, outcomes, inboundBefore, faults,
                    FaultChecks.Floors.of(plan.rates(), load.duration()));
            notes.addAll(0, verdict.notes());
            report.add(Check.of("faults", cycles.cycles().size() + " cycles (" + plan.rates().describe(load.duration())
                            + "): nothing lost, nothing duplicated, every reply final", verdict.passed()
                            && failures.isEmpty(), String.join("; ", failures.isEmpty() ? notes : failures)));
            report.add(Figure.of("faults", "cycles lost", verdict.lost(), "items").below(1));
            report.add(Figure.of("faults", "cycles duplicated", verdict.duplicated(), "items").below(1));
        }
        List<String> all = new ArrayList<>(Stack.SERVICES);
        all.addAll(SECOND_INSTANCES);
        boolean whole = all.stream().allMatch(service -> stack.pid(service).isPresent());
        report.add(Check.of("faults", "every service instance runs after the cycles", whole, all.toString()));
        report.note("cycles:\n" + String.join("\n", notes));
    }

    /**
     * One cycle, {@link Plan#cycleLength()} from kill to kill: traffic, then the faults. The kill does not wait for the
     * instance's restart: that is the {@link Supervisor}'s, in the background, as a real supervisor's would be, so a
     * kill comes every 20 s even when a restart takes longer. Only an instance still being restarted from an earlier
     * cycle is waited for (nothing to kill yet). A broker restart is done in the cycle, before its kill.
     */
    private static void runCycle(Harness harness, Stack stack, Plan plan, CyclePlan.Cycle cycle, Supervisor supervisor,
                                 List<String> failures, List<String> notes) {
        supervisor.awaitRunning(cycle.kill(), plan.giveUpAfter());
        long started = System.nanoTime();
        harness.progress("cycles: " + cycle.describe());
        TakeoverProbe probe = null;
        try {
            probe = new TakeoverProbe(harness.kafka(), TakeoverProbe.watches(cycle.kill()));
        } catch (RuntimeException e) {
            notes.add(cycle.describe() + ": takeover not measured (" + e.getMessage() + ")");
        }
        LockSupport.parkNanos(plan.before().toNanos());
        Thread providerFault = cycle.providerFault() == null ? null : providerFault(harness, cycle, plan);
        try {
            if (cycle.brokerRestart()) {
                stack.stop("kafka");
                LockSupport.parkNanos(plan.brokerDown().toNanos());
                stack.start("kafka");
            }
            if (probe != null) {
                probe.beforeKill();
            }
            stack.kill(cycle.kill());
            if (probe != null) {
                probe.afterKill();
            }
            supervisor.restart(cycle, probe);
        } catch (RuntimeException e) {
            notes.add(cycle.describe() + ": " + e.getMessage());
            failures.add(cycle.describe() + ": " + e.getMessage());
            for (String component : List.of("kafka", cycle.kill())) {
                if (stack.pid(component).isEmpty()) {
                    try {
                        stack.start(component);
                    } catch (RuntimeException again) {
                        failures.add(cycle.describe() + ": " + component + " did not come back: " + again.getMessage());
                    }
                }
            }
        }
        if (providerFault != null) {
            try {
                providerFault.join(plan.providerFault().plusSeconds(30).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        long rest = plan.cycleLength().toNanos() - (System.nanoTime() - started);
        if (rest > 0) {
            LockSupport.parkNanos(rest);
        }
    }

    /**
     * Restarts each killed instance at once, in the background, and measures when its partitions were served again
     * (a figure, not bounded: with a kill every 20 s the survivor may itself be restarting, which is what this mode is
     * for; the bounds are the scenarios'). A restart that fails is a failed cycle.
     */
    private static final class Supervisor implements AutoCloseable {

        private final Stack stack;
        private final Report report;
        private final List<String> failures;
        private final List<String> notes;
        private final Map<String, CompletableFuture<Void>> restarting = new ConcurrentHashMap<>();
        private final List<CompletableFuture<Void>> watching = new CopyOnWriteArrayList<>();
        private final ExecutorService executor = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "cycle-supervisor");
            thread.setDaemon(true);
            return thread;
        });

        Supervisor(Stack stack, Report report, List<String> failures, List<String> notes) {
            this.stack = stack;
            this.report = report;
            this.failures = failures;
            this.notes = notes;
        }

        /**
         * Starts the instance again, and watches its groups from the kill on, beside the start: with a second
         * instance the survivor may serve the partitions long before the restart is over.
         */
        void restart(CyclePlan.Cycle cycle, TakeoverProbe probe) {
            String instance = cycle.kill();
            CompletableFuture<Duration> start = CompletableFuture.supplyAsync(() -> {
                long starting = System.nanoTime();
                stack.start(instance);
                return Duration.ofNanos(System.nanoTime() - starting);
            }, executor);
            restarting.put(instance, start.handle((startTime, e) -> {
                if (e != null) {
                    failures.add(cycle.describe() + ": " + instance + " did not come back: " + e.getMessage());
                }
                return null;
            }));
            watching.add(CompletableFuture.runAsync(() -> {
                Takeover takeover = probe == null ? null : probe.await(instance, Optional.empty(), WATCH);
                Duration startTime;
                try {
                    startTime = start.join();
                } catch (CompletionException e) {
                    return;
                }
                String started = cycle.describe() + ": started again in " + Takeover.seconds(startTime) + " s";
                if (takeover == null) {
                    notes.add(started);
                    return;
                }
                notes.add(started + "; " + takeover.time().map(time -> "served again " + Takeover.seconds(time)
                                + " s after the kill" + takeover.catchUp().map(c -> ", caught up after "
                                + Takeover.seconds(c) + " s").orElse(""))
                        .orElse("not served within " + Takeover.seconds(WATCH) + " s of the kill (" + takeover.detail()
                                + ")"));
                takeover.time().ifPresent(time -> report.add(Figure.of("faults", "cycle " + (cycle.index() + 1)
                        + " " + instance + " served again", time.toMillis() / 1000.0, "s")));
            }, executor));
        }

        /** Until the instance's restart from an earlier cycle is over (at most {@code wait}). */
        void awaitRunning(String instance, Duration wait) {
            CompletableFuture<Void> restart = restarting.get(instance);
            if (restart == null) {
                return;
            }
            try {
                restart.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                failures.add(instance + ": its restart did not end within " + wait + ": " + e);
            }
        }

        /** Every restart still under way is waited for. */
        @Override
        public void close() {
            for (String instance : List.copyOf(restarting.keySet())) {
                awaitRunning(instance, Duration.ofMinutes(6));
            }
            try {
                CompletableFuture.allOf(watching.toArray(CompletableFuture[]::new))
                        .get(WATCH.plusSeconds(30).toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                notes.add("the takeover watch did not end: " + e);
            }
            executor.shutdownNow();
        }
    }

    /** The cycle's provider fault, on for its length and then off, beside the kill. */
    private static Thread providerFault(Harness harness, CyclePlan.Cycle cycle, Plan plan) {
        Thread thread = new Thread(() -> {
            try {
                harness.sandbox().faults("{\"whatsapp\":{\"mode\":\"" + cycle.providerFault() + "\"}}");
                LockSupport.parkNanos(plan.providerFault().toNanos());
            } catch (RuntimeException e) {
                harness.progress("cycles: provider fault not set: " + e.getMessage());
            } finally {
                try {
                    harness.sandbox().clearFaults();
                } catch (RuntimeException e) {
                    harness.progress("cycles: provider fault not cleared: " + e.getMessage());
                }
            }
        }, "cycle-provider-fault");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
