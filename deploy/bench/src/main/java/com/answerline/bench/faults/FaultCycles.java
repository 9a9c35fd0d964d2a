package com.answerline.bench.faults;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 * The long mode of the fault suite ({@code deploy/bench/faults --cycles N}): two instances of session-service and
 * dispatch-service, one steady load for the whole run (100 webhooks/s, 20 replies/s), and N cycles of at least 20 s,
 * each drawn by {@link CyclePlan}: a random service instance killed -9 and restarted at once (a supervisor), in half of
 * them a provider fault of the sandbox for 5 s, in two of them a broker restart (5 s down). Then the suite's checks on
 * everything the run accepted ({@link FaultChecks}): nothing lost, nothing duplicated, every reply final and on its
 * phone once. Each kill's takeover is measured too (kill to every partition served, {@link TakeoverProbe}), as
 * figures: with a survivor running, that is the survivor's takeover. Bounded: every step has a timeout; only loopback.
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

    private static final List<String> SECOND_INSTANCES = List.of("session-service-2", "dispatch-service-2");

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
        List<String> failures = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Duration following = plan.giveUpAfter().plus(plan.settle()).plusMinutes(60);
        try (Outcomes outcomes = new Outcomes(harness, commands, o -> conversations.contains(o.getConversationId()),
                following)) {
            SteadyLoad load = new SteadyLoad(harness, customers, runId + ".cycles", plan.rates(), plan.giveUpAfter());
            load.start();
            for (CyclePlan.Cycle cycle : cycles.cycles()) {
                runCycle(harness, stack, plan, cycle, report, failures, notes);
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

    /** One cycle: traffic, then the faults; returns when every killed or stopped component runs again. */
    private static void runCycle(Harness harness, Stack stack, Plan plan, CyclePlan.Cycle cycle, Report report,
                                 List<String> failures, List<String> notes) {
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
                Takeover takeover = FaultSuite.crash(stack, probe, new Scenario.Kill(cycle.kill(), null));
                notes.add(cycle.describe() + ": served again after " + takeover.describe());
                takeover.time().ifPresent(time -> report.add(Figure.of("faults", "cycle " + (cycle.index() + 1)
                        + " " + cycle.kill() + " takeover", time.toMillis() / 1000.0, "s")
                        .below(takeover.bound().toMillis() / 1000.0 + 0.001)));
            } else {
                stack.kill(cycle.kill());
                stack.start(cycle.kill());
            }
        } catch (RuntimeException e) {
            notes.add(cycle.describe() + ": " + e.getMessage());
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
