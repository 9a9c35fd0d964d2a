package com.answerline.sandbox.whatsapp;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * WhatsApp's customer-service window: free-form messages are allowed only until 24 h after the
 * customer's latest message (by its send time). A customer who never wrote has no window.
 */
public record ServiceWindow(Duration length) {

    public boolean allowsFreeForm(Optional<Instant> lastCustomerMessage, Instant now) {
        return lastCustomerMessage.map(last -> now.isBefore(last.plus(length))).orElse(false);
    }
}
