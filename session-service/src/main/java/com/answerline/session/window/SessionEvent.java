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
    }

    /**
     * Dispatch reported what became of one of our replies.
     *
     * @param status the outcome status name (SENT, FAILED, HELD, ...)
     */
    record ReplyOutcome(String tenantId, String conversationId, String commandId, String status, Channel channel,
                        boolean isFinal, Instant occurredAt, String providerMessageId) implements SessionEvent {
        public ReplyOutcome {
            Objects.requireNonNull(conversationId, "conversationId");
            Objects.requireNonNull(commandId, "commandId");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(occurredAt, "occurredAt");
        }

        /** An outcome without a provider message id (nothing went out, or the provider gave none). */
        public ReplyOutcome(String tenantId, String conversationId, String commandId, String status, Channel channel,
                            boolean isFinal, Instant occurredAt) {
            this(tenantId, conversationId, commandId, status, channel, isFinal, occurredAt, null);
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
            return "SENT".equals(status);
        }
    }

    /**
     * The provider's word on one of OUR messages (WhatsApp {@code statuses[]}, SMS status callback). Never touches
     * the window: only the customer's own messages do (DOMAIN 1).
     *
     * @param status    the provider state name (QUEUED, SENT, DELIVERED, READ, FAILED, UNDELIVERED, UNKNOWN)
     * @param errorCode the provider's first error code, null when none (131047: the window had closed)
     * @param outbound  what the fold needs to know about the message, resolved by the caller from its store:
     *                  null when the message is not the session's last outbound (an older message, or one whose
     *                  outcome was never folded); statuses of other messages change nothing
     */
    record DeliveryUpdate(String tenantId, String conversationId, String providerMessageId, String status,
                          Integer errorCode, Instant occurredAt, Outbound outbound) implements SessionEvent {
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

        /** The same update, about a message the caller identified (or not) as the session's last outbound. */
        public DeliveryUpdate withOutbound(Outbound value) {
            return new DeliveryUpdate(tenantId, conversationId, providerMessageId, status, errorCode, occurredAt,
                    value);
        }
    }

    /**
     * A reply that went out (SENT outcome with a provider message id), as remembered next to the session.
     *
     * @param sentAt   the SENT outcome's time; it is the session's {@code lastOutboundAt} while it is the last one
     * @param answered the start of the unanswered stretch this reply cleared, null when it cleared none
     */
    record Outbound(Instant sentAt, Instant answered) {
        public Outbound {
            Objects.requireNonNull(sentAt, "sentAt");
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
