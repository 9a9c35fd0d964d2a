package com.answerline.ingest.events;

import java.time.Instant;

import com.answerline.avro.SessionState;

/**
 * Data of the {@code conversation} server-sent event: what an agent's screen shows of a conversation, from
 * session-service's {@link SessionState}. Compact on purpose: the customer's number is in the id already, and
 * the profile name and counters are not needed live. {@code windowOpen} is computed when the event is sent.
 */
public record ConversationView(String conversationId, long version, boolean windowOpen, Instant windowExpiresAt,
                               String assigneeId, Instant unansweredSince, Instant lastInboundAt,
                               Instant lastOutboundAt, String lastOutboundChannel, boolean closedUnanswered,
                               Instant updatedAt) {

    static ConversationView of(SessionState state, Instant now) {
        Instant expiresAt = state.getWindowExpiresAt();
        return new ConversationView(state.getConversationId(), state.getVersion(),
                expiresAt != null && now.isBefore(expiresAt), expiresAt, state.getAssigneeId(),
                state.getUnansweredSince(), state.getLastInboundAt(), state.getLastOutboundAt(),
                state.getLastOutboundChannel() == null ? null : state.getLastOutboundChannel().name(),
                state.getClosedUnanswered(), state.getUpdatedAt());
    }
}
