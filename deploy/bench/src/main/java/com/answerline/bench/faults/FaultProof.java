package com.answerline.bench.faults;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Whether a scenario's fault really happened, judged from what {@link FaultProbe} saw before, during and after it:
 * a drill that harmed nothing proves nothing, and a suite that passes it passes without a fault.
 *
 * @param verified whether the evidence shows the fault
 * @param evidence what was seen, for the report
 */
record FaultProof(boolean verified, String evidence) {

    /**
     * What the probe saw.
     *
     * @param pidsBefore     each component's pid before the fault (absent: not running)
     * @param pidsAfter      each component's pid after the repair
     * @param stillAlive     components whose pid from before still runs after the repair
     * @param downSamples    per component, samples during the fault in which it was not running or its port refused
     *                       connections
     * @param samples        samples taken during the fault
     * @param providerErrors per provider ({@code whatsapp}, {@code sms}), how many failed provider requests dispatch
     *                       counted during the fault ({@code answerline_dispatch_provider_errors_total}); -1 when
     *                       dispatch could not be read
     */
    record Observation(Map<String, Long> pidsBefore, Map<String, Long> pidsAfter, Set<String> stillAlive,
                       Map<String, Integer> downSamples, int samples, Map<String, Double> providerErrors) {
    }

    /**
     * The rule per scenario: {@code kill-<component>}: the component ran before, runs after with another pid, and its
     * old pid is gone; {@code broker-restart} and {@code registry-down}: the same for {@code kafka} or {@code
     * registry}, and it was seen down (process gone or port refusing) during the fault; {@code whatsapp-*}: dispatch
     * counted failed WhatsApp requests during it. Any other scenario: some component was replaced or some provider
     * request failed (a scenario with a rule of its own belongs here). {@code kill-<service>-of-two}: both
     * instances ran before, one is gone after, not replaced, and the other still runs (it serves the partitions).
     */
    private static final String OF_TWO = "-of-two";

    static FaultProof judge(String scenario, Observation seen) {
        if (scenario.startsWith("kill-") && scenario.endsWith(OF_TWO)) {
            return oneOfTwoGone(scenario.substring("kill-".length(), scenario.length() - OF_TWO.length()), seen);
        }
        if (scenario.startsWith("kill-")) {
            return replaced(scenario.substring("kill-".length()), seen, false);
        }
        if (scenario.equals("broker-restart")) {
            return replaced("kafka", seen, true);
        }
        if (scenario.equals("registry-down")) {
            return replaced("registry", seen, true);
        }
        if (scenario.startsWith("whatsapp-")) {
            return providerFailed("whatsapp", seen);
        }
        Map<String, String> replaced = new TreeMap<>();
        seen.pidsBefore().forEach((component, pid) -> {
            Long after = seen.pidsAfter().get(component);
            if (!pid.equals(after)) {
                replaced.put(component, pid + " -> " + (after == null ? "none" : after));
            }
        });
        double failed = seen.providerErrors().values().stream().mapToDouble(d -> Math.max(0, d)).sum();
        return new FaultProof(!replaced.isEmpty() || failed > 0, "replaced " + replaced + ", provider errors "
                + seen.providerErrors());
    }

    /**
     * A two-instance scenario: both instances ran before; one of them (the one that owned more partitions, see
     * {@link Victim}) is gone, not restarted, and the other kept running with the same pid (it took over).
     */
    private static FaultProof oneOfTwoGone(String service, Observation seen) {
        String second = service + "-2";
        FaultProof firstGone = gone(service, seen);
        FaultProof secondGone = gone(second, seen);
        boolean verified = (firstGone.verified() && stayed(second, seen)) || (secondGone.verified() && stayed(service, seen));
        return new FaultProof(verified, firstGone.evidence() + "; " + secondGone.evidence());
    }

    private static boolean stayed(String instance, Observation seen) {
        Long before = seen.pidsBefore().get(instance);
        return before != null && before.equals(seen.pidsAfter().get(instance));
    }

    /** An instance that ran before, was killed and is not running now. */
    private static FaultProof gone(String instance, Observation seen) {
        Long before = seen.pidsBefore().get(instance);
        boolean alive = seen.stillAlive().contains(instance);
        return new FaultProof(before != null && !alive && seen.pidsAfter().get(instance) == null,
                instance + " pid " + (before == null ? "none" : before) + " -> "
                        + (seen.pidsAfter().get(instance) == null ? "none" : seen.pidsAfter().get(instance))
                        + (alive ? ", old pid still alive" : ""));
    }

    private static FaultProof replaced(String component, Observation seen, boolean mustBeSeenDown) {
        Long before = seen.pidsBefore().get(component);
        Long after = seen.pidsAfter().get(component);
        int down = seen.downSamples().getOrDefault(component, 0);
        String evidence = component + " pid " + (before == null ? "none" : before) + " -> "
                + (after == null ? "none" : after) + (seen.stillAlive().contains(component) ? ", old pid still alive" : "")
                + ", down in " + down + " of " + seen.samples() + " samples during the fault";
        boolean verified = before != null && after != null && !before.equals(after)
                && !seen.stillAlive().contains(component) && (!mustBeSeenDown || down > 0);
        return new FaultProof(verified, evidence);
    }

    private static FaultProof providerFailed(String provider, Observation seen) {
        double failed = seen.providerErrors().getOrDefault(provider, -1.0);
        return new FaultProof(failed > 0, "dispatch counted " + (failed < 0 ? "? (not readable)" : (long) failed)
                + " failed " + provider + " requests during the fault");
    }
}
