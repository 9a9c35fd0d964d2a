package com.answerline.session.window;

import java.time.Instant;

/**
 * The folded state of one conversation: the customer-service window and its service-level facts.
 * Immutable; the fold returns a new one for every change. Nullable fields are unknown / not yet happened.
 */
public record Session(
        String tenantId,
        String conversationId,
        String phoneNumberId,
        long version,
        String customerPhone,
        String customerBsuid,
        String customerProfileName,
        Instant lastCustomerMessageAt,
        Instant windowOpenedAt,
        Instant windowExpiresAt,
        boolean freeEntryPoint,
        String assigneeId,
        Instant assignedAt,
        Instant unansweredSince,
        Long firstResponseMillis,
        Channel lastInboundChannel,
        Instant lastInboundAt,
        Channel lastOutboundChannel,
        String lastOutboundOutcome,
        Instant lastOutboundAt,
        long inboundCount,
        long outboundCount,
        boolean expiringNotified,
        boolean closedUnanswered,
        Instant updatedAt) {

    /** A conversation nobody has seen yet: version 0, nothing known. */
    public static Session empty(String tenantId, String conversationId, String phoneNumberId) {
        return new Session(tenantId, conversationId, phoneNumberId, 0, null, null, null, null, null, null, false,
                null, null, null, null, null, null, null, null, null, 0, 0, false, false, null);
    }

    /** True while free-form messages may be sent at {@code now}. */
    public boolean windowOpenAt(Instant now) {
        return WindowRules.isOpen(windowExpiresAt, now);
    }
}
