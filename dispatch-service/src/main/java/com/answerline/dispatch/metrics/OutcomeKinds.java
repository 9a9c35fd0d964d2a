package com.answerline.dispatch.metrics;

import java.util.Locale;
import java.util.Optional;

import com.answerline.avro.Channel;
import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.SendStep;
import com.answerline.dispatch.decision.ChannelDecider;

/**
 * What an outcome means for the metrics of issue 5 section 8: pure functions of one {@link DispatchOutcome}, so the
 * rules are read and tested in one place. Reasons are matched by the prefixes of the contract
 * (WINDOW_CLOSED_*_FALLBACK, PROVIDER_WINDOW_CLOSED_*, PROVIDER_UNDELIVERABLE_*, DELIVERY_FAILED_*), so a reason
 * added later in that family is classified without a change here.
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
     * HOLD_INVITATION exclude each other), once the republished duplicates are dropped.
     */
    static boolean isDecision(DispatchOutcome outcome) {
        SendStep step = stepOf(outcome);
        OutcomeStatus status = outcome.getStatus();
        return (step == SendStep.REPLY || step == SendStep.HOLD_INVITATION)
                && status != OutcomeStatus.PENDING && status != OutcomeStatus.EXPIRED && status != OutcomeStatus.CANCELLED
                && (outcome.getFinal$() || status == OutcomeStatus.HELD);
    }

    /**
     * The fallback an outcome records, if any, whether it then went out or not (its status is in
     * {@code answerline.dispatch.outcomes}). A "SMS unavailable: ..." step in the chain is the more specific
     * cause (no_phone, not_mobile, sms_too_long): the policy asked for SMS and the customer got a template.
     */
    static Optional<Fallback> fallbackOf(DispatchOutcome outcome) {
        String reason = outcome.getReason();
        if (outcome.getStatus() == OutcomeStatus.PENDING || reason == null) {
            return Optional.empty();
        }
        String cause;
        if (reason.startsWith("PROVIDER_WINDOW_CLOSED_")) {
            cause = "provider_window_closed";
        } else if (reason.startsWith("PROVIDER_UNDELIVERABLE_")) {
            cause = "provider_undeliverable";
        } else if (reason.startsWith("DELIVERY_FAILED_")) {
            cause = "delivery_failed";
        } else if (reason.equals(ChannelDecider.UNKNOWN_CONVERSATION_TEMPLATE)) {
            cause = "unknown_conversation";
        } else if (reason.startsWith("WINDOW_CLOSED_") && (reason.endsWith("_FALLBACK") || reason.endsWith("_HELD"))) {
            cause = "window_closed";
        } else {
            return Optional.empty();
        }
        String smsUnavailable = smsUnavailableCause(outcome);
        return Optional.of(new Fallback(smsUnavailable != null ? smsUnavailable : cause, targetOf(outcome)));
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

    private static String targetOf(DispatchOutcome outcome) {
        String reason = outcome.getReason();
        if (reason.endsWith("_SMS_FALLBACK")) {
            return "SMS";
        }
        if (reason.endsWith("_TEMPLATE_FALLBACK") || reason.endsWith("_TEMPLATE") || reason.endsWith("_HELD")) {
            return "TEMPLATE";
        }
        return outcome.getChannel() == Channel.SMS ? "SMS" : "TEMPLATE";
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
