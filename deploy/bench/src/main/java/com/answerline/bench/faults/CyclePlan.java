package com.answerline.bench.faults;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * What each cycle of the long mode ({@code deploy/bench/faults --cycles N}) does, drawn from a seed so that a run can
 * be repeated: every cycle kills -9 one service instance drawn at random; half of them, at random, also have a
 * provider fault of the sandbox for a few seconds (one of {@link #PROVIDER_FAULTS}); the broker is restarted in two
 * cycles, a third and two thirds into the run (once when there is one cycle).
 *
 * @param seed   the seed the plan was drawn from
 * @param cycles in order
 */
record CyclePlan(long seed, List<Cycle> cycles) {

    /** The sandbox's WhatsApp fault modes mixed in (the suite's provider scenarios). */
    static final List<String> PROVIDER_FAULTS = List.of("HTTP_500", "HTTP_429", "TIMEOUT", "LATE_ANSWER");

    /**
     * Every service instance of a two-instance stack (the sandbox is the providers, not ours to kill; the balancer in
     * front of ingest is the platform's, as a Kubernetes Service is).
     */
    static final List<String> INSTANCES = List.of("ingest-service", "ingest-service-2", "session-service",
            "session-service-2", "dispatch-service", "dispatch-service-2");

    /**
     * @param index         from 0
     * @param kill          the instance killed -9 (then restarted, as a supervisor would)
     * @param providerFault the sandbox's WhatsApp fault mode during the cycle, or null
     * @param brokerRestart whether the broker is restarted in this cycle too
     */
    record Cycle(int index, String kill, String providerFault, boolean brokerRestart) {

        String describe() {
            return "cycle " + (index + 1) + ": kill -9 " + kill
                    + (providerFault == null ? "" : ", WhatsApp " + providerFault)
                    + (brokerRestart ? ", broker restart" : "");
        }
    }

    CyclePlan {
        cycles = List.copyOf(cycles);
    }

    static CyclePlan draw(int count, long seed) {
        if (count < 1) {
            throw new IllegalArgumentException("--cycles must be at least 1: " + count);
        }
        Random random = new Random(seed);
        int firstRestart = count / 3;
        int secondRestart = Math.max(firstRestart, 2 * count / 3);
        List<Cycle> cycles = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String kill = INSTANCES.get(random.nextInt(INSTANCES.size()));
            String provider = random.nextBoolean() ? PROVIDER_FAULTS.get(random.nextInt(PROVIDER_FAULTS.size())) : null;
            cycles.add(new Cycle(i, kill, provider, i == firstRestart || i == secondRestart));
        }
        return new CyclePlan(seed, cycles);
    }

    long brokerRestarts() {
        return cycles.stream().filter(Cycle::brokerRestart).count();
    }
}
