package com.answerline.session.query;

import java.time.Instant;

import com.answerline.session.window.Channel;
import com.answerline.session.window.Session;

/**
 * A conversation's session as the API shows it, with {@code windowOpen} computed at query time: the
 * stored state only knows when the window ends. The JSON of {@code GET /api/v1/conversations/{id}} and of the
 * list's items; instances also read it back from each other when a list is gathered, so it is a wire contract
 * (the gateway's client reads it): add fields, never rename or remove one.
 */
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
        Channel lastInboundChannel,
        Instant lastInboundAt,
        Channel lastOutboundChannel,
        String lastOutboundOutcome,
        Instant lastOutboundAt,
        long inboundCount,
        long outboundCount,
        boolean closedUnanswered,
        Instant updatedAt) {

    /** The session as seen at {@code now}. */
    public static SessionView of(Session s, Instant now) {
        return new SessionView(s.conversationId(), s.tenantId(), s.phoneNumberId(), s.version(),
                s.windowOpenAt(now), s.windowOpenedAt(), s.windowExpiresAt(), s.lastCustomerMessageAt(),
                s.freeEntryPoint(), s.customerPhone(), s.customerBsuid(), s.customerProfileName(), s.assigneeId(),
                s.assignedAt(), s.unansweredSince(), s.firstResponseMillis(), s.lastInboundChannel(),
                s.lastInboundAt(), s.lastOutboundChannel(), s.lastOutboundOutcome(), s.lastOutboundAt(),
                s.inboundCount(), s.outboundCount(), s.closedUnanswered(), s.updatedAt());
    }
}
