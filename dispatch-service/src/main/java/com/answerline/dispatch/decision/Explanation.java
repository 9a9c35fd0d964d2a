package com.answerline.dispatch.decision;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.answerline.avro.FallbackPolicy;
import com.answerline.avro.WindowState;

/**
 * Why a decision was taken, readable by the agent and the SRE.
 *
 * @param timeLeft      window time left at decision (negative once expired); null when no window was ever open
 * @param policy        the fallback policy in force, AUTO already resolved to the tenant's
 * @param fallbackChain the steps taken, in order (e.g. "AUTO->SMS", "SMS")
 * @param alternatives  what would work instead, when the reply was rejected
 */
public record Explanation(WindowState windowState, Instant windowExpiresAt, Duration timeLeft, FallbackPolicy policy,
                          Long sessionVersion, List<String> fallbackChain, List<String> alternatives) {

    public Explanation {
        fallbackChain = List.copyOf(fallbackChain);
        alternatives = List.copyOf(alternatives);
    }

    /** The same explanation with more steps appended to the chain. */
    public Explanation withSteps(String... steps) {
        List<String> chain = new java.util.ArrayList<>(fallbackChain);
        chain.addAll(List.of(steps));
        return new Explanation(windowState, windowExpiresAt, timeLeft, policy, sessionVersion, chain, alternatives);
    }

    public Explanation withAlternatives(List<String> alternatives) {
        return new Explanation(windowState, windowExpiresAt, timeLeft, policy, sessionVersion, fallbackChain, alternatives);
    }
}
