package com.answerline.dispatch.decision;

import java.time.Instant;

/**
 * The parts of a conversation's session state the decision needs.
 *
 * @param windowExpiresAt end of the customer-service window (last customer message + 24 h); null when no
 *                        WhatsApp message from the customer was ever seen
 */
public record SessionSnapshot(long version, String phoneNumberId, String customerPhone, String customerBsuid,
                              String customerProfileName, Instant windowExpiresAt) {
}
