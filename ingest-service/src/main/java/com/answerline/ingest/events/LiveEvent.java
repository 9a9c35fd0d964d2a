package com.answerline.ingest.events;

import java.time.Instant;

import org.springframework.http.codec.ServerSentEvent;

import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.SessionState;
import com.answerline.avro.ThreadMessage;
import com.answerline.ingest.gateway.ReplyOutcomeView;
import com.answerline.schemas.thread.ThreadItem;

/** One change for the live streams: whose it is (tenant, conversation) and the server-sent event to send. */
record LiveEvent(String tenantId, String conversationId, ServerSentEvent<Object> event) {

    static final String CONVERSATION = "conversation";
    static final String REPLY_OUTCOME = "reply-outcome";
    static final String MESSAGE = "message";

    /** {@code id: <conversationId>@<version>}: a client can tell a repeated state from a new one. */
    static LiveEvent of(SessionState state, Instant now) {
        return new LiveEvent(state.getTenantId(), state.getConversationId(), ServerSentEvent.<Object>builder()
                .event(CONVERSATION)
                .id(state.getConversationId() + "@" + state.getVersion())
                .data(ConversationView.of(state, now))
                .build());
    }

    static LiveEvent of(DispatchOutcome outcome) {
        return of(outcome.getTenantId(), ReplyOutcomeView.of(outcome));
    }

    /** A reply's outcome (with the deliveries known so far) for the tenant whose command it is. */
    static LiveEvent of(String tenantId, ReplyOutcomeView outcome) {
        return new LiveEvent(tenantId, outcome.conversationId(), ServerSentEvent.<Object>builder()
                .event(REPLY_OUTCOME)
                .data(outcome)
                .build());
    }

    /**
     * A message of a conversation's thread, new or changed (a customer's message with its text, a reaction to it, an
     * outbound send's outcome or delivery): the thread item the thread read answers, as {@link ThreadItem#of} makes
     * it. {@code id: <entry id>@<updatedAt, epoch millis>}: the item's {@code id} says which message to replace.
     */
    static LiveEvent of(ThreadMessage message) {
        return new LiveEvent(message.getTenantId(), message.getConversationId(), ServerSentEvent.<Object>builder()
                .event(MESSAGE)
                .id(message.getEntryId() + "@" + message.getUpdatedAt().toEpochMilli())
                .data(new MessageEvent(message.getConversationId(), ThreadItem.of(message)))
                .build());
    }
}
