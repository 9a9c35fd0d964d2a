package com.answerline.session.window;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import com.answerline.schemas.conversation.ConversationId;
import com.answerline.session.window.SessionEvent.Assignment;
import com.answerline.session.window.SessionEvent.CustomerMessage;
import com.answerline.session.window.SessionEvent.ReplyOutcome;

/**
 * The fold: one event applied to a conversation's session. Pure: no Kafka, no Spring, time comes in as
 * {@code now} (used for {@code updatedAt} only, never for the window).
 *
 * <p>Deduplication of redelivered events is the caller's job (it needs a store); given an event once, the
 * fold answers the next session, or empty when the event changes nothing. Every change increments the
 * version by exactly one.
 */
public final class SessionFold {

    private static final String DELIVERED = "SENT";

    private SessionFold() {
    }

    /**
     * Applies one event.
     *
     * @param current the session so far, null when the conversation is new
     * @param event   the event, already deduplicated
     * @param now     the processing time, recorded as {@code updatedAt}
     * @return the next session, or empty when nothing changes
     */
    public static Optional<Session> apply(Session current, SessionEvent event, Instant now) {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(now, "now");
        Session base = current != null ? current : Session.empty(event.tenantId(), event.conversationId(),
                phoneNumberIdOf(event));
        Optional<Session> next;
        if (event instanceof CustomerMessage message) {
            next = Optional.of(onCustomerMessage(base, message));
        } else if (event instanceof ReplyOutcome outcome) {
            next = Optional.of(onReplyOutcome(base, outcome));
        } else if (event instanceof Assignment assignment) {
            next = onAssignment(base, assignment);
        } else {
            throw new IllegalArgumentException("unknown event " + event.getClass());
        }
        return next.map(changed -> stamp(changed, base.version() + 1, now));
    }

    private static Session onCustomerMessage(Session s, CustomerMessage m) {
        Instant sentAt = m.sentAt();
        Instant lastCustomerMessageAt = s.lastCustomerMessageAt();
        Instant windowOpenedAt = s.windowOpenedAt();
        Instant windowExpiresAt = s.windowExpiresAt();
        boolean freeEntryPoint = s.freeEntryPoint();
        boolean expiringNotified = s.expiringNotified();
        boolean closedUnanswered = s.closedUnanswered();

        if (WindowRules.renewsWindow(m.channel())) {
            boolean opensNewWindow = windowExpiresAt == null || !sentAt.isBefore(windowExpiresAt);
            if (opensNewWindow) {
                // The previous window (if any) had closed when this message was sent: a fresh window starts.
                windowOpenedAt = sentAt;
                freeEntryPoint = m.fromAd();
                expiringNotified = false;
                closedUnanswered = false;
            } else if (sentAt.isBefore(windowOpenedAt)) {
                // A late message from just before the current window's first one: the window began earlier.
                windowOpenedAt = sentAt;
                freeEntryPoint = freeEntryPoint || m.fromAd();
            }
            // max(send times) + 24h: a late or out-of-order message never moves the end backwards.
            lastCustomerMessageAt = WindowRules.later(lastCustomerMessageAt, sentAt);
            windowExpiresAt = WindowRules.later(windowExpiresAt, WindowRules.expiresAt(lastCustomerMessageAt));
        }

        boolean newestInbound = s.lastInboundAt() == null || !sentAt.isBefore(s.lastInboundAt());
        return new Session(
                firstKnown(s.tenantId(), m.tenantId()),
                s.conversationId(),
                firstKnown(s.phoneNumberId(), m.phoneNumberId()),
                s.version(),
                latestKnown(s.customerPhone(), m.customerPhone(), newestInbound),
                latestKnown(s.customerBsuid(), m.customerBsuid(), newestInbound),
                latestKnown(s.customerProfileName(), m.customerProfileName(), newestInbound),
                lastCustomerMessageAt,
                windowOpenedAt,
                windowExpiresAt,
                freeEntryPoint,
                s.assigneeId(),
                s.assignedAt(),
                unansweredSince(s, sentAt),
                s.firstResponseMillis(),
                newestInbound ? m.channel() : s.lastInboundChannel(),
                newestInbound ? sentAt : s.lastInboundAt(),
                s.lastOutboundChannel(),
                s.lastOutboundOutcome(),
                s.lastOutboundAt(),
                s.inboundCount() + 1,
                s.outboundCount(),
                expiringNotified,
                closedUnanswered,
                s.updatedAt());
    }

    /** The first customer message not yet answered by a reply that went out. */
    private static Instant unansweredSince(Session s, Instant sentAt) {
        if (s.unansweredSince() != null) {
            return sentAt.isBefore(s.unansweredSince()) && !answeredAfter(s, sentAt) ? sentAt : s.unansweredSince();
        }
        return answeredAfter(s, sentAt) ? null : sentAt;
    }

    private static boolean answeredAfter(Session s, Instant sentAt) {
        return DELIVERED.equals(s.lastOutboundOutcome()) && s.lastOutboundAt() != null
                && !s.lastOutboundAt().isBefore(sentAt);
    }

    private static Session onReplyOutcome(Session s, ReplyOutcome o) {
        boolean newest = s.lastOutboundAt() == null || !o.occurredAt().isBefore(s.lastOutboundAt());
        Instant unansweredSince = s.unansweredSince();
        Long firstResponseMillis = s.firstResponseMillis();
        long outboundCount = s.outboundCount();
        if (o.delivered()) {
            outboundCount++;
            if (unansweredSince != null && !o.occurredAt().isBefore(unansweredSince)) {
                // Time to answer the current unanswered stretch; nothing we send touches the window.
                firstResponseMillis = Duration.between(unansweredSince, o.occurredAt()).toMillis();
                unansweredSince = null;
            }
        }
        return new Session(firstKnown(s.tenantId(), o.tenantId()), s.conversationId(), s.phoneNumberId(),
                s.version(), s.customerPhone(), s.customerBsuid(), s.customerProfileName(),
                s.lastCustomerMessageAt(), s.windowOpenedAt(), s.windowExpiresAt(), s.freeEntryPoint(),
                s.assigneeId(), s.assignedAt(), unansweredSince, firstResponseMillis, s.lastInboundChannel(),
                s.lastInboundAt(),
                newest && o.channel() != null ? o.channel() : s.lastOutboundChannel(),
                newest ? o.status() : s.lastOutboundOutcome(),
                newest ? o.occurredAt() : s.lastOutboundAt(),
                s.inboundCount(), outboundCount, s.expiringNotified(), s.closedUnanswered(), s.updatedAt());
    }

    private static Optional<Session> onAssignment(Session s, Assignment a) {
        boolean stale = s.assignedAt() != null && a.changedAt().isBefore(s.assignedAt());
        if (stale || (s.version() > 0 && Objects.equals(s.assigneeId(), a.assigneeId()))) {
            return Optional.empty();
        }
        return Optional.of(new Session(firstKnown(s.tenantId(), a.tenantId()), s.conversationId(),
                s.phoneNumberId(), s.version(), s.customerPhone(), s.customerBsuid(), s.customerProfileName(),
                s.lastCustomerMessageAt(), s.windowOpenedAt(), s.windowExpiresAt(), s.freeEntryPoint(),
                a.assigneeId(), a.changedAt(), s.unansweredSince(), s.firstResponseMillis(),
                s.lastInboundChannel(), s.lastInboundAt(), s.lastOutboundChannel(), s.lastOutboundOutcome(),
                s.lastOutboundAt(), s.inboundCount(), s.outboundCount(), s.expiringNotified(),
                s.closedUnanswered(), s.updatedAt()));
    }

    private static Session stamp(Session s, long version, Instant now) {
        return new Session(s.tenantId(), s.conversationId(), s.phoneNumberId(), version, s.customerPhone(),
                s.customerBsuid(), s.customerProfileName(), s.lastCustomerMessageAt(), s.windowOpenedAt(),
                s.windowExpiresAt(), s.freeEntryPoint(), s.assigneeId(), s.assignedAt(), s.unansweredSince(),
                s.firstResponseMillis(), s.lastInboundChannel(), s.lastInboundAt(), s.lastOutboundChannel(),
                s.lastOutboundOutcome(), s.lastOutboundAt(), s.inboundCount(), s.outboundCount(),
                s.expiringNotified(), s.closedUnanswered(), now);
    }

    private static String phoneNumberIdOf(SessionEvent event) {
        if (event instanceof CustomerMessage m && m.phoneNumberId() != null) {
            return m.phoneNumberId();
        }
        return ConversationId.parse(event.conversationId()).phoneNumberId();
    }

    private static String firstKnown(String current, String candidate) {
        return current != null ? current : candidate;
    }

    /** Identifiers seen later win, but a message that carries none (username-only) never erases one. */
    private static String latestKnown(String current, String candidate, boolean newest) {
        if (candidate == null || candidate.isBlank()) {
            return current;
        }
        return current == null || newest ? candidate : current;
    }
}
