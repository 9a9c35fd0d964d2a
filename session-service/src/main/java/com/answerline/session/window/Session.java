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
        LastOutbound lastOutbound,
        long inboundCount,
        long outboundCount,
        boolean expiringNotified,
        boolean closedUnanswered,
        Instant updatedAt) {

    /** A conversation nobody has seen yet: version 0, nothing known. */
    public static Session empty(String tenantId, String conversationId, String phoneNumberId) {
        return new Session(tenantId, conversationId, phoneNumberId, 0, null, null, null, null, null, null, false,
                null, null, null, null, null, null, null, 0, 0, false, false, null);
    }

    /** True while free-form messages may be sent at {@code now}. */
    public boolean windowOpenAt(Instant now) {
        return WindowRules.isOpen(windowExpiresAt, now);
    }

    /** When the last outbound message was reported; null before the first. */
    public Instant lastOutboundAt() {
        return lastOutbound == null ? null : lastOutbound.at();
    }

    /** A builder starting from this session: transitions change a few fields and keep the rest. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Copy-and-change for the fold; the record itself stays immutable. */
    public static final class Builder {
        private String tenantId;
        private String conversationId;
        private String phoneNumberId;
        private long version;
        private String customerPhone;
        private String customerBsuid;
        private String customerProfileName;
        private Instant lastCustomerMessageAt;
        private Instant windowOpenedAt;
        private Instant windowExpiresAt;
        private boolean freeEntryPoint;
        private String assigneeId;
        private Instant assignedAt;
        private Instant unansweredSince;
        private Long firstResponseMillis;
        private Channel lastInboundChannel;
        private Instant lastInboundAt;
        private LastOutbound lastOutbound;
        private long inboundCount;
        private long outboundCount;
        private boolean expiringNotified;
        private boolean closedUnanswered;
        private Instant updatedAt;

        private Builder(Session s) {
            this.tenantId = s.tenantId;
            this.conversationId = s.conversationId;
            this.phoneNumberId = s.phoneNumberId;
            this.version = s.version;
            this.customerPhone = s.customerPhone;
            this.customerBsuid = s.customerBsuid;
            this.customerProfileName = s.customerProfileName;
            this.lastCustomerMessageAt = s.lastCustomerMessageAt;
            this.windowOpenedAt = s.windowOpenedAt;
            this.windowExpiresAt = s.windowExpiresAt;
            this.freeEntryPoint = s.freeEntryPoint;
            this.assigneeId = s.assigneeId;
            this.assignedAt = s.assignedAt;
            this.unansweredSince = s.unansweredSince;
            this.firstResponseMillis = s.firstResponseMillis;
            this.lastInboundChannel = s.lastInboundChannel;
            this.lastInboundAt = s.lastInboundAt;
            this.lastOutbound = s.lastOutbound;
            this.inboundCount = s.inboundCount;
            this.outboundCount = s.outboundCount;
            this.expiringNotified = s.expiringNotified;
            this.closedUnanswered = s.closedUnanswered;
            this.updatedAt = s.updatedAt;
        }

        public Builder tenantId(String value) {
            this.tenantId = value;
            return this;
        }

        public Builder conversationId(String value) {
            this.conversationId = value;
            return this;
        }

        public Builder phoneNumberId(String value) {
            this.phoneNumberId = value;
            return this;
        }

        public Builder version(long value) {
            this.version = value;
            return this;
        }

        public Builder customerPhone(String value) {
            this.customerPhone = value;
            return this;
        }

        public Builder customerBsuid(String value) {
            this.customerBsuid = value;
            return this;
        }

        public Builder customerProfileName(String value) {
            this.customerProfileName = value;
            return this;
        }

        public Builder lastCustomerMessageAt(Instant value) {
            this.lastCustomerMessageAt = value;
            return this;
        }

        public Builder windowOpenedAt(Instant value) {
            this.windowOpenedAt = value;
            return this;
        }

        public Builder windowExpiresAt(Instant value) {
            this.windowExpiresAt = value;
            return this;
        }

        public Builder freeEntryPoint(boolean value) {
            this.freeEntryPoint = value;
            return this;
        }

        public Builder assigneeId(String value) {
            this.assigneeId = value;
            return this;
        }

        public Builder assignedAt(Instant value) {
            this.assignedAt = value;
            return this;
        }

        public Builder unansweredSince(Instant value) {
            this.unansweredSince = value;
            return this;
        }

        public Builder firstResponseMillis(Long value) {
            this.firstResponseMillis = value;
            return this;
        }

        public Builder lastInboundChannel(Channel value) {
            this.lastInboundChannel = value;
            return this;
        }

        public Builder lastInboundAt(Instant value) {
            this.lastInboundAt = value;
            return this;
        }

        public Builder lastOutbound(LastOutbound value) {
            this.lastOutbound = value;
            return this;
        }

        public Builder inboundCount(long value) {
            this.inboundCount = value;
            return this;
        }

        public Builder outboundCount(long value) {
            this.outboundCount = value;
            return this;
        }

        public Builder expiringNotified(boolean value) {
            this.expiringNotified = value;
            return this;
        }

        public Builder closedUnanswered(boolean value) {
            this.closedUnanswered = value;
            return this;
        }

        public Builder updatedAt(Instant value) {
            this.updatedAt = value;
            return this;
        }

        public Session build() {
            return new Session(tenantId, conversationId, phoneNumberId, version, customerPhone, customerBsuid,
                    customerProfileName, lastCustomerMessageAt, windowOpenedAt, windowExpiresAt, freeEntryPoint,
                    assigneeId, assignedAt, unansweredSince, firstResponseMillis, lastInboundChannel, lastInboundAt,
                    lastOutbound, inboundCount, outboundCount,
                    expiringNotified, closedUnanswered, updatedAt);
        }
    }
}
