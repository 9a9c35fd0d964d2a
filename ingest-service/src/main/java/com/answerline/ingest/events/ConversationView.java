package com.answerline.ingest.events;

import java.time.Duration;
import java.time.Instant;

import com.answerline.avro.LastOutbound;
import com.answerline.avro.SessionState;
import com.answerline.schemas.window.ServiceWindow;

/**
 * Data of the {@code conversation} server-sent event: what an agent's screen shows of a conversation, from
 * session-service's {@link SessionState}. Compact on purpose: the customer's number is in the id already, and
 * the profile name and counters are not needed live. {@code windowOpen} is computed when the event is sent, by the
 * contracts' {@link ServiceWindow} (WhatsApp's rule, as session-service's {@code windowOpen}); the safety margin is
 * the reads' and the reply preview's business.
 *
 * @param lastOutboundStatus SENT, DELIVERED, READ, FAILED (with {@code lastOutboundErrorCode}), or dispatch's other
 *                           outcomes; null before the first reply
 */
public record ConversationView(String conversationId, long version, boolean windowOpen, Instant windowExpiresAt,
                               String assigneeId, Instant unansweredSince, Instant lastInboundAt,
                               Instant lastOutboundAt, String lastOutboundChannel, boolean closedUnanswered,
                               Instant updatedAt, String lastOutboundStatus, Integer lastOutboundErrorCode) {

    static ConversationView of(SessionState state, Instant now) {
        Instant expiresAt = state.getWindowExpiresAt();
        LastOutbound last = state.getLastOutbound();
        return new ConversationView(state.getConversationId(), state.getVersion(),
                ServiceWindow.at(expiresAt, now, Duration.ZERO).open(), expiresAt, state.getAssigneeId(),
                state.getUnansweredSince(), state.getLastInboundAt(), last == null ? null : last.getAt(),
                last == null || last.getChannel() == null ? null : last.getChannel().name(),
                state.getClosedUnanswered(), state.getUpdatedAt(),
                last == null ? null : last.getStatus().name(), last == null ? null : last.getErrorCode());
    }
}
