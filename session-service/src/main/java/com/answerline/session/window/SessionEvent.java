package com.answerline.session.window;

import java.time.Instant;
import java.util.Objects;

/** What can happen to a conversation, as the fold sees it. Translated from the wire records at the edge. */
public sealed interface SessionEvent {

    String tenantId();

    String conversationId();

    /** When it happened, by the source's clock (the customer's send time for messages). */
    Instant eventTime();

    /**
     * Identity of a redelivered copy: the same id means the same event, to be applied once. Null when
     * applying the event twice changes nothing anyway.
     */
    String deduplicationId();

    /**
     * Whether a redelivered copy may carry another {@link #eventTime()} than the first: the dedup then looks for the
     * id across the whole retention instead of at the event's own time.
     */
    default boolean copiesMayDifferInTime() {
        return false;
    }

    /**
     * A customer wrote to the business number.
     *
     * @param sentAt the customer's send time (webhook timestamp); the window runs from it, never from ingest time
     * @param fromAd the message carries an ad / Page referral (free entry point, pricing only)
     */
    record CustomerMessage(String tenantId, String conversationId, String phoneNumberId, Channel channel,
                           String messageId, Instant sentAt, String customerPhone, String customerBsuid,
                           String customerProfileName, boolean fromAd) implements SessionEvent {
        public CustomerMessage {
            Objects.requireNonNull(conversationId, "conversationId");
            Objects.requireNonNull(channel, "channel");
            Objects.requireNonNull(messageId, "messageId");
            Objects.requireNonNull(sentAt, "sentAt");
        }

        @Override
        public Instant eventTime() {
            return sentAt;
        }

        /** The wamid (or SMS MessageSid): providers redeliver webhooks, at least once. */
        @Override
        public String deduplicationId() {
            return "message:" + messageId;
        }

        /**
         * An SMS: Twilio's webhook carries no send time, so {@code sentAt} is ingest's receipt time and a redelivery
         * (same MessageSid, Twilio retrying a slow or lost answer) is timed at its own receipt.
         */
        @Override
        public boolean copiesMayDifferInTime() {
            return channel == Channel.SMS;
        }
    }

    /**
     * Dispatch reported what became of one of our replies.
     *
     * @param status    the outcome's status (SENT, FAILED, HELD, ...)
     * @param errorCode the provider's error code of a failed send, null otherwise
     */
    record ReplyOutcome(String tenantId, String conversationId, String commandId, OutboundStatus status,
                        Channel channel, boolean isFinal, Instant occurredAt, String providerMessageId,
                        Integer errorCode) implements SessionEvent {
        public ReplyOutcome {
            Objects.requireNonNull(conversationId, "conversationId");
            Objects.requireNonNull(commandId, "commandId");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(occurredAt, "occurredAt");
        }

        /** An outcome without an error code: a message that went out with its provider id. */
        public ReplyOutcome(String tenantId, String conversationId, String commandId, OutboundStatus status,
                            Channel channel, boolean isFinal, Instant occurredAt, String providerMessageId) {
            this(tenantId, conversationId, commandId, status, channel, isFinal, occurredAt, providerMessageId, null);
        }

        /** An outcome without a provider message id or error code (nothing went out, or the provider gave none). */
        public ReplyOutcome(String tenantId, String conversationId, String commandId, OutboundStatus status,
                            Channel channel, boolean isFinal, Instant occurredAt) {
            this(tenantId, conversationId, commandId, status, channel, isFinal, occurredAt, null, null);
        }

        @Override
        public Instant eventTime() {
            return occurredAt;
        }

        /**
         * One outcome per command, status and provider message: a redelivered copy must not count the reply twice,
         * but a fallback send of the same command (SMS after a late 131047) is a new message with its own id.
         */
        @Override
        public String deduplicationId() {
            return "outcome:" + commandId + ':' + status + (providerMessageId != null ? ":" + providerMessageId : "");
        }

        /** Only a reply that went out answers the customer. */
        public boolean delivered() {
            return status == OutboundStatus.SENT;
        }
    }

    /**
     * The provider's word on one of OUR messages (WhatsApp {@code statuses[]}, SMS status callback). Never touches
     * the window: only the customer's own messages do (DOMAIN 1). Only a status of the session's last outbound
     * message (same provider message id) changes anything.
     *
     * @param status    the provider state name (QUEUED, SENT, DELIVERED, READ, FAILED, UNDELIVERED, UNKNOWN)
     * @param errorCode the provider's first error code, null when none (131047: the window had closed)
     */
    record DeliveryUpdate(String tenantId, String conversationId, String providerMessageId, String status,
                          Integer errorCode, Instant occurredAt) implements SessionEvent {
        public DeliveryUpdate {
            Objects.requireNonNull(conversationId, "conversationId");
            Objects.requireNonNull(providerMessageId, "providerMessageId");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(occurredAt, "occurredAt");
        }

        @Override
        public Instant eventTime() {
            return occurredAt;
        }

        /** Per message and status (DOMAIN 2: deduplicate statuses on wamid + status). */
        @Override
        public String deduplicationId() {
            return "status:" + providerMessageId + ':' + status;
        }
    }

    /** The conversation was assigned to an agent, or unassigned ({@code assigneeId} null). */
    record Assignment(String tenantId, String conversationId, String assigneeId, Instant changedAt)
            implements SessionEvent {
        public Assignment {
            Objects.requireNonNull(conversationId, "conversationId");
            Objects.requireNonNull(changedAt, "changedAt");
        }

        @Override
        public Instant eventTime() {
            return changedAt;
        }

        /** Idempotent by itself: the same assignee again, or an older change, changes nothing. */
        @Override
        public String deduplicationId() {
            return null;
        }
    }
}
