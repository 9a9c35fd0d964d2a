package com.answerline.session.topology;

import java.time.Instant;
import java.util.Arrays;

import com.answerline.avro.AssignmentChanged;
import com.answerline.avro.DeliveryStatus;
import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.InboundMessage;
import com.answerline.avro.SessionState;
import com.answerline.avro.WindowEvent;
import com.answerline.avro.WindowEventType;
import com.answerline.session.window.Channel;
import com.answerline.session.window.LastOutbound;
import com.answerline.session.window.OutboundStatus;
import com.answerline.session.window.Session;
import com.answerline.session.window.SessionEvent;
import com.answerline.session.window.WindowChange;

/** Translates between the Avro wire types and the fold's domain records; the only place that knows both. */
public final class WireMapping {

    private WireMapping() {
    }

    static SessionEvent.CustomerMessage toEvent(InboundMessage m) {
        return new SessionEvent.CustomerMessage(m.getTenantId(), m.getConversationId(), m.getPhoneNumberId(),
                channel(m.getChannel()), m.getMessageId(), m.getSentAt(), m.getCustomerPhone(),
                m.getCustomerBsuid(), m.getCustomerProfileName(), m.getReferral() != null);
    }

    static SessionEvent.ReplyOutcome toEvent(DispatchOutcome o) {
        return new SessionEvent.ReplyOutcome(o.getTenantId(), o.getConversationId(), o.getCommandId(),
                OutboundStatus.valueOf(o.getStatus().name()), channel(o.getChannel()), o.getFinal$(),
                o.getOccurredAt(), o.getProviderMessageId(), o.getErrorCode());
    }

    static SessionEvent.DeliveryUpdate toEvent(DeliveryStatus d) {
        Integer errorCode = d.getErrors().isEmpty() ? null : d.getErrors().get(0).getCode();
        return new SessionEvent.DeliveryUpdate(d.getTenantId(), d.getConversationId(), d.getProviderMessageId(),
                d.getStatus().name(), errorCode, d.getOccurredAt());
    }

    static SessionEvent.Assignment toEvent(AssignmentChanged a) {
        return new SessionEvent.Assignment(a.getTenantId(), a.getConversationId(), a.getAssigneeId(),
                a.getChangedAt());
    }

    public static Session toSession(SessionState s) {
        if (s == null) {
            return null;
        }
        return new Session(s.getTenantId(), s.getConversationId(), s.getPhoneNumberId(), s.getVersion(),
                s.getCustomerPhone(), s.getCustomerBsuid(), s.getCustomerProfileName(),
                s.getLastCustomerMessageAt(), s.getWindowOpenedAt(), s.getWindowExpiresAt(), s.getFreeEntryPoint(),
                s.getAssigneeId(), s.getAssignedAt(), s.getUnansweredSince(), s.getFirstResponseMillis(),
                channel(s.getLastInboundChannel()), s.getLastInboundAt(), lastOutbound(s), s.getInboundCount(),
                s.getOutboundCount(),
                s.getExpiringNotified(), s.getClosedUnanswered(), s.getUpdatedAt());
    }

    static SessionState toState(Session s) {
        return SessionState.newBuilder()
                .setTenantId(s.tenantId())
                .setConversationId(s.conversationId())
                .setPhoneNumberId(s.phoneNumberId())
                .setVersion(s.version())
                .setCustomerPhone(s.customerPhone())
                .setCustomerBsuid(s.customerBsuid())
                .setCustomerProfileName(s.customerProfileName())
                .setLastCustomerMessageAt(s.lastCustomerMessageAt())
                .setWindowOpenedAt(s.windowOpenedAt())
                .setWindowExpiresAt(s.windowExpiresAt())
                .setFreeEntryPoint(s.freeEntryPoint())
                .setAssigneeId(s.assigneeId())
                .setAssignedAt(s.assignedAt())
                .setUnansweredSince(s.unansweredSince())
                .setFirstResponseMillis(s.firstResponseMillis())
                .setLastInboundChannel(channel(s.lastInboundChannel()))
                .setLastInboundAt(s.lastInboundAt())
                .setLastOutbound(lastOutbound(s.lastOutbound()))
                .setInboundCount(s.inboundCount())
                .setOutboundCount(s.outboundCount())
                .setExpiringNotified(s.expiringNotified())
                .setClosedUnanswered(s.closedUnanswered())
                .setUpdatedAt(s.updatedAt() != null ? s.updatedAt() : Instant.EPOCH)
                .build();
    }

    private static com.answerline.avro.LastOutbound lastOutbound(LastOutbound o) {
        if (o == null) {
            return null;
        }
        return com.answerline.avro.LastOutbound.newBuilder()
                .setCommandId(o.commandId())
                .setChannel(channel(o.channel()))
                .setStatus(com.answerline.avro.OutboundStatus.valueOf(o.status().name()))
                .setErrorCode(o.errorCode())
                .setProviderMessageId(o.providerMessageId())
                .setAt(o.at())
                .setAnsweredSince(o.answeredSince())
                .build();
    }

    /**
     * The session's last outbound message; from the deprecated top-level fields when the state was written before
     * {@code lastOutbound} existed (the one place that reads them: they are never written again). Such a migrated
     * message has no provider id, so later statuses of it change nothing.
     */
    static LastOutbound lastOutbound(SessionState s) {
        com.answerline.avro.LastOutbound o = s.getLastOutbound();
        if (o != null) {
            return new LastOutbound(o.getCommandId(), channel(o.getChannel()), OutboundStatus.valueOf(o.getStatus().name()),
                    o.getErrorCode(), o.getProviderMessageId(), o.getAt(), o.getAnsweredSince());
        }
        if (s.getLastOutboundAt() == null || s.getLastOutboundOutcome() == null) {
            return null;
        }
        // Written as SENT, DELIVERED, READ, a dispatch status, or FAILED:<code> / UNDELIVERED:<code> for failures.
        String[] legacy = s.getLastOutboundOutcome().split(":", 2);
        OutboundStatus status = OutboundStatus.ofDelivery(legacy[0]);
        if (status == null) {
            status = Arrays.stream(OutboundStatus.values()).filter(v -> v.name().equals(legacy[0])).findFirst()
                    .orElse(OutboundStatus.UNKNOWN);
        }
        Integer errorCode = legacy.length == 2 && legacy[1].matches("\\d{1,9}") ? Integer.valueOf(legacy[1]) : null;
        return new LastOutbound(null, channel(s.getLastOutboundChannel()), status, errorCode, null,
                s.getLastOutboundAt(), null);
    }

    static WindowEvent toWindowEvent(WindowChange c) {
        return WindowEvent.newBuilder()
                .setTenantId(c.tenantId())
                .setConversationId(c.conversationId())
                .setType(WindowEventType.valueOf(c.type().name()))
                .setWindowOpenedAt(c.windowOpenedAt())
                .setWindowExpiresAt(c.windowExpiresAt())
                .setAnswered(c.answered())
                .setEmittedAt(c.at())
                .build();
    }

    private static Channel channel(com.answerline.avro.Channel wire) {
        return wire == null ? null : Channel.valueOf(wire.name());
    }

    private static com.answerline.avro.Channel channel(Channel domain) {
        return domain == null ? null : com.answerline.avro.Channel.valueOf(domain.name());
    }
}
