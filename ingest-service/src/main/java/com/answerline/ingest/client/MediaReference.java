package com.answerline.ingest.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What a customer's media id of a conversation refers to, as session-service answers it ({@code GET
 * /api/v1/conversations/{id}/media/{mediaId}}): the business number it was sent to (whose token fetches it from the
 * provider), its type, name and size when the webhook said, and the thread message that carries it.
 *
 * @param sizeBytes null when the webhook did not say
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MediaReference(String mediaId, String phoneNumberId, String mimeType, String fileName, Long sizeBytes,
                             String entryId) {
}
