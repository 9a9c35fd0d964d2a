package com.answerline.sandbox.phone;

import java.time.Instant;

/** One message as the customer's phone shows it (a template already rendered). */
public record ReceivedMessage(
        PhoneChannel channel, String from, String text, String providerMessageId, Instant receivedAt) {
}
