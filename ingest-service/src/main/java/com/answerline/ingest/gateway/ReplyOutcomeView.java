package com.answerline.ingest.gateway;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

import com.answerline.avro.CostEstimate;
import com.answerline.avro.DecisionExplanation;
import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.OutcomeReason;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.ThreadMessage;
import com.answerline.schemas.outcome.OutcomeReasons;
import com.answerline.schemas.thread.ThreadItem;

/**
 * Body of {@code GET /api/v1/replies/{commandId}} and data of the {@code reply-outcome} server-sent event. {@code renderedText} is the customer's message as sent:
 * the agent may see it, logs may not. {@code step} says which send of the command the outcome is about (REPLY,
 * HOLD_INVITATION, HELD_ANSWER, FAILOVER); {@code reason} is the outcome's {@code OutcomeReason} symbol (read the
 * same way for outcomes written before the enum existed); {@code holdExpiresAt} is set on HELD outcomes,
 * {@code smsSegments} and {@code smsEncoding} on SMS ones. {@code delivery} is what the provider reported of the send
 * of the outcome's step (accepted, sent, delivered, read, or failed with its code and title; the thread's lifecycle
 * object, {@link ThreadItem.Delivery}), null until reported; {@code deliveries} has it for every send of the command
 * reported so far, in step order (a failover's failed reply and its fallback, an invitation and the held answer).
 * While a reply waits out provider trouble (PENDING {@code PROVIDER_UNAVAILABLE_WAITING}), {@code waitingFor} names
 * the channel it waits for ({@code WHATSAPP}, {@code WHATSAPP_TEMPLATE} or {@code SMS}: "waiting for WhatsApp") and
 * {@code validUntil} when dispatch stops waiting and the tenant's policy decides (a failover, or FAILED
 * {@code PROVIDER_UNAVAILABLE_VALIDITY_EXPIRED}); both absent otherwise.
 */
public record ReplyOutcomeView(String commandId, String conversationId, String status,
                               @JsonProperty("final") boolean isFinal, String step,
                               String channel, String reason, Explanation explanation, String renderedText,
                               String providerMessageId, Integer errorCode, Cost estimatedCost, Integer smsSegments,
                               String smsEncoding, Instant holdExpiresAt, Instant occurredAt,
                               ThreadItem.Delivery delivery, List<StepDelivery> deliveries, String waitingFor,
                               Instant validUntil) {

    /** The delivery of one send of the command. */
    public record StepDelivery(String step, String channel, ThreadItem.Delivery delivery) {
    }

    /** Why dispatch chose the channel: the window as it saw it, the policy and what else was possible. */
    public record Explanation(String windowState, Instant windowExpiresAt, Long timeLeftMillis, String policy,
                              List<String> fallbackChain, List<String> alternatives) {

        static Explanation of(DecisionExplanation explanation) {
            if (explanation == null) {
                return null;
            }
            return new Explanation(name(explanation.getWindowState()), explanation.getWindowExpiresAt(),
                    explanation.getTimeLeftMillis(), name(explanation.getPolicy()),
                    List.copyOf(explanation.getFallbackChain()), List.copyOf(explanation.getAlternatives()));
        }
    }

    /**
     * The estimated provider price. {@code amount} is a decimal string ({@code "0.0789"}) so that no client turns it
     * into a binary float; {@code amountMicros} is the exact integer it comes from.
     */
    public record Cost(String currency, String amount, long amountMicros, String basis) {

        static Cost of(CostEstimate estimate) {
            if (estimate == null) {
                return null;
            }
            String amount = BigDecimal.valueOf(estimate.getAmountMicros(), 6).stripTrailingZeros().toPlainString();
            return new Cost(estimate.getCurrency(), amount, estimate.getAmountMicros(), estimate.getBasis());
        }
    }

    /** An outcome before any of its sends' deliveries is known. */
    public static ReplyOutcomeView of(DispatchOutcome outcome) {
        return of(outcome, List.of());
    }

    /**
     * @param sends the command's sends as the thread reports them (outbound thread messages of this command, any
     *              order); those without a delivery are left out
     */
    public static ReplyOutcomeView of(DispatchOutcome outcome, List<ThreadMessage> sends) {
        List<StepDelivery> deliveries = sends.stream()
                .filter(send -> send.getDelivery() != null && send.getStep() != null
                        && outcome.getCommandId().equals(send.getCommandId()))
                .sorted(Comparator.comparing(ThreadMessage::getStep))
                .map(send -> new StepDelivery(send.getStep().name(), name(send.getChannel()),
                        ThreadItem.Delivery.of(send.getDelivery())))
                .toList();
        ThreadItem.Delivery delivery = deliveries.stream()
                .filter(send -> send.step().equals(name(outcome.getStep())))
                .map(StepDelivery::delivery)
                .findFirst().orElse(null);
        boolean waiting = outcome.getStatus() == OutcomeStatus.PENDING
                && OutcomeReasons.of(outcome) == OutcomeReason.PROVIDER_UNAVAILABLE_WAITING;
        return new ReplyOutcomeView(outcome.getCommandId(), outcome.getConversationId(), name(outcome.getStatus()),
                outcome.getFinal$(), name(outcome.getStep()), name(outcome.getChannel()), OutcomeReasons.of(outcome).name(),
                Explanation.of(outcome.getExplanation()), outcome.getRenderedText(), outcome.getProviderMessageId(),
                outcome.getErrorCode(), Cost.of(outcome.getEstimatedCost()), outcome.getSmsSegments(),
                outcome.getSmsEncoding(), outcome.getHoldExpiresAt(), outcome.getOccurredAt(), delivery, deliveries,
                waiting ? name(outcome.getChannel()) : null, waiting ? outcome.getValidUntil() : null);
    }

    private static String name(Enum<?> value) {
        return value == null ? null : value.name();
    }
}
