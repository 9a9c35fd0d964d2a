package com.answerline.dispatch.decision;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.answerline.avro.FallbackPolicy;
import com.answerline.avro.WindowState;

/**
 * Why a decision was taken, readable by the agent and the SRE.
 *
 * @param timeLeft            window time left at decision (negative once expired); null when no window was ever open
 * @param policy              the fallback policy in force, AUTO already resolved to the tenant's (CHEAPEST to the
 *                            fallback it chose; AUTO only on a rejection decided before the recipient was known)
 * @param fallbackChain       the steps taken, in order (e.g. "AUTO->SMS", "SMS")
 * @param alternatives        what would work instead, when the reply was rejected
 * @param freeEntryPointUntil the end of the 72-hour free entry point the conversation was in at decision time, null
 *                            when none ({@link FreeEntryPoint}); a price attribute only
 */
public record Explanation(WindowState windowState, Instant windowExpiresAt, Duration timeLeft, FallbackPolicy policy,
                          Long sessionVersion, List<String> fallbackChain, List<String> alternatives,
                          Instant freeEntryPointUntil) {

    public Explanation {
        fallbackChain = List.copyOf(fallbackChain);
        alternatives = List.copyOf(alternatives);
    }

    /** Outside any free entry point. */
    public Explanation(WindowState windowState, Instant windowExpiresAt, Duration timeLeft, FallbackPolicy policy,
                       Long sessionVersion, List<String> fallbackChain, List<String> alternatives) {
        this(windowState, windowExpiresAt, timeLeft, policy, sessionVersion, fallbackChain, alternatives, null);
    }

    /** The same explanation with more steps appended to the chain. */
    public Explanation withSteps(String... steps) {
        List<String> chain = new java.util.ArrayList<>(fallbackChain);
        chain.addAll(List.of(steps));
        return new Explanation(windowState, windowExpiresAt, timeLeft, policy, sessionVersion, chain, alternatives,
                freeEntryPointUntil);
    }

    public Explanation withAlternatives(List<String> alternatives) {
        return new Explanation(windowState, windowExpiresAt, timeLeft, policy, sessionVersion, fallbackChain,
                alternatives, freeEntryPointUntil);
    }

    /** The same explanation with the policy the decision resolved (CHEAPEST's choice). */
    public Explanation withPolicy(FallbackPolicy resolved) {
        return new Explanation(windowState, windowExpiresAt, timeLeft, resolved, sessionVersion, fallbackChain,
                alternatives, freeEntryPointUntil);
    }
}
