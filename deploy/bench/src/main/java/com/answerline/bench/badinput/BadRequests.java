package com.answerline.bench.badinput;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.LongFunction;

/**
 * The bad requests of a run, in rounds, so that a large run never holds them all: without a quota, one round of the
 * generator, as it comes (about 110 per endpoint with the full plan's sizes); with a quota of N
 * ({@code --per-endpoint N}), rounds of newly seeded generated cases until every endpoint has N, each endpoint capped
 * at N. Each round comes shuffled (with the run's seed): endpoints and kinds mixed, reproducible.
 */
final class BadRequests {

    private final LongFunction<List<HttpCases.Case>> generator;
    private final long seed;
    private final int quota;
    private final Map<String, Integer> counts = new TreeMap<>();
    private int rounds;
    private boolean exhausted;

    /**
     * @param generator the cases of one round from its seed (a new seed: new generated values)
     * @param quota     bad requests per endpoint; 0: one round as generated, uncapped
     */
    BadRequests(LongFunction<List<HttpCases.Case>> generator, long seed, int quota) {
        if (quota < 0) {
            throw new IllegalArgumentException("--per-endpoint must not be negative: " + quota);
        }
        this.generator = generator;
        this.seed = seed;
        this.quota = quota;
    }

    /** Whether another round has cases to send. */
    boolean hasNext() {
        return !exhausted && (quota == 0 ? rounds == 0 : !filled());
    }

    /** The next round's cases (empty once there are none), counted per endpoint. */
    List<HttpCases.Case> next() {
        if (!hasNext()) {
            return List.of();
        }
        List<HttpCases.Case> generated = generator.apply(seed + rounds);
        rounds++;
        List<HttpCases.Case> kept = new ArrayList<>();
        for (HttpCases.Case request : generated) {
            int count = counts.getOrDefault(request.endpoint(), 0);
            if (quota == 0 || count < quota) {
                counts.put(request.endpoint(), count + 1);
                kept.add(request);
            }
        }
        if (kept.isEmpty()) {
            exhausted = true;
        }
        Collections.shuffle(kept, new Random(seed + rounds));
        return kept;
    }

    /** Every endpoint seen has its quota. */
    private boolean filled() {
        return rounds > 0 && counts.values().stream().allMatch(c -> c >= quota);
    }

    /** Bad requests per endpoint so far. */
    Map<String, Integer> counts() {
        return Map.copyOf(counts);
    }

    int quota() {
        return quota;
    }

    int rounds() {
        return rounds;
    }

    /** Endpoints below the quota (none without a quota). */
    Map<String, Integer> shortOfQuota() {
        Map<String, Integer> below = new TreeMap<>();
        if (quota > 0) {
            counts.forEach((endpoint, count) -> {
                if (count < quota) {
                    below.put(endpoint, count);
                }
            });
        }
        return below;
    }
}
