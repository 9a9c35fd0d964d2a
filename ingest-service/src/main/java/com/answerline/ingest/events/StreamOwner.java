package com.answerline.ingest.events;

import java.time.Instant;

/**
 * Whose event stream it is, from the token that opened it: the tenant whose events it carries, the agent (the token's
 * {@code sub}) it is counted against, and when the token expires, which is when the stream ends.
 *
 * @param tokenExpiresAt the token's {@code exp}; null only for a token without one (the decoder requires it)
 */
public record StreamOwner(String tenantId, String agentId, Instant tokenExpiresAt) {
}
