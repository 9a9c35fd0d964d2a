package com.answerline.ingest.gateway;

import java.time.Duration;
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
     * WhatsApp's customer-service window. {@code secondsLeft} is computed at the read (0 once closed, null when
     * no customer message ever opened one). Dispatch counts the last minute(s) (its safety margin) as closed
     * already: {@code replyPreview} says what a reply would actually do.
     */
    public record Window(boolean open, Instant openedAt, Instant expiresAt, Long secondsLeft, boolean freeEntryPoint) {
    }

    public record Assignee(String id, Instant assignedAt) {
    }

    /** @param outcome the last reply's outcome as session-service recorded it; null for inbound messages */
    public record LastMessage(String channel, Instant at, String outcome) {
    }

    public record Customer(String profileName, String phone, String bsuid) {
    }

    /** The mapping at the edge: session-service's contract to the gateway's view, window time counted at {@code now}. */
    static ConversationSummary of(SessionView s, Instant now) {
        Long secondsLeft = s.windowExpiresAt() == null ? null
                : Math.max(0, Duration.between(now, s.windowExpiresAt()).toSeconds());
        boolean open = s.windowOpen() && secondsLeft != null && secondsLeft > 0;
        return new ConversationSummary(s.conversationId(), s.version(),
                new Window(open, s.windowOpenedAt(), s.windowExpiresAt(), secondsLeft, s.freeEntryPoint()),
                s.assigneeId() == null ? null : new Assignee(s.assigneeId(), s.assignedAt()),
                s.unansweredSince(),
                s.lastInboundAt() == null ? null : new LastMessage(s.lastInboundChannel(), s.lastInboundAt(), null),
                s.lastOutboundAt() == null ? null
                        : new LastMessage(s.lastOutboundChannel(), s.lastOutboundAt(), s.lastOutboundOutcome()),
                new Customer(s.customerProfileName(), s.customerPhone(), s.customerBsuid()),
                s.updatedAt());
    }
}
