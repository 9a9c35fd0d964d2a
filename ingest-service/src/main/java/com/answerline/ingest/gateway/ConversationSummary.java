package com.answerline.ingest.gateway;

import java.time.Instant;

import com.answerline.ingest.client.SessionView;

/**
 * A conversation as the agent's list shows it, from session-service's state at the moment of the read.
 *
 * @param version         the session version the agent saw; send it with a reply (observed version) so dispatch
 *                        waits for at least this state before it decides
 * @param assignee        null when unassigned
 * @param unansweredSince the first customer message still without an answer; null when answered
 * @param lastInbound     null before the first customer message
 * @param lastOutbound    null before the first reply
 */
public record ConversationSummary(String conversationId, long version, Window window, Assignee assignee,
                                  Instant unansweredSince, LastMessage lastInbound, LastMessage lastOutbound,
                                  Customer customer, Instant updatedAt) {

    /**
     * WhatsApp's customer-service window, as session-service computed it at the read ({@code ServiceWindow} in the
     * contracts, the computation dispatch decides with).
     *
     * @param open        WhatsApp still accepts free-form messages (OPEN or CLOSING)
     * @param state       OPEN; CLOSING: within dispatch's safety margin, a free-form reply goes by a fallback;
     *                    CLOSED; NEVER_OPENED. {@code replyPreview} says what a reply would actually do
     * @param secondsLeft 0 once closed, null when no customer message ever opened one
     */
    public record Window(boolean open, String state, Instant openedAt, Instant expiresAt, Long secondsLeft,
                         boolean freeEntryPoint) {
    }

    public record Assignee(String id, Instant assignedAt) {
    }

    /**
     * @param outcome   the last reply's status as session-service keeps it (SENT, DELIVERED, READ, FAILED, or
     *                  dispatch's REJECTED, HELD, ...); null for inbound messages
     * @param errorCode the provider's error code of a failure (131047: the window had closed); null otherwise
     */
    public record LastMessage(String channel, Instant at, String outcome, Integer errorCode) {
    }

    public record Customer(String profileName, String phone, String bsuid) {
    }

    /** The mapping at the edge: session-service's contract to the gateway's view, its window fields as they came. */
    static ConversationSummary of(SessionView s) {
        SessionView.Outbound out = s.lastOutbound();
        return new ConversationSummary(s.conversationId(), s.version(),
                new Window(s.windowOpen(), s.windowState(), s.windowOpenedAt(), s.windowExpiresAt(),
                        s.windowSecondsLeft(), s.freeEntryPoint()),
                s.assigneeId() == null ? null : new Assignee(s.assigneeId(), s.assignedAt()),
                s.unansweredSince(),
                s.lastInboundAt() == null ? null : new LastMessage(s.lastInboundChannel(), s.lastInboundAt(), null, null),
                out == null ? null : new LastMessage(out.channel(), out.at(), out.status(), out.errorCode()),
                new Customer(s.customerProfileName(), s.customerPhone(), s.customerBsuid()),
                s.updatedAt());
    }
}
