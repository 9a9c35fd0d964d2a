package com.answerline.ingest.config;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * {@code GET /api/v1/conversations/{id}/media/{mediaId}}.
 *
 * @param maxSize the largest file the gateway streams to an agent (WhatsApp's largest media, a document, is 100 MB);
 *                a larger one is answered 502 (when the provider announces the size) or cut off there
 */
@Validated
@ConfigurationProperties("answerline.ingest.media")
public record MediaProperties(@NotNull DataSize maxSize) {
}
