package com.answerline.dispatch.topology;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.HeldAnswer;
import com.answerline.avro.OutcomeReason;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.ReplyCancellation;
import com.answerline.avro.SendRequest;
import com.answerline.avro.SessionState;

/**
 * The life of a held answer after its invitation template was decided (TEMPLATE_THEN_HOLD), on three inputs of the
 * conversation, all in the task that holds it:
 *
 * <ul>
 *   <li><b>Invitation outcome</b> ({@code dispatch-outcomes}, step HOLD_INVITATION only): HELD (non-final) records
 *       the invitation's message id; from then on the answer may be released. If the agent cancelled meanwhile it
 *       ends CANCELLED now; if the customer already wrote after the hold, it is released now. A final FAILED or
 *       REJECTED invitation ends the command there: the held answer is dropped, no further outcome.</li>
 *   <li><b>Session update</b>: every held answer of the conversation whose invitation was sent, whose customer wrote
 *       after it was held, and whose window is open with more than the safety margin, goes out as a SendRequest
 *       step HELD_ANSWER (WhatsApp free-form, the agent's text), oldest hold first, and is deleted.</li>
 *   <li><b>Cancellation</b> ({@code reply-cancellations}): a held answer of the same tenant ends CANCELLED at once
 *       when its invitation was sent, or is marked to end CANCELLED when the invitation's outcome arrives (the
 *       invitation is already on its way and cannot be called back). Nothing held: no outcome, logged at INFO with
 *       the command id only and counted as {@code not_held}.</li>
 * </ul>
 *
 * A wall-clock punctuator ends answers past their expiry with a final EXPIRED outcome. Released, cancelled and
 * expired answers are deleted in the transaction that emits their SendRequest or outcome, so each happens once.
 */
final class HeldAnswersProcessor implements Processor<String, SpecificRecord, String, SpecificRecord> {

    private static final Logger log = LoggerFactory.getLogger(HeldAnswersProcessor.class);

    private final ReplyDecisions decisions;
    private final Clock clock;
    private final Duration checkInterval;
    private final HoldMetrics metrics;
    private ProcessorContext<String, SpecificRecord> context;
    private TimestampedKeyValueStore<String, SessionState> sessions;
    private HeldAnswers held;

    HeldAnswersProcessor(ReplyDecisions decisions, Clock clock, Duration checkInterval, HoldMetrics metrics) {
        this.decisions = decisions;
        this.clock = clock;
        this.checkInterval = checkInterval;
        this.metrics = metrics;
    }

    @Override
    public void init(ProcessorContext<String, SpecificRecord> context) {
        this.context = context;
        this.sessions = context.getStateStore(DecisionTopology.SESSION_STORE);
        this.held = HeldAnswers.of(context, metrics);
        held.recount();
        context.schedule(checkInterval, PunctuationType.WALL_CLOCK_TIME, ignored -> expire());
    }

    @Override
    public void process(Record<String, SpecificRecord> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() instanceof DispatchOutcome outcome) {
            invitationOutcome(record, outcome);
        } else if (record.value() instanceof ReplyCancellation cancellation) {
            cancel(record, cancellation);
        } else if (record.value() instanceof SessionState session) {
            releaseAll(record, session);
        }
    }

    @Override
    public void close() {
        if (held != null) {
            held.closed();
        }
    }

    /** HELD, FAILED or REJECTED of an invitation (the topology filters the rest out). */
    private void invitationOutcome(Record<String, SpecificRecord> record, DispatchOutcome outcome) {
        HeldAnswer answer = held.get(record.key(), outcome.getCommandId());
        if (answer == null) {
            return;
        }
        if (outcome.getStatus() == OutcomeStatus.FAILED || outcome.getStatus() == OutcomeStatus.REJECTED) {
            // The invitation's final outcome is the command's: the answer is never sent.
            held.delete(answer);
            log.info("Held answer of command {} dropped: its invitation ended {}", outcome.getCommandId(), outcome.getStatus());
            return;
        }
        if (answer.getCancelledBy() != null) {
            end(record, answer, OutcomeStatus.CANCELLED, OutcomeReason.HOLD_CANCELLED, "HOLD cancelled");
            return;
        }
        if (answer.getInvitationMessageId() == null) {
            // An invitation reported without a message id is still sent: "" marks it so.
            answer.setInvitationMessageId(outcome.getProviderMessageId() == null ? "" : outcome.getProviderMessageId());
            held.put(answer);
        }
        // The customer may have written back already, between the hold and this outcome.
        release(record, answer, ValueAndTimestamp.getValueOrNull(sessions.get(record.key())));
    }

    private void cancel(Record<String, SpecificRecord> record, ReplyCancellation cancellation) {
        HeldAnswer answer = held.get(record.key(), cancellation.getCommandId());
        if (answer == null || !answer.getCommand().getTenantId().equals(cancellation.getTenantId())) {
            metrics.cancellation(false);
            log.info("Cancellation of command {}: no held answer (unknown, already released or expired, or another tenant's)",
                    cancellation.getCommandId());
            return;
        }
        metrics.cancellation(true);
        if (answer.getInvitationMessageId() != null) {
            end(record, answer, OutcomeStatus.CANCELLED, OutcomeReason.HOLD_CANCELLED, "HOLD cancelled");
            return;
        }
        // The invitation is in flight: its outcome (HELD, or a final failure) ends the command.
        answer.setCancelledBy(cancellation.getAgentId());
        held.put(answer);
        log.info("Held answer of command {} cancelled while its invitation is in flight", cancellation.getCommandId());
    }

    private void releaseAll(Record<String, SpecificRecord> record, SessionState session) {
        for (HeldAnswer answer : held.ofConversation(record.key())) {
            release(record, answer, session);
        }
    }

    private void release(Record<String, SpecificRecord> record, HeldAnswer answer, SessionState session) {
        Optional<SendRequest> released = decisions.release(answer, session);
        if (released.isPresent()) {
            held.delete(answer);
            context.forward(record.withValue(released.get()));
            log.info("Held answer of command {} released: the customer wrote back", answer.getCommand().getCommandId());
        }
    }

    private void expire() {
        Instant now = clock.instant();
        for (HeldAnswer answer : held.expiredAt(now)) {
            held.delete(answer);
            context.forward(new Record<>(answer.getCommand().getConversationId(),
                    decisions.holdEnded(answer, OutcomeStatus.EXPIRED, OutcomeReason.HOLD_EXPIRED, "HOLD expired"),
                    now.toEpochMilli()));
            log.info("Held answer of command {} expired", answer.getCommand().getCommandId());
        }
    }

    private void end(Record<String, SpecificRecord> record, HeldAnswer answer, OutcomeStatus status, OutcomeReason reason,
                     String chainStep) {
        held.delete(answer);
        context.forward(record.withValue(decisions.holdEnded(answer, status, reason, chainStep)));
        log.info("Held answer of command {} ended {}", answer.getCommand().getCommandId(), status);
    }
}
