package com.answerline.dispatch.send;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.answerline.avro.Channel;
import com.answerline.avro.DeliveryState;
import com.answerline.avro.DeliveryStatus;
import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.OutcomeReason;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.ProviderError;
import com.answerline.avro.SendLedgerEntry;
import com.answerline.schemas.outcome.OutcomeReasons;

/**
 * Reconciles sends whose fate was unknown (issue 18 item 2). A send is <em>in doubt</em> when the provider may have
 * accepted it but nobody saw the answer: the HTTP answer was lost ({@link InDoubtSendException}), or the ledger holds
 * it SENDING after a restart. Neither provider takes an idempotency key, so it is never resent; instead:
 * <ol>
 *   <li>{@link #inDoubt}: the ledger keeps it SENDING with a deadline ({@code answerline.dispatch.reconcile.deadline})
 *       and the outcome it gets if accepted; PENDING SEND_STATE_UNKNOWN (not final) is published;</li>
 *   <li>{@link #settle}: a delivery status that names the send (its {@code SendReference}: command id and step, echoed
 *       by the provider) is the evidence. sent, delivered, read (or Twilio's queued): SENT with the status's provider
 *       message id (an invitation: HELD), logged and published, its delivery then folded as for any SENT message. A
 *       failed status of a WhatsApp REPLY or HELD_ANSWER with 131047/131026: SENT as well, then the asynchronous
 *       failover as for a SENT message (the caller runs it). Any other failed status: FAILED with the provider's code
 *       (WHATSAPP_ERROR, SMS_ERROR);</li>
 *   <li>no evidence by the deadline: {@link UnknownSendDeadline} ends it FAILED SEND_STATE_UNKNOWN, final.</li>
 * </ol>
 * A status can also come <em>before</em> its send is known to be in doubt: an instance died between the provider's
 * acceptance and the ledger's SENT, and its successor reads the status (on delivery-statuses) before the redelivered
 * send request (on send-requests) that finds the entry SENDING. Such a status is kept ({@link #keepEarly}, in memory,
 * the latest {@value #EARLY_EVIDENCE} of them) and {@link #inDoubt} settles the send with it at once when it proves
 * the send went out (sent, delivered, read, queued). A failed one is left to the usual path, and evidence lost with
 * this instance leaves the deadline as before.
 * A final outcome is never changed: a status for a send that ended FAILED SEND_STATE_UNKNOWN (it came after the
 * deadline) is logged at WARN and counted ({@code late_evidence}), and the outcome stays, as the issue asks: dispatch
 * never publishes two final outcomes for one send, and the thread shows the late delivery beside it (session folds the
 * status by command id). A status arriving twice finds the send already settled and changes nothing.
 *
 * <p>Metric {@value #METRIC}{@code {result}}: {@code in_doubt} (a send became unknown), {@code settled_sent},
 * {@code settled_failed}, {@code deadline_unknown}, {@code late_evidence}.
 *
 * <p>Called on the thread of the send's conversation (see {@link SendRequestListener}), like every write of a
 * command's ledger entries.
 */
public class SendReconciler {

    public static final String METRIC = "answerline.dispatch.reconciliations";

    private static final Logger log = LoggerFactory.getLogger(SendReconciler.class);

    /** What became of an in-doubt send (the metric's {@code result} tag). */
    enum Result {
        IN_DOUBT, SETTLED_SENT, SETTLED_FAILED, DEADLINE_UNKNOWN, LATE_EVIDENCE;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How many early statuses are kept (the oldest go first). */
    static final int EARLY_EVIDENCE = 10_000;

    private final SendLedger ledger;
    private final Clock clock;
    private final Duration deadline;
    private final Map<Result, Counter> counters = new EnumMap<>(Result.class);
    private final Map<String, DeliveryStatus> early = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(64, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, DeliveryStatus> eldest) {
                    return size() > EARLY_EVIDENCE;
                }
            });

    /** @param deadline how long an in-doubt send waits for a status before it ends FAILED SEND_STATE_UNKNOWN */
    public SendReconciler(SendLedger ledger, Clock clock, Duration deadline, MeterRegistry meters) {
        this.ledger = Objects.requireNonNull(ledger, "ledger");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.deadline = Objects.requireNonNull(deadline, "deadline");
        for (Result result : Result.values()) {
            counters.put(result, counter(meters, result));
        }
    }

    /** The counter of one result; registered once per registry (Micrometer returns the same meter again). */
    static Counter counter(MeterRegistry meters, Result result) {
        return Counter.builder(METRIC)
                .description("Sends whose provider answer was unknown, by what became of them")
                .tag("result", result.tag())
                .register(meters);
    }

    /**
     * The send of {@code sending} is in doubt: logs it SENDING with its deadline and {@code ifAccepted}, and returns
     * the PENDING SEND_STATE_UNKNOWN outcome to publish.
     */
    public DispatchOutcome inDoubt(int partition, SendLedgerEntry sending, DispatchOutcome ifAccepted) {
        Instant now = clock.instant();
        SendLedgerEntry entry = ledger.awaitEvidence(partition, sending, ifAccepted, now.plus(deadline), now);
        counters.get(Result.IN_DOUBT).increment();
        DeliveryStatus evidence = early.remove(SendLedger.key(entry.getCommandId(), entry.getStep()));
        if (evidence != null) {
            DispatchOutcome settled = settled(entry, evidence, now);
            if (settled != null && settled.getStatus() != OutcomeStatus.FAILED && evidence.getStatus() != DeliveryState.FAILED
                    && evidence.getStatus() != DeliveryState.UNDELIVERED) {
                ledger.settled(partition, entry, settled);
                counters.get(Result.SETTLED_SENT).increment();
                log.info("command {} step {}: in-doubt send settled by a {} status that came before it was in doubt",
                        settled.getCommandId(), settled.getStep(), evidence.getStatus());
                return settled;
            }
        }
        log.warn("command {} step {}: the provider may have accepted the send, its answer is unknown; not resent, "
                + "waiting until {} for a status naming it", entry.getCommandId(), entry.getStep(), entry.getSettleBy());
        return pending(entry);
    }

    /** The PENDING SEND_STATE_UNKNOWN outcome of an entry awaiting evidence: the same every time it is asked. */
    public static DispatchOutcome pending(SendLedgerEntry awaiting) {
        return as(awaiting.getIfAccepted(), OutcomeStatus.PENDING, OutcomeReason.SEND_STATE_UNKNOWN, false,
                awaiting.getLoggedAt()).build();
    }

    /**
     * The final FAILED SEND_STATE_UNKNOWN of an entry whose deadline passed with no evidence; at the deadline, so that
     * publishing it again (see {@link UnknownSendDeadline}) publishes the same record.
     */
    static DispatchOutcome expired(SendLedgerEntry awaiting) {
        return as(awaiting.getIfAccepted(), OutcomeStatus.FAILED, OutcomeReason.SEND_STATE_UNKNOWN, true,
                awaiting.getSettleBy()).build();
    }

    /**
     * A status that names a send still SENDING and not yet in doubt (its instance died mid-send, and the redelivered
     * request has not been read yet): kept as evidence for {@link #inDoubt}.
     */
    public void keepEarly(DeliveryStatus status) {
        if (status.getCommandId() != null && status.getStep() != null) {
            early.put(SendLedger.key(status.getCommandId(), status.getStep()), status);
        }
    }

    /**
     * The ledger entry of the send a status names by command id and step, or null when it names none (no reference,
     * or one this partition's ledger does not know).
     */
    public SendLedgerEntry namedBy(int partition, DeliveryStatus status) {
        if (status.getCommandId() == null || status.getStep() == null) {
            return null;
        }
        return ledger.entryOf(partition, SendLedger.key(status.getCommandId(), status.getStep()));
    }

    /**
     * Settles an in-doubt send ({@link SendLedger#awaitingEvidence}) from a status naming it: logs and returns the
     * outcome to publish; empty when the status proves nothing ({@code UNKNOWN}). A SENT outcome returned for a failed
     * status is followed by the failover (see the class comment), which the caller runs.
     */
    public Optional<DispatchOutcome> settle(int partition, SendLedgerEntry awaiting, DeliveryStatus status) {
        DispatchOutcome settled = settled(awaiting, status, clock.instant());
        if (settled == null) {
            return Optional.empty();
        }
        ledger.settled(partition, awaiting, settled);
        boolean failed = settled.getStatus() == OutcomeStatus.FAILED;
        counters.get(failed ? Result.SETTLED_FAILED : Result.SETTLED_SENT).increment();
        log.info("command {} step {}: in-doubt send settled by a {} status: {} ({})", settled.getCommandId(),
                settled.getStep(), status.getStatus(), settled.getStatus(), settled.getOutcomeReason());
        return Optional.of(settled);
    }

    /**
     * A status naming a send that is already done: nothing changes. Two cases say something:
     * <ul>
     *   <li>the send ended FAILED SEND_STATE_UNKNOWN at its deadline and the status is evidence: recorded (WARN,
     *       {@code late_evidence}), the outcome stays;</li>
     *   <li>the send was settled by a status of this message (this one again, or a later one): its outcome is returned
     *       to publish again, identical, in case the process died between the ledger and the publication (the status's
     *       offset is committed only after the publication).</li>
     * </ul>
     */
    public Optional<DispatchOutcome> afterDone(SendLedgerEntry done, DeliveryStatus status) {
        DispatchOutcome outcome = done.getOutcome();
        if (done.getSettleBy() == null || outcome == null) {
            return Optional.empty();
        }
        if (outcome.getStatus() == OutcomeStatus.FAILED && OutcomeReasons.of(outcome) == OutcomeReason.SEND_STATE_UNKNOWN) {
            if (status.getStatus() != DeliveryState.UNKNOWN) {
                counters.get(Result.LATE_EVIDENCE).increment();
                log.warn("command {} step {}: a {} status came after the send ended {} at its deadline; the outcome stays",
                        outcome.getCommandId(), outcome.getStep(), status.getStatus(), OutcomeReason.SEND_STATE_UNKNOWN);
            }
            return Optional.empty();
        }
        return Objects.equals(outcome.getProviderMessageId(), status.getProviderMessageId()) ? Optional.of(outcome)
                : Optional.empty();
    }

    /** The outcome a status makes of an in-doubt send (see the class comment); null when it proves nothing. */
    static DispatchOutcome settled(SendLedgerEntry awaiting, DeliveryStatus status, Instant now) {
        DispatchOutcome ifAccepted = awaiting.getIfAccepted();
        switch (status.getStatus()) {
            case QUEUED, SENT, DELIVERED, READ -> {
                return accepted(ifAccepted, status, now);
            }
            case FAILED, UNDELIVERED -> {
                if (failsOver(ifAccepted, status)) {
                    return accepted(ifAccepted, status, now);
                }
                ProviderError error = status.getErrors().isEmpty() ? null : status.getErrors().get(0);
                boolean sms = status.getChannel() == Channel.SMS;
                return as(ifAccepted, OutcomeStatus.FAILED, sms ? OutcomeReason.SMS_ERROR : OutcomeReason.WHATSAPP_ERROR,
                        true, now)
                        .setProviderMessageId(status.getProviderMessageId())
                        .setErrorCode(error == null ? null : error.getCode())
                        .setErrorTitle(error == null ? null : error.getTitle())
                        .build();
            }
            default -> {
                return null;
            }
        }
    }

    /** The provider accepted it: the outcome it would have had, with the status's message id. */
    private static DispatchOutcome accepted(DispatchOutcome ifAccepted, DeliveryStatus status, Instant now) {
        return DispatchOutcome.newBuilder(ifAccepted)
                .setProviderMessageId(status.getProviderMessageId())
                .setOccurredAt(now)
                .build();
    }

    /** A failed status the asynchronous failover answers (as for a SENT message): settle SENT, then fail over. */
    private static boolean failsOver(DispatchOutcome ifAccepted, DeliveryStatus status) {
        DispatchOutcome asSent = DispatchOutcome.newBuilder(ifAccepted).setProviderMessageId(status.getProviderMessageId())
                .build();
        return SendLedger.failoverCandidate(asSent) && DeliveryFailover.failoverCode(status, asSent) != null;
    }

    /** {@code ifAccepted} as another status and reason; no cost (nothing is known to have gone out), no message id. */
    private static DispatchOutcome.Builder as(DispatchOutcome ifAccepted, OutcomeStatus status, OutcomeReason reason,
                                              boolean isFinal, Instant at) {
        return DispatchOutcome.newBuilder(ifAccepted)
                .setStatus(status)
                .setOutcomeReason(reason)
                .setReason(reason.name())
                .setFinal$(isFinal)
                .setEstimatedCost(null)
                .setProviderMessageId(null)
                .setHoldExpiresAt(status == OutcomeStatus.HELD ? ifAccepted.getHoldExpiresAt() : null)
                .setOccurredAt(at);
    }
}
