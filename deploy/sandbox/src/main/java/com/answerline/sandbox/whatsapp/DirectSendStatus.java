package com.answerline.sandbox.whatsapp;

import java.util.Optional;

/**
 * Whether a business number's WhatsApp Business Account may use Direct Send (utility messages outside the
 * customer-service window without a pre-approved template): eligible, never enabled (error 100), or access blocked
 * (error 139200, the business lost it).
 */
public enum DirectSendStatus {
    ENABLED, NOT_ENABLED, BLOCKED;

    /** The synchronous refusal of a Direct Send under this status; empty when it may go. */
    public Optional<CloudApiError> refusal() {
        return switch (this) {
            case ENABLED -> Optional.empty();
            case NOT_ENABLED -> Optional.of(CloudApiError.directSendNotEnabled());
            case BLOCKED -> Optional.of(CloudApiError.directSendBlocked());
        };
    }
}
