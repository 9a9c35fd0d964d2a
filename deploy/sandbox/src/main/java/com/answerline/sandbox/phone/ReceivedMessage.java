package com.answerline.sandbox.phone;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;

/**
 * One message as the customer's phone shows it (a template already rendered); {@code category} the message's pricing
 * category as WhatsApp names it ({@code UTILITY} for a Direct Send, the template's for a template), absent otherwise.
 */
public record ReceivedMessage(
        PhoneChannel channel, String from, String text, String providerMessageId, Instant receivedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) String category) {

    /** A message without a category: free-form WhatsApp, SMS. */
    public ReceivedMessage(PhoneChannel channel, String from, String text, String providerMessageId, Instant receivedAt) {
        this(channel, from, text, providerMessageId, receivedAt, null);
    }
}
