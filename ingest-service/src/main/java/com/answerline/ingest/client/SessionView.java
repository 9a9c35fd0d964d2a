package com.answerline.ingest.client;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A conversation's session as session-service answers it ({@code GET /api/v1/conversations/...}); the wire
 * contract, mapped to the gateway's own views at the edge. Channels stay strings: a channel session-service
 * adds later must not make the gateway's read fail.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SessionView(
        String conversationId,
        String tenantId,
        String phoneNumberId,
        long version,
        boolean windowOpen,
        Instant windowOpenedAt,
        Instant windowExpiresAt,
        Instant lastCustomerMessageAt,
        boolean freeEntryPoint,
        String customerPhone,
        String customerBsuid,
        String customerProfileName,
        String assigneeId,
        Instant assignedAt,
        Instant unansweredSince,
        Long firstResponseMillis,
        String lastInboundChannel,
        Instant lastInboundAt,
        String lastOutboundChannel,
        String lastOutboundOutcome,
        Instant lastOutboundAt,
        long inboundCount,
        long outboundCount,
        boolean closedUnanswered,
        Instant updatedAt) {
}
