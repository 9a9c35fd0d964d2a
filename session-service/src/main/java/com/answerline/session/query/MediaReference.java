package com.answerline.session.query;

/**
 * What a customer's media id of a conversation refers to: enough for the gateway to fetch it from the provider on the
 * business number it was sent to, and to name it.
 *
 * @param sizeBytes null when the webhook did not say
 * @param entryId   the thread message that carries it
 */
public record MediaReference(String mediaId, String phoneNumberId, String mimeType, String fileName, Long sizeBytes,
                             String entryId) {
}
