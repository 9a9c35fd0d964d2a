package com.answerline.bench.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;

import com.answerline.bench.report.Check;
import com.answerline.bench.report.CommandLine;
import com.answerline.bench.report.Figure;
import com.answerline.bench.report.Report;
import com.answerline.bench.stack.Endpoints;
import com.answerline.bench.stack.Stack;
import com.answerline.bench.stage.Conversations;
import com.answerline.bench.stage.Harness;
import com.answerline.bench.stage.Outcomes;
import com.answerline.bench.traffic.Customers;

/**
 * The fault suite ({@code deploy/bench/faults}): for each scenario, steady traffic (customers' webhooks redelivered
 * until accepted, agents' replies retried with their Idempotency-Key), the fault in the middle of it, the stack
 * repaired, the traffic drained, then the checks from the data ({@link FaultChecks}). Every service runs on the
 * local stack on 127.0.0.1; every scenario is bounded in time. Prints one row per scenario (scenario, load, what was
 * checked, lost, duplicated, takeover) as docs/reliability.md has it, the usual table and the {@code BENCH_RESULT}
 * line; exits 1 when a scenario lost or duplicated anything, or a crash's takeover exceeded its bound ({@link Takeover}).
 * With {@code --cycles N} it runs the long mode instead ({@link FaultCycles}).
 *
 * <p>Arguments: {@code [--smoke] [--scenarios name,name] [--cycles N [--seed S]] [--data-dir DIR] [--root DIR]
 * [--out FILE]}.
 */
public final class FaultSuite {

    /**
     * The sizes of a run.
     *
     * @param customers   conversations per scenario (each wrote once before, so its window is open)
     * @param before      traffic before the fault
     * @param after       traffic after the repair
     * @param giveUpAfter a message or reply not accepted by then is given up (and fails the scenario)
     * @param settle      how long the checks wait for folds and outcomes to catch up
     */
    public record Plan(String mode, SteadyLoad.Rates rates, int customers, Duration before, Duration after,
                       Duration outage, Duration giveUpAfter, Duration settle, List<String> scenarios) {

        public static Plan full() {
            Duration outage = Duration.ofSeconds(15);
            return new Plan("full", new SteadyLoad.Rates(100, 20), 100, Duration.ofSeconds(5), Duration.ofSeconds(10),
                    outage, Duration.ofMinutes(3), Duration.ofMinutes(3),
                    Scenario.all(outage).stream().map(Scenario::name).toList());
        }

        /** The test suite's: a crash and a provider fault, light traffic, about a minute. */
        public static Plan smoke() {
            return new Plan("smoke", new SteadyLoad.Rates(20, 5), 10, Duration.ofSeconds(2), Duration.ofSeconds(2),
                    Duration.ofSeconds(4), Duration.ofMinutes(2), Duration.ofMinutes(2),
                    List.of("kill-dispatch-service", "whatsapp-http-500"));
        }

        /**
         * Whether a takeover over its bound fails its scenario: in the full suite, not in the smoke mode, which checks
         * correctness only (its time figures, on a machine busy with the rest of the test suite, are reported).
         */
        boolean enforcesTakeover() {
            return !"smoke".equals(mode);
        }

        Plan only(List<String> names) {
            return new Plan(mode, rates, customers, before, after, outage, giveUpAfter, settle, names);
        }
    }

    /**
     * The suite's stack: an in-doubt send (the timeout fault's sends in flight: no status will ever name them) ends
     * FAILED SEND_STATE_UNKNOWN after 60 s instead of the production 5 minutes, well within the checks' settle time.
     */
    public static final Map<String, String> STACK_ENVIRONMENT = Map.of("ANSWERLINE_DISPATCH_RECONCILE_DEADLINE", "60s");

    private FaultSuite() {
    }

    public static void main(String[] args) throws Exception {
        CommandLine command = CommandLine.parse(args);
        if (command.has("cycles")) {
            FaultCycles.Plan cycles = FaultCycles.Plan.of(Integer.parseInt(command.get("cycles", "")),
                    Long.parseLong(command.get("seed", Long.toString(System.currentTimeMillis() / 1000))));
            command.finish(FaultCycles.run(cycles, Endpoints.fromEnvironment().behindBalancer(System.getenv()),
                    new Stack(command.root(), command.dataDir(), STACK_ENVIRONMENT)));
            return;
        }
        Plan plan = command.smoke() ? Plan.smoke() : Plan.full();
        if (command.has("scenarios")) {
            plan = plan.only(List.of(command.get("scenarios", "").split(",")));
        }
        command.finish(run(plan, Endpoints.fromEnvironment(), new Stack(command.root(), command.dataDir(),
                STACK_ENVIRONMENT)));
    }

    /** Runs the plan's scenarios in order against the stack (the smoke IT calls this). */
    public static Report run(Plan plan, Endpoints endpoints, Stack stack) {
        Map<String, Scenario> known = new LinkedHashMap<>();
        Scenario.all(plan.outage()).forEach(s -> known.put(s.name(), s));
        List<Scenario> scenarios = new ArrayList<>();
        for (String name : plan.scenarios()) {
            Scenario scenario = known.get(name);
            if (scenario == null) {
                throw new IllegalArgumentException("unknown scenario " + name + "; known: " + known.keySet());
            }
            scenarios.add(scenario);
        }
        Report report = new Report("answerline fault suite (" + plan.mode() + ")")
                .context("startedAt", java.time.Instant.now().toString())
                .context("load", plan.rates().describe(plan.before().plus(plan.after())) + " around each fault");
        long runId = System.currentTimeMillis() / 1000;
        List<Verdict> verdicts = new ArrayList<>();
        Map<String, Takeover> takeovers = new HashMap<>();
        try (Harness harness = new Harness(endpoints, runId, report, "")) {
            FaultChecks checks = new FaultChecks(harness, plan.settle());
            int index = 0;
            for (Scenario scenario : scenarios) {
                Verdict verdict;
                try {
                    verdict = run(harness, stack, checks, plan, scenario,
                            new Customers(runId * 16 + index++, plan.customers()), takeovers);
                } catch (RuntimeException e) {
                    // The scenario could not be carried out (a service did not come back, a wait ran out): its row
                    // says so and fails, and the next scenario still runs on whatever the stack is now.
                    harness.progress("faults: " + scenario.name() + " failed: " + e);
                    verdict = new Verdict(scenario.name(), "-", "not carried out", -1, -1, List.of(e.toString()), false);
                    restoreStack(stack, harness);
                    if (scenario.kill() != null && scenario.kill().needsSecondInstance()) {
                        // The next scenarios run on one instance of each service, as they were written for.
                        stopQuietly(stack, harness, scenario.kill().instance());
                    }
                }
                verdicts.add(verdict);
                report.add(Check.of("faults", scenario.name() + ": fault verified, traffic above its floor, nothing lost,"
                        + " nothing duplicated", verdict.passed(),
                        String.join("; ", verdict.notes())));
                if (verdict.lost() >= 0) {
                    report.add(Figure.of("faults", scenario.name() + " lost", verdict.lost(), "items").below(1));
                    report.add(Figure.of("faults", scenario.name() + " duplicated", verdict.duplicated(), "items").below(1));
                }
                Takeover takeover = takeovers.get(scenario.name());
                if (takeover != null) {
                    addFigures(report, scenario.name(), takeover);
                }
            }
            boolean whole = Stack.SERVICES.stream().allMatch(service -> stack.pid(service).isPresent());
            report.add(Check.of("faults", "every service runs after the suite", whole, stack.memory().keySet().toString()));
        }
        report.note("reliability table:\n" + table(verdicts, takeovers));
        return report;
    }

    /** The takeover and the start time as figures of the JSON line (the check is the scenario's own). */
    static void addFigures(Report report, String name, Takeover takeover) {
        takeover.time().ifPresent(time -> report.add(Figure.of("faults", name + " takeover",
                time.toMillis() / 1000.0, "s").below(takeover.bound().toMillis() / 1000.0 + 0.001)));
        takeover.startTime().ifPresent(start -> report.add(Figure.of("faults", name + " start time",
                start.toMillis() / 1000.0, "s")));
    }

    /** How long the probe waits, from the kill, for a survivor; for a restart: after the start took its time. */
    private static final Duration SURVIVOR_WAIT = Duration.ofSeconds(60);
    private static final Duration WAIT_AFTER_START = Duration.ofSeconds(30);
    /** How long the kill waits for the service to serve every partition with traffic (a fresh stack's first minute). */
    private static final Duration SERVING_WAIT = Duration.ofSeconds(90);
    /** How long a second instance may take to get its share of the work (its probing rebalance is a minute away). */
    private static final Duration SHARING_WAIT = Duration.ofSeconds(150);

    /**
     * kill -9 of the instance and, without a survivor, its restart (as a supervisor would), measured by the probe:
     * kill to every partition served again.
     */
    static Takeover crash(Stack stack, TakeoverProbe probe, Scenario.Kill kill) {
        probe.awaitServing(SERVING_WAIT);
        probe.beforeKill();
        stack.kill(kill.instance());
        long killed = System.nanoTime();
        probe.afterKill();
        java.util.Optional<Duration> startTime = java.util.Optional.empty();
        if (kill.survivor() == null) {
            long starting = System.nanoTime();
            stack.start(kill.instance());
            startTime = java.util.Optional.of(Duration.ofNanos(System.nanoTime() - starting));
        }
        Duration wait = startTime.map(start -> Duration.ofNanos(System.nanoTime() - killed).plus(WAIT_AFTER_START))
                .orElse(SURVIVOR_WAIT);
        return probe.await(kill.instance(), startTime, wait);
    }

    private static Verdict run(Harness harness, Stack stack, FaultChecks checks, Plan plan, Scenario scenario,
                               Customers customers, Map<String, Takeover> takeovers) {
        if (scenario.kill() != null && scenario.kill().needsSecondInstance()) {
            harness.progress("faults: " + scenario.name() + ": starting " + scenario.kill().instance());
            stack.start(scenario.kill().instance());
            Victim.awaitShared(harness, scenario.kill(), SHARING_WAIT);
        }
        harness.progress("faults: " + scenario.name() + ": " + customers.count() + " customers write first");
        Map<String, Long> inboundBefore = openConversations(harness, customers, plan.settle());
        Set<String> conversations = inboundBefore.keySet();
        FaultChecks.Marks marks = checks.marks();
        Set<String> commands = ConcurrentHashMap.newKeySet();
        Duration following = plan.giveUpAfter().plus(plan.settle()).plusMinutes(5);
        try (Outcomes outcomes = new Outcomes(harness, commands, o -> conversations.contains(o.getConversationId()),
                following)) {
            SteadyLoad load = new SteadyLoad(harness, customers, runTag(harness, scenario), plan.rates(), plan.giveUpAfter());
            TakeoverProbe probe = scenario.kill() == null ? null
                    : new TakeoverProbe(harness.kafka(), TakeoverProbe.watches(scenario.kill().instance()));
            load.start();
            LockSupport.parkNanos(plan.before().toNanos());
            harness.progress("faults: " + scenario.name() + ": " + scenario.description());
            long faultStart = System.nanoTime();
            FaultProof fault;
            Takeover takeover = null;
            Scenario.Kill kill = null;
            try (FaultProbe watch = FaultProbe.start(stack, harness)) {
                if (probe == null) {
                    scenario.fault().inject(stack, harness);
                } else {
                    kill = scenario.kill().needsSecondInstance() ? Victim.choose(harness, scenario.kill()) : scenario.kill();
                    takeover = crash(stack, probe, kill);
                    takeovers.put(scenario.name(), takeover);
                    harness.progress("faults: " + scenario.name() + ": takeover " + takeover.describe());
                }
                fault = watch.proof(scenario.name());
            }
            long faultSeconds = Math.round((System.nanoTime() - faultStart) / 1e9);
            LockSupport.parkNanos(plan.after().toNanos());
            load.stop();
            harness.progress("faults: " + scenario.name() + ": repaired after " + faultSeconds + " s; draining");
            load.drain(plan.giveUpAfter().plusSeconds(10));
            Verdict verdict = checks.verdict(scenario.name(), load, marks, outcomes, inboundBefore, fault,
                    FaultChecks.Floors.of(plan.rates(), plan.before().plus(plan.after())));
            if (kill != null && kill.survivor() != null && !kill.instance().equals(scenario.kill().instance())) {
                // The first instance was the one killed: back to the first alone, as the next scenarios expect.
                stack.start(kill.instance());
                stopQuietly(stack, harness, kill.survivor());
            }
            String loadText = plan.rates().describe(load.duration()) + ", fault " + faultSeconds + " s";
            List<String> notes = new ArrayList<>(verdict.notes());
            if (takeover != null) {
                notes.add("kill -9 " + takeover.instance() + ", takeover " + takeover.describe() + ": " + takeover.detail()
                        + (plan.enforcesTakeover() ? "" : " (bound reported, not enforced in smoke mode)"));
            }
            return new Verdict(verdict.scenario(), loadText, verdict.checked(), verdict.lost(), verdict.duplicated(),
                    notes, verdict.passed() && (takeover == null || takeover.passed() || !plan.enforcesTakeover()));
        }
    }

    /** Every customer writes once (their windows open); returns each conversation with its folded inbound count then. */
    static Map<String, Long> openConversations(Harness harness, Customers customers, Duration settle) {
        // The count each conversation had once its first message was folded: 1, or more when an earlier run on the same
        // stack used the same numbers (the customers' number blocks repeat every 400 run ids), so that its messages
        // are never taken for this run's double folds.
        Map<String, Long> folded = Conversations.open(harness, customers, settle);
        Map<String, Long> inboundBefore = new HashMap<>();
        for (int i = 0; i < customers.count(); i++) {
            String conversation = customers.conversation(Conversations.DEMO_NUMBER, i);
            inboundBefore.put(conversation, folded.getOrDefault(conversation, 1L));
        }
        return Map.copyOf(inboundBefore);
    }

    /** After a failed scenario: the sandbox without faults, every component started again. */
    private static void restoreStack(Stack stack, Harness harness) {
        try {
            harness.sandbox().clearFaults();
        } catch (RuntimeException e) {
            harness.progress("faults: could not clear the sandbox's faults: " + e);
        }
        for (String component : List.of("kafka", "registry", "ingest-service", "session-service", "dispatch-service",
                "provider-sandbox")) {
            try {
                stack.start(component);
            } catch (RuntimeException e) {
                harness.progress("faults: could not start " + component + ": " + e);
            }
        }
    }

    private static void stopQuietly(Stack stack, Harness harness, String component) {
        try {
            stack.stop(component);
        } catch (RuntimeException e) {
            harness.progress("faults: could not stop " + component + ": " + e);
        }
    }

    private static String runTag(Harness harness, Scenario scenario) {
        return harness.runId() + "." + scenario.name();
    }

    /** The rows of docs/reliability.md, in Markdown (takeover: of the crashes, "-" for other faults). */
    static String table(List<Verdict> verdicts, Map<String, Takeover> takeovers) {
        StringBuilder table = new StringBuilder("| scenario | load | checked | lost | duplicated | takeover | notes |\n")
                .append("|---|---|---|---|---|---|---|\n");
        for (Verdict v : verdicts) {
            Takeover takeover = takeovers.get(v.scenario());
            table.append("| ").append(v.scenario()).append(" | ").append(v.load()).append(" | ").append(v.checked())
                    .append(" | ").append(v.lost()).append(" | ").append(v.duplicated()).append(" | ")
                    .append(takeover == null ? "-" : takeover.describe()).append(" | ")
                    .append(String.join("; ", v.notes()).replace("|", "/")).append(" |\n");
        }
        return table.toString();
    }
}
