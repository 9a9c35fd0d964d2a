package com.answerline.ingest.client;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What dispatch-service would do with a text reply right now ({@code POST /api/v1/channel-preview}), shown to
 * the agent as is.
 *
 * @param channel        WHATSAPP, WHATSAPP_TEMPLATE, SMS, or NONE when the reply would be rejected
 * @param reason         the reason dispatch would put on the outcome (WINDOW_OPEN, WINDOW_CLOSED_SMS_FALLBACK, ...)
 * @param outcome        SEND, HOLD or REJECT
 * @param windowOpen     dispatch's view: a window inside its safety margin already counts as closed
 * @param timeLeftMillis negative once expired; null when no window was ever open
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReplyPreview(String channel, String reason, String outcome, String waitsFor, boolean windowOpen,
                           String windowState, Instant windowExpiresAt, Long timeLeftMillis, String policy,
                           Long sessionVersion, List<String> fallbackChain, List<String> alternatives) {
}
