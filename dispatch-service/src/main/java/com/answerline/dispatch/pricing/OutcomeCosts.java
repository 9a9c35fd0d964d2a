package com.answerline.dispatch.pricing;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.answerline.avro.CostEstimate;
import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.OutcomeReason;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.SendRequest;
import com.answerline.avro.SendStep;
import com.answerline.avro.TemplateRef;
import com.answerline.dispatch.wire.WireMapping;
import com.answerline.schemas.outcome.OutcomeReasons;

/**
 * Puts the estimated cost on an outcome, just before the sender logs and publishes it, so the ledger, the outcome
 * topic, the gateway and the cost metric all carry the same figure. Only what went out is priced: SENT, and HELD
 * (the invitation template went out, the answer waits); every other outcome gets no estimate.
 *
 * <p>Inputs: the outcome's time ({@code occurredAt}: the send, so the rules of that day price it), its channel
 * (after any fallback, so a 131047 fallback to SMS is priced as SMS), its {@code smsSegments} for SMS, the
 * request's template (or the tenant's default invitation template when the request had none, as in a fallback from
 * free-form) looked up in the tenant's WABA catalogue for its category, the request's recipient phone for the
 * region, the free entry point the decision saw ({@code Explanation.freeEntryPointUntil}), and the request's window
 * state: OPEN or CLOSING counts as inside the window, unless WhatsApp itself refused or failed the message (reasons
 * {@code PROVIDER_*}, {@code DELIVERY_FAILED_*}, step FAILOVER): then the window is taken as closed, whatever the
 * decision saw.
 *
 * <p>Never throws: an estimate must not fail a send that already happened; a failure is logged and the outcome
 * goes out without a cost.
 */
public final class OutcomeCosts {

    private static final Logger log = LoggerFactory.getLogger(OutcomeCosts.class);

    /**
     * Outcomes of a send WhatsApp refused (or that failed at the provider): whatever the window said at decision time,
     * what went out was not a message inside the window.
     */
    private static final Set<OutcomeReason> AFTER_A_PROVIDER_REFUSAL = EnumSet.of(
            OutcomeReason.PROVIDER_WINDOW_CLOSED_SMS_FALLBACK, OutcomeReason.PROVIDER_WINDOW_CLOSED_TEMPLATE_FALLBACK,
            OutcomeReason.PROVIDER_UNDELIVERABLE_SMS_FALLBACK, OutcomeReason.PROVIDER_UNDELIVERABLE_TEMPLATE_FALLBACK,
            OutcomeReason.PROVIDER_UNDELIVERABLE, OutcomeReason.PROVIDER_UNAVAILABLE,
            OutcomeReason.DELIVERY_FAILED_SMS_FALLBACK, OutcomeReason.DELIVERY_FAILED_TEMPLATE_FALLBACK);

    private final CostEstimator estimator;
    private final TemplateCategories categories;

    public OutcomeCosts(CostEstimator estimator, TemplateCategories categories) {
        this.estimator = Objects.requireNonNull(estimator, "estimator");
        this.categories = Objects.requireNonNull(categories, "categories");
    }

    /**
     * @param outcome what the sender is about to log and publish
     * @param request the request it answers (for a FAILOVER outcome, the failover request)
     * @return the outcome with {@code estimatedCost} set when something went out (SENT, HELD), null otherwise
     */
    public DispatchOutcome withCost(DispatchOutcome outcome, SendRequest request) {
        CostEstimate cost;
        try {
            cost = estimate(outcome, request);
        } catch (RuntimeException e) {
            log.warn("command {}: no cost estimate ({})", outcome.getCommandId(), e.toString());
            cost = null;
        }
        return DispatchOutcome.newBuilder(outcome).setEstimatedCost(cost).build();
    }

    CostEstimate estimate(DispatchOutcome outcome, SendRequest request) {
        if ((outcome.getStatus() != OutcomeStatus.SENT && outcome.getStatus() != OutcomeStatus.HELD)
                || outcome.getChannel() == null) {
            return null;
        }
        String region = RecipientRegion.of(request.getRecipientPhone());
        Instant at = outcome.getOccurredAt();
        Instant freeEntryPointUntil = request.getExplanation() == null ? null
                : WireMapping.explanation(request.getExplanation()).freeEntryPointUntil();
        return switch (outcome.getChannel()) {
            case WHATSAPP -> estimator.service(region, freeEntryPointUntil, at);
            case WHATSAPP_TEMPLATE -> {
                TemplateRef template = request.getTemplate();
                String category = template == null ? categories.of(request.getTenantId(), null, null)
                        : categories.of(request.getTenantId(), template.getName(), template.getLanguage());
                yield estimator.template(category, region, insideWindow(outcome, request), freeEntryPointUntil, at);
            }
            case SMS -> {
                if (outcome.getSmsSegments() == null) {
                    log.debug("command {}: SMS outcome without a segment count, priced as 1 segment", outcome.getCommandId());
                }
                yield estimator.sms(outcome.getSmsSegments(), region, at);
            }
            // Direct Send: a utility message outside the window, at the utility rate (DOMAIN 3).
            case WHATSAPP_DIRECT_SEND -> estimator.directSend(region, freeEntryPointUntil, at);
            case UNKNOWN -> null;
        };
    }

    static boolean insideWindow(DispatchOutcome outcome, SendRequest request) {
        boolean refusedByWhatsApp = outcome.getStep() == SendStep.FAILOVER
                || AFTER_A_PROVIDER_REFUSAL.contains(OutcomeReasons.of(outcome));
        return !refusedByWhatsApp && request.getExplanation() != null
                && CostEstimator.insideWindow(request.getExplanation().getWindowState());
    }
}
