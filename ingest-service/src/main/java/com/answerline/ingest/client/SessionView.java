package com.answerline.ingest.client;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A conversation's session as session-service answers it ({@code GET /api/v1/conversations/...}); the wire
 * contract, mapped to the gateway's own views at the edge. Channels and states stay strings: a value session-service
 * adds later must not make the gateway's read fail. The window fields ({@code windowOpen}, {@code windowState},
 * {@code windowSecondsLeft}) are session's, computed at its read with the deployment's safety margin: the gateway
 * forwards them and computes nothing of its own.
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
        Instant updatedAt,
        String windowState,
        Long windowSecondsLeft,
        Outbound lastOutbound) {

    /**
     * The conversation's last outbound message as session-service keeps it.
     *
     * @param status    SENT, DELIVERED, READ, FAILED (with {@code errorCode}), or dispatch's REJECTED, HELD, ...
     * @param errorCode the provider's code of a failure, e.g. 131047
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Outbound(String commandId, String channel, String status, Integer errorCode, Instant at) {
    }
}
