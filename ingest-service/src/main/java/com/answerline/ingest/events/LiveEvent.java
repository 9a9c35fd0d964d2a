package com.answerline.ingest.events;

import java.time.Instant;

import org.springframework.http.codec.ServerSentEvent;

import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.SessionState;
import com.answerline.ingest.gateway.ReplyOutcomeView;

/** One change for the live streams: whose it is (tenant, conversation) and the server-sent event to send. */
record LiveEvent(String tenantId, String conversationId, ServerSentEvent<Object> event) {

    static final String CONVERSATION = "conversation";
    static final String REPLY_OUTCOME = "reply-outcome";

    /** {@code id: <conversationId>@<version>}: a client can tell a repeated state from a new one. */
    static LiveEvent of(SessionState state, Instant now) {
        return new LiveEvent(state.getTenantId(), state.getConversationId(), ServerSentEvent.<Object>builder()
                .event(CONVERSATION)
                .id(state.getConversationId() + "@" + state.getVersion())
                .data(ConversationView.of(state, now))
                .build());
    }

    static LiveEvent of(DispatchOutcome outcome) {
        return new LiveEvent(outcome.getTenantId(), outcome.getConversationId(), ServerSentEvent.<Object>builder()
                .event(REPLY_OUTCOME)
                .data(ReplyOutcomeView.of(outcome))
                .build());
    }
}
