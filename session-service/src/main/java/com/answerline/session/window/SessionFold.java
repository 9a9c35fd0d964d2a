package com.answerline.session.window;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

import com.answerline.schemas.conversation.ConversationId;
import com.answerline.session.window.SessionEvent.Assignment;
import com.answerline.session.window.SessionEvent.CustomerMessage;
import com.answerline.session.window.SessionEvent.DeliveryUpdate;
import com.answerline.session.window.SessionEvent.ReplyOutcome;

/**
 * The fold: one event applied to a conversation's session. Pure: no Kafka, no Spring, time comes in as
 * {@code now} (used for {@code updatedAt} only, never for the window).
 *
 * <p>Deduplication of redelivered events is the caller's job (it needs a store); given an event once, the
 * fold answers the next session, or empty when the event changes nothing. Every change increments the
 * version by exactly one.
 *
 * <p>Delivery statuses ({@link DeliveryUpdate}) of the last outbound message (matched by its provider message id,
 * which {@link LastOutbound} keeps) refine its {@link OutboundStatus}: {@code SENT} (from dispatch) &lt;
 * {@code DELIVERED} &lt; {@code READ} &lt; {@code FAILED} (with the provider's error code), and only upwards:
 * statuses arrive out of order, a late "delivered" after "read" changes nothing, and a failure is final. SENT,
 * DELIVERED and READ count as an answer; a failure does not. Statuses of older messages change nothing.
 */
public final class SessionFold {

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
        } else if (event instanceof DeliveryUpdate update) {
            next = onDeliveryUpdate(base, update);
        } else {
            throw new IllegalArgumentException("unknown event " + event.getClass());
        }
        return next.map(changed -> changed.toBuilder().version(base.version() + 1).updatedAt(now).build());
    }

    private static Session onCustomerMessage(Session s, CustomerMessage m) {
        Instant sentAt = m.sentAt();
        Session.Builder next = s.toBuilder();

        if (WindowRules.renewsWindow(m.channel())) {
            boolean opensNewWindow = s.windowExpiresAt() == null || !sentAt.isBefore(s.windowExpiresAt());
            if (opensNewWindow) {
                // The previous window (if any) had closed when this message was sent: a fresh window starts.
                next.windowOpenedAt(sentAt)
                        .freeEntryPoint(m.fromAd())
                        .expiringNotified(false)
                        .closedUnanswered(false);
            } else if (sentAt.isBefore(s.windowOpenedAt())) {
                // A late message from just before the current window's first one: the window began earlier.
                next.windowOpenedAt(sentAt).freeEntryPoint(s.freeEntryPoint() || m.fromAd());
            }
            // max(send times) + 24h: a late or out-of-order message never moves the end backwards.
            Instant lastCustomerMessageAt = WindowRules.later(s.lastCustomerMessageAt(), sentAt);
            Instant expiresAt = WindowRules.later(s.windowExpiresAt(), WindowRules.expiresAt(lastCustomerMessageAt));
            next.lastCustomerMessageAt(lastCustomerMessageAt).windowExpiresAt(expiresAt);
            if (!opensNewWindow && !expiresAt.equals(s.windowExpiresAt())) {
                // A renewal moves the end: a warning given for the old end no longer holds, the new end gets one.
                next.expiringNotified(false);
            }
        }

        boolean newestInbound = s.lastInboundAt() == null || !sentAt.isBefore(s.lastInboundAt());
        if (newestInbound) {
            next.lastInboundChannel(m.channel()).lastInboundAt(sentAt);
        }
        return next.tenantId(firstKnown(s.tenantId(), m.tenantId()))
                .phoneNumberId(firstKnown(s.phoneNumberId(), m.phoneNumberId()))
                .customerPhone(latestKnown(s.customerPhone(), m.customerPhone(), newestInbound))
                .customerBsuid(latestKnown(s.customerBsuid(), m.customerBsuid(), newestInbound))
                .customerProfileName(latestKnown(s.customerProfileName(), m.customerProfileName(), newestInbound))
                .unansweredSince(unansweredSince(s, sentAt))
                .inboundCount(s.inboundCount() + 1)
                .build();
    }

    /** The first customer message not yet answered by a reply that went out. */
    private static Instant unansweredSince(Session s, Instant sentAt) {
        if (s.unansweredSince() != null) {
            return sentAt.isBefore(s.unansweredSince()) && !answeredAfter(s, sentAt) ? sentAt : s.unansweredSince();
        }
        return answeredAfter(s, sentAt) ? null : sentAt;
    }

    private static boolean answeredAfter(Session s, Instant sentAt) {
        LastOutbound last = s.lastOutbound();
        return last != null && last.status().answers() && !last.at().isBefore(sentAt);
    }

    private static Session onReplyOutcome(Session s, ReplyOutcome o) {
        Session.Builder next = s.toBuilder().tenantId(firstKnown(s.tenantId(), o.tenantId()));
        Instant answeredSince = null;
        if (o.delivered()) {
            next.outboundCount(s.outboundCount() + 1);
            if (s.unansweredSince() != null && !o.occurredAt().isBefore(s.unansweredSince())) {
                // Time to answer the current unanswered stretch; nothing we send touches the window.
                answeredSince = s.unansweredSince();
                next.firstResponseMillis(Duration.between(answeredSince, o.occurredAt()).toMillis())
                        .unansweredSince(null);
            }
        }
        LastOutbound last = s.lastOutbound();
        if (last == null || !o.occurredAt().isBefore(last.at())) {
            Channel channel = o.channel() != null ? o.channel() : last == null ? null : last.channel();
            next.lastOutbound(new LastOutbound(o.commandId(), channel, o.status(), o.errorCode(),
                    o.delivered() ? o.providerMessageId() : null, o.occurredAt(), answeredSince));
        }
        return next.build();
    }

    /**
     * A provider status of the session's last outbound message. The window never moves (our own message).
     *
     * <p>A failure of a reply that had cleared {@code unansweredSince} (typically a late {@code 131047}: WhatsApp
     * processed the reply after the window had closed) re-opens that unanswered stretch: the customer never got
     * the answer, so counting it would report an SLA met that was not. {@code unansweredSince} goes back to the
     * stretch's start (or stays at an earlier one), {@code firstResponseMillis} that the reply recorded is withdrawn
     * (null: no answered stretch to report), and the answer that does reach the customer, e.g. the SMS fallback
     * dispatch sends on 131047 (a new SENT outcome), clears it again with the true response time. When the
     * failure happened at or after the window's end, the window closed unanswered: {@code closedUnanswered} is
     * set even if CLOSED was already announced as answered (that announcement is not repeated).
     * {@code outboundCount} keeps counting what the provider accepted.
     */
    private static Optional<Session> onDeliveryUpdate(Session s, DeliveryUpdate u) {
        LastOutbound last = s.lastOutbound();
        OutboundStatus status = OutboundStatus.ofDelivery(u.status());
        if (last == null || !last.isMessage(u.providerMessageId()) || status == null
                || status.rank() <= last.status().rank()) {
            return Optional.empty();
        }
        boolean failed = status == OutboundStatus.FAILED;
        Session.Builder next = s.toBuilder().lastOutbound(last.withStatus(status, failed ? u.errorCode() : null));
        if (failed && last.answeredSince() != null) {
            Instant reopened = WindowRules.earlier(s.unansweredSince(), last.answeredSince());
            next.unansweredSince(reopened).firstResponseMillis(null);
            Instant end = s.windowExpiresAt();
            if (end != null && reopened.isBefore(end) && !u.occurredAt().isBefore(end)) {
                next.closedUnanswered(true);
            }
        }
        return Optional.of(next.build());
    }

    private static Optional<Session> onAssignment(Session s, Assignment a) {
        boolean stale = s.assignedAt() != null && a.changedAt().isBefore(s.assignedAt());
        if (stale || (s.version() > 0 && Objects.equals(s.assigneeId(), a.assigneeId()))) {
            return Optional.empty();
        }
        return Optional.of(s.toBuilder()
                .tenantId(firstKnown(s.tenantId(), a.tenantId()))
                .assigneeId(a.assigneeId())
                .assignedAt(a.changedAt())
                .build());
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
