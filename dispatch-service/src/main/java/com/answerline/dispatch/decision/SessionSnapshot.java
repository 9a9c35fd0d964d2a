package com.answerline.dispatch.decision;

import java.time.Instant;

/**
 * The parts of a conversation's session state the decision needs.
 *
 * @param windowExpiresAt end of the customer-service window (last customer message + 24 h); null when no
 *                        WhatsApp message from the customer was ever seen
 * @param freeEntryPoint  the current window was opened by a message from an ad or Page referral (pricing only, see
 *                        {@link FreeEntryPoint})
 * @param windowOpenedAt  the send time of the message that opened the current window; null when none
 * @param unansweredSince the first customer message no SENT reply answered yet; null when all are answered
 */
public record SessionSnapshot(long version, String phoneNumberId, String customerPhone, String customerBsuid,
                              String customerProfileName, Instant windowExpiresAt, boolean freeEntryPoint,
                              Instant windowOpenedAt, Instant unansweredSince) {

    /** A session without a free entry point (a window not opened from an ad, or unknown). */
    public SessionSnapshot(long version, String phoneNumberId, String customerPhone, String customerBsuid,
                           String customerProfileName, Instant windowExpiresAt) {
        this(version, phoneNumberId, customerPhone, customerBsuid, customerProfileName, windowExpiresAt, false, null,
                null);
    }
}
