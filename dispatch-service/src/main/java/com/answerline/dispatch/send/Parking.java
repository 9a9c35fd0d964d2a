package com.answerline.dispatch.send;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Function;

import io.github.resilience4j.core.IntervalFunction;

import com.answerline.avro.DecisionExplanation;
import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.OutcomeReason;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.ParkedSend;
import com.answerline.avro.SendRequest;
import com.answerline.avro.SendStep;
import com.answerline.dispatch.decision.ChannelDecider;
import com.answerline.dispatch.decision.Decision;
import com.answerline.dispatch.decision.TenantRules;
import com.answerline.dispatch.wire.WireMapping;

/**
 * The rules of a parked send (issue 18 item 1), without Kafka or threads: when its next attempt is (exponential
 * backoff with jitter, never before the provider's Retry-After), until when it may wait (the tenant's reply validity
 * from the first attempt, and for free-form WhatsApp the window's end minus the safety margin:
 * {@link ChannelDecider#validUntil}), what the agent sees meanwhile (PENDING PROVIDER_UNAVAILABLE_WAITING with
 * {@code validUntil}), and what happens when it runs out ({@link ChannelDecider#afterProviderUnavailable}: the
 * tenant's policy, once).
 */
public final class Parking {

    /**
     * @param initialBackoff wait before the second attempt
     * @param multiplier     each further wait this much longer
     * @param jitter         randomization factor: each wait is backoff * (1 +- jitter)
     * @param maxBackoff     the longest wait between two attempts
     */
    public record Backoff(Duration initialBackoff, double multiplier, double jitter, Duration maxBackoff) {
    }

    private final ChannelDecider decider;
    private final Function<String, TenantRules> tenants;
    private final Clock clock;
    private final IntervalFunction backoff;

    public Parking(ChannelDecider decider, Function<String, TenantRules> tenants, Clock clock, Backoff backoff) {
        this.decider = decider;
        this.tenants = tenants;
        this.clock = clock;
        this.backoff = backoff.jitter() == 0
                ? IntervalFunction.ofExponentialBackoff(backoff.initialBackoff(), backoff.multiplier(), backoff.maxBackoff())
                : IntervalFunction.ofExponentialRandomBackoff(backoff.initialBackoff(), backoff.multiplier(),
                        backoff.jitter(), backoff.maxBackoff());
    }

    /** A send whose first attempt found the provider unavailable: attempt 1 done, the validity starts now. */
    public ParkedSend first(ReplySender.Unavailable unavailable, long queuePosition) {
        Instant now = clock.instant();
        return ParkedSend.newBuilder()
                .setRequest(unavailable.retry())
                .setAttempts(1)
                .setFirstAttemptAt(now)
                .setNextAttemptAt(next(1, unavailable.retryAfter(), now))
                .setValidUntil(validUntil(unavailable.retry(), now))
                .setQueuePosition(queuePosition)
                .setLastError(unavailable.cause())
                .build();
    }

    /** A send queued behind an earlier parked send of its conversation: never tried, due as soon as it is first. */
    public ParkedSend behind(SendRequest request, long queuePosition) {
        Instant now = clock.instant();
        return ParkedSend.newBuilder()
                .setRequest(request)
                .setAttempts(0)
                .setFirstAttemptAt(now)
                .setNextAttemptAt(now)
                .setValidUntil(validUntil(request, now))
                .setQueuePosition(queuePosition)
                .setLastError(null)
                .build();
    }

    /** Another attempt found the provider unavailable: the same send, one attempt more, the next one later. */
    public ParkedSend again(ParkedSend parked, ReplySender.Unavailable unavailable) {
        int attempts = parked.getAttempts() + 1;
        Instant now = clock.instant();
        return ParkedSend.newBuilder(parked)
                .setRequest(unavailable.retry())
                .setAttempts(attempts)
                .setNextAttemptAt(next(attempts, unavailable.retryAfter(), now))
                .setLastError(unavailable.cause())
                .build();
    }

    /** True when waiting is over: the policy decides now. */
    public boolean expired(ParkedSend parked) {
        return !clock.instant().isBefore(parked.getValidUntil());
    }

    /** True when the next attempt may go now (and the validity is not over). */
    public boolean due(ParkedSend parked) {
        return !clock.instant().isBefore(parked.getNextAttemptAt());
    }

    /** What the agent sees while it waits: PENDING, not final, the channel waited for and when waiting ends. */
    public DispatchOutcome pending(ParkedSend parked) {
        return outcome(parked, OutcomeStatus.PENDING, OutcomeReason.PROVIDER_UNAVAILABLE_WAITING,
                parked.getRequest().getExplanation(), false)
                .setRenderedText(parked.getRequest().getText())
                .setValidUntil(parked.getValidUntil())
                .build();
    }

    /** What the tenant's policy does with a send whose validity ran out (see the class comment). */
    public Expiry expire(ParkedSend parked) {
        SendRequest request = parked.getRequest();
        TenantRules tenant = tenants.apply(request.getTenantId());
        Decision.Send waited = WireMapping.send(request);
        Decision decision = tenant == null || request.getStep() == SendStep.FAILOVER
                // A FAILOVER is already the command's one fallback; a request without a tenant has no policy.
                ? new Decision.Reject(OutcomeReason.PROVIDER_UNAVAILABLE_VALIDITY_EXPIRED,
                        waited.explanation().withSteps(request.getChannel() + " unavailable for the reply validity"))
                : decider.afterProviderUnavailable(waited, tenant);
        if (decision instanceof Decision.Send failover) {
            return new Expiry.FailOver(WireMapping.sendRequest(request, failover)
                    .setStep(SendStep.FAILOVER)
                    .setDecidedAt(clock.instant())
                    .build());
        }
        return new Expiry.Failed(outcome(parked, OutcomeStatus.FAILED, OutcomeReason.PROVIDER_UNAVAILABLE_VALIDITY_EXPIRED,
                WireMapping.explanation(decision.explanation()), true).build());
    }

    /**
     * The parked send's own end when a failover replaces it: FAILED PROVIDER_UNAVAILABLE_VALIDITY_EXPIRED of its step,
     * <em>not final</em> (the FAILOVER outcome that follows is), so the thread's entry of that send does not stay
     * PENDING, as a SENT reply's entry shows its failed delivery beside the failover that replaced it.
     */
    public DispatchOutcome superseded(ParkedSend parked) {
        return outcome(parked, OutcomeStatus.FAILED, OutcomeReason.PROVIDER_UNAVAILABLE_VALIDITY_EXPIRED,
                parked.getRequest().getExplanation(), false).build();
    }

    /** What becomes of a parked send at the end of its validity. */
    public sealed interface Expiry {

        /** The command's one FAILOVER send (ledger key commandId/FAILOVER). */
        record FailOver(SendRequest request) implements Expiry {
        }

        /** No other channel: FAILED PROVIDER_UNAVAILABLE_VALIDITY_EXPIRED, final. */
        record Failed(DispatchOutcome outcome) implements Expiry {
        }
    }

    /** An outcome of the parked send, now: its command, step, agent, channel, template and attempts. */
    private DispatchOutcome.Builder outcome(ParkedSend parked, OutcomeStatus status, OutcomeReason reason,
                                            DecisionExplanation explanation, boolean isFinal) {
        SendRequest request = parked.getRequest();
        return WireMapping.outcome(request.getCommandId(), request.getTenantId(), request.getConversationId(), status,
                        request.getChannel(), reason, explanation, isFinal, clock.instant())
                .setStep(request.getStep())
                .setAgentId(request.getAgentId())
                .setTemplate(request.getTemplate())
                .setAttempts(parked.getAttempts());
    }

    private Instant validUntil(SendRequest request, Instant firstAttempt) {
        TenantRules tenant = tenants.apply(request.getTenantId());
        return tenant == null ? firstAttempt
                : decider.validUntil(request.getChannel(), WireMapping.explanation(request.getExplanation()), firstAttempt, tenant);
    }

    private Instant next(int attempts, Duration retryAfter, Instant now) {
        Instant next = now.plusMillis(backoff.apply(attempts));
        Instant asked = retryAfter == null ? null : now.plus(retryAfter);
        return asked != null && asked.isAfter(next) ? asked : next;
    }
}
