package com.answerline.ingest.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A media id of a conversation's thread as session-service answers it
 * ({@code GET /api/v1/conversations/{id}/media/{mediaId}?tenantId=}): the business number it came to, what the
 * message said of it (type, file name, size; null when the provider did not say) and the thread entry that carries it.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MediaReference(String mediaId, String phoneNumberId, String mimeType, String fileName, Long sizeBytes,
                             String entryId) {
}
