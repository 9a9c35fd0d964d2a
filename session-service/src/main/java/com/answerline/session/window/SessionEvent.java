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
                        boolean isFinal, Instant occurredAt) implements SessionEvent {
        public ReplyOutcome {
            Objects.requireNonNull(conversationId, "conversationId");
            Objects.requireNonNull(commandId, "commandId");
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(occurredAt, "occurredAt");
        }

        @Override
        public Instant eventTime() {
            return occurredAt;
        }

        /** One outcome per command and status; a redelivered copy must not count the reply twice. */
        @Override
        public String deduplicationId() {
            return "outcome:" + commandId + ':' + status;
        }

        /** Only a reply that went out answers the customer. */
        public boolean delivered() {
            return "SENT".equals(status);
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
