package com.answerline.session.query;

import java.time.Duration;
import java.time.Instant;

import com.answerline.avro.WindowState;
import com.answerline.schemas.window.ServiceWindow;
import com.answerline.session.window.Channel;
import com.answerline.session.window.LastOutbound;
import com.answerline.session.window.OutboundStatus;
import com.answerline.session.window.Session;

/**
 * A conversation's session as the API shows it, with the window computed at query time (the stored state only knows
 * when it ends) by the contracts' {@link ServiceWindow}: {@code windowOpen} is WhatsApp's rule, {@code windowState}
 * says OPEN / CLOSING (within the safety margin: a free-form reply goes by a fallback) / CLOSED / NEVER_OPENED, and
 * the gateway forwards these fields instead of computing its own. The JSON of {@code GET /api/v1/conversations/{id}} and of the
 * list's items; instances also read it back from each other when a list is gathered, so it is a wire contract
 * (the gateway's client reads it): add fields, never rename or remove one.
 *
 * <p>{@code lastOutboundChannel}, {@code lastOutboundOutcome} (now the status name alone, e.g. FAILED) and
 * {@code lastOutboundAt} are kept for readers of the earlier contract; {@code lastOutbound} has the error code too.
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
        Instant updatedAt,
        WindowState windowState,
        Long windowSecondsLeft,
        Outbound lastOutbound) {

    /**
     * The last outbound message: where it stands (SENT, DELIVERED, READ, FAILED with the provider's code, or
     * dispatch's REJECTED, HELD, ...).
     */
    public record Outbound(String commandId, Channel channel, OutboundStatus status, Integer errorCode, Instant at) {
    }

    /** The session as seen at {@code now}, the window counted with the deployment's safety margin. */
    public static SessionView of(Session s, Instant now, Duration safetyMargin) {
        ServiceWindow window = ServiceWindow.at(s.windowExpiresAt(), now, safetyMargin);
        LastOutbound last = s.lastOutbound();
        return new SessionView(s.conversationId(), s.tenantId(), s.phoneNumberId(), s.version(),
                window.open(), s.windowOpenedAt(), s.windowExpiresAt(), s.lastCustomerMessageAt(),
                s.freeEntryPoint(), s.customerPhone(), s.customerBsuid(), s.customerProfileName(), s.assigneeId(),
                s.assignedAt(), s.unansweredSince(), s.firstResponseMillis(), s.lastInboundChannel(),
                s.lastInboundAt(), last == null ? null : last.channel(), last == null ? null : last.status().name(),
                s.lastOutboundAt(), s.inboundCount(), s.outboundCount(), s.closedUnanswered(), s.updatedAt(),
                window.state(), window.secondsLeft(),
                last == null ? null : new Outbound(last.commandId(), last.channel(), last.status(), last.errorCode(),
                        last.at()));
    }
}
