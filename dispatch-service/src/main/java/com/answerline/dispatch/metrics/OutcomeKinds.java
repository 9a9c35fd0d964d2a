package com.answerline.dispatch.metrics;

import java.util.Locale;
import java.util.Optional;

import com.answerline.avro.Channel;
import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.OutcomeReason;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.SendStep;
import com.answerline.schemas.outcome.OutcomeReasons;

/**
 * What an outcome means for the metrics of issue 5 section 8: pure functions of one {@link DispatchOutcome}, so the
 * rules are read and tested in one place. The reason is the contract's {@link OutcomeReason}
 * ({@link OutcomeReasons#of}: outcomes written before it included); {@link #causeOf} names every symbol, so a
 * reason added to the contract does not compile until it is classified here.
 */
final class OutcomeKinds {

    static final String SMS_UNAVAILABLE = "SMS unavailable:";

    /** A fallback: why the message did not go as WhatsApp free-form, and what it went as instead. */
    record Fallback(String cause, String to) {
    }

    private OutcomeKinds() {
    }

    /**
     * The decision of a command: an outcome of step REPLY or HOLD_INVITATION that is final (SENT, FAILED, REJECTED)
     * or HELD (the invitation went out, the answer waits). Not PENDING (a wait, not a decision), not EXPIRED or
     * CANCELLED (what became of a held answer later). Exactly one per command (the send ledger makes REPLY and
     * HOLD_INVITATION exclude each other), once the republished duplicates are dropped. A parked send that a failover
     * replaced at the end of its validity ends with a non-final FAILED PROVIDER_UNAVAILABLE_VALIDITY_EXPIRED: that is
     * its decision (the FAILOVER that follows is not one).
     */
    static boolean isDecision(DispatchOutcome outcome) {
        SendStep step = stepOf(outcome);
        OutcomeStatus status = outcome.getStatus();
        return (step == SendStep.REPLY || step == SendStep.HOLD_INVITATION)
                && status != OutcomeStatus.PENDING && status != OutcomeStatus.EXPIRED && status != OutcomeStatus.CANCELLED
                && (outcome.getFinal$() || status == OutcomeStatus.HELD
                        || OutcomeReasons.of(outcome) == OutcomeReason.PROVIDER_UNAVAILABLE_VALIDITY_EXPIRED);
    }

    /**
     * The fallback an outcome records, if any, whether it then went out or not (its status is in
     * {@code answerline.dispatch.outcomes}). A "SMS unavailable: ..." step in the chain is the more specific
     * cause (no_phone, not_mobile, sms_too_long): the policy asked for SMS and the customer got a template.
     */
    static Optional<Fallback> fallbackOf(DispatchOutcome outcome) {
        if (outcome.getStatus() == OutcomeStatus.PENDING) {
            return Optional.empty();
        }
        OutcomeReason reason = OutcomeReasons.of(outcome);
        String cause = causeOf(reason);
        if (cause == null) {
            return Optional.empty();
        }
        String smsUnavailable = smsUnavailableCause(outcome);
        return Optional.of(new Fallback(smsUnavailable != null ? smsUnavailable : cause, targetOf(reason)));
    }

    /** The fallback cause a reason records, or null for a reason that is no fallback. */
    private static String causeOf(OutcomeReason reason) {
        return switch (reason) {
            case PROVIDER_WINDOW_CLOSED_SMS_FALLBACK, PROVIDER_WINDOW_CLOSED_TEMPLATE_FALLBACK -> "provider_window_closed";
            case PROVIDER_UNDELIVERABLE_SMS_FALLBACK, PROVIDER_UNDELIVERABLE_TEMPLATE_FALLBACK -> "provider_undeliverable";
            case DELIVERY_FAILED_SMS_FALLBACK, DELIVERY_FAILED_TEMPLATE_FALLBACK -> "delivery_failed";
            case PROVIDER_UNAVAILABLE_SMS_FALLBACK, PROVIDER_UNAVAILABLE_TEMPLATE_FALLBACK -> "provider_unavailable";
            case UNKNOWN_CONVERSATION_TEMPLATE -> "unknown_conversation";
            case WINDOW_CLOSED_SMS_FALLBACK, WINDOW_CLOSED_TEMPLATE_FALLBACK, WINDOW_CLOSED_ANSWER_HELD,
                 WINDOW_CLOSED_DIRECT_SEND -> "window_closed";
            case DIRECT_SEND_REFUSED_SMS_FALLBACK, DIRECT_SEND_REFUSED_TEMPLATE_FALLBACK -> "direct_send_refused";
            case UNSPECIFIED, WINDOW_OPEN, TEMPLATE_REQUESTED, WINDOW_CLOSED, UNKNOWN_CONVERSATION, EMPTY_REPLY,
                 INVALID_CONVERSATION, TENANT_MISMATCH, UNKNOWN_TENANT, SESSION_NOT_CAUGHT_UP, TEMPLATE_NOT_FOUND,
                 TEMPLATE_LANGUAGE_NOT_FOUND, TEMPLATE_NOT_APPROVED, TEMPLATE_PARAMETER_MISMATCH, WAITING_FOR_SESSION,
                 WAITING_FOR_CONVERSATION_SESSION, PROVIDER_UNDELIVERABLE, DELIVERY_FAILED, HELD_ANSWER_RELEASED,
                 HOLD_EXPIRED, HOLD_CANCELLED, WHATSAPP_ERROR, SMS_ERROR, PROVIDER_UNAVAILABLE, SEND_STATE_UNKNOWN,
                 TEMPLATE_PARAMETER_INVALID, PROVIDER_UNAVAILABLE_WAITING, PROVIDER_UNAVAILABLE_VALIDITY_EXPIRED,
                 DIRECT_SEND_REFUSED -> null;
        };
    }

    /** What a fallback went as: SMS, or the template (the held answer's invitation included). */
    private static String targetOf(OutcomeReason reason) {
        return switch (reason) {
            case WINDOW_CLOSED_SMS_FALLBACK, PROVIDER_WINDOW_CLOSED_SMS_FALLBACK, PROVIDER_UNDELIVERABLE_SMS_FALLBACK,
                 DELIVERY_FAILED_SMS_FALLBACK, PROVIDER_UNAVAILABLE_SMS_FALLBACK, DIRECT_SEND_REFUSED_SMS_FALLBACK -> "SMS";
            case WINDOW_CLOSED_DIRECT_SEND -> "DIRECT_SEND";
            default -> "TEMPLATE";
        };
    }

    /**
     * What became of a held answer: {@code held} (the invitation went out, HELD non-final), {@code released}
     * (HELD_ANSWER SENT), {@code failed} (HELD_ANSWER FAILED or REJECTED), {@code expired}, {@code cancelled}.
     */
    static Optional<String> heldResultOf(DispatchOutcome outcome) {
        return Optional.ofNullable(switch (outcome.getStatus()) {
            case HELD -> outcome.getFinal$() ? null : "held";
            case EXPIRED -> "expired";
            case CANCELLED -> "cancelled";
            case SENT -> stepOf(outcome) == SendStep.HELD_ANSWER ? "released" : null;
            case FAILED, REJECTED -> stepOf(outcome) == SendStep.HELD_ANSWER ? "failed" : null;
            case PENDING -> null;
        });
    }

    /** SMS outcomes that went out with a segment count (what the provider bills). */
    static boolean isSentSms(DispatchOutcome outcome) {
        return outcome.getChannel() == Channel.SMS && outcome.getStatus() == OutcomeStatus.SENT
                && outcome.getSmsSegments() != null;
    }

    static String channelOf(DispatchOutcome outcome) {
        return outcome.getChannel() == null ? "NONE" : outcome.getChannel().name();
    }

    private static SendStep stepOf(DispatchOutcome outcome) {
        return outcome.getStep() == null ? SendStep.REPLY : outcome.getStep();
    }

    /** no_phone, not_mobile, sms_too_long (or sms_unavailable) from a "SMS unavailable: ..." chain step; null without one. */
    private static String smsUnavailableCause(DispatchOutcome outcome) {
        if (outcome.getExplanation() == null) {
            return null;
        }
        return outcome.getExplanation().getFallbackChain().stream()
                .filter(step -> step.startsWith(SMS_UNAVAILABLE))
                .map(step -> step.substring(SMS_UNAVAILABLE.length()).toLowerCase(Locale.ROOT))
                .map(why -> why.contains("mobile") ? "not_mobile"
                        : why.contains("long") || why.contains("segment") ? "sms_too_long"
                        : why.contains("phone") ? "no_phone"
                        : "sms_unavailable")
                .findFirst()
                .orElse(null);
    }
}
