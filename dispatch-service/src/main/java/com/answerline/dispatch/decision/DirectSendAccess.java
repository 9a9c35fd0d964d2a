package com.answerline.dispatch.decision;

import java.time.Instant;
import java.util.Optional;

/**
 * Whether a business number may use WhatsApp Direct Send now, as WhatsApp last answered: a number whose Direct Send
 * was refused (100 "Direct Send isn't enabled for this account", 139200 "Direct Send utility or authentication access
 * is blocked") is not tried again until an operator re-enables it or its re-check time passes. The decision reads it
 * ({@link ChannelDecider}); the sender records the refusals (its implementation is shared by every dispatch instance).
 */
@FunctionalInterface
public interface DirectSendAccess {

    /** WhatsApp's "Direct Send isn't enabled for this account" (an ineligible business). */
    int NOT_ENABLED_CODE = 100;
    /** WhatsApp's "Direct Send utility or authentication access is blocked" (the business lost access). */
    int BLOCKED_CODE = 139200;

    /**
     * The refusal that keeps this number from Direct Send at {@code now}, or empty when it may try.
     *
     * @param phoneNumberId the business number (Cloud API phone_number_id)
     */
    Optional<Refusal> refusal(String phoneNumberId, Instant now);

    /**
     * A refusal in force.
     *
     * @param code      100 (not enabled) or 139200 (blocked)
     * @param refusedAt when WhatsApp refused
     * @param recheckAt when Direct Send may be tried again by itself; null: only when an operator re-enables it
     */
    record Refusal(int code, Instant refusedAt, Instant recheckAt) {

        public boolean blocked() {
            return code == BLOCKED_CODE;
        }
    }

    /** No refusal known (a deployment or a test without the shared record). */
    static DirectSendAccess unrefused() {
        return (phoneNumberId, now) -> Optional.empty();
    }
}
