package com.answerline.ingest.gateway;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

import com.answerline.avro.DecisionExplanation;
import com.answerline.avro.DispatchOutcome;

/**
 * Body of {@code GET /api/v1/replies/{commandId}} and data of the {@code reply-outcome} server-sent event. {@code renderedText} is the customer's message as sent:
 * the agent may see it, logs may not.
 */
public record ReplyOutcomeView(String commandId, String conversationId, String status,
                               @JsonProperty("final") boolean isFinal,
                               String channel, String reason, Explanation explanation, String renderedText,
                               String providerMessageId, Integer errorCode, Instant occurredAt) {

    /** Why dispatch chose the channel: the window as it saw it, the policy and what else was possible. */
    public record Explanation(String windowState, Instant windowExpiresAt, Long timeLeftMillis, String policy,
                              List<String> fallbackChain, List<String> alternatives) {

        static Explanation of(DecisionExplanation explanation) {
            if (explanation == null) {
                return null;
            }
            return new Explanation(name(explanation.getWindowState()), explanation.getWindowExpiresAt(),
                    explanation.getTimeLeftMillis(), name(explanation.getPolicy()),
                    List.copyOf(explanation.getFallbackChain()), List.copyOf(explanation.getAlternatives()));
        }
    }

    public static ReplyOutcomeView of(DispatchOutcome outcome) {
        return new ReplyOutcomeView(outcome.getCommandId(), outcome.getConversationId(), name(outcome.getStatus()),
                outcome.getFinal$(), name(outcome.getChannel()), outcome.getReason(),
                Explanation.of(outcome.getExplanation()), outcome.getRenderedText(), outcome.getProviderMessageId(),
                outcome.getErrorCode(), outcome.getOccurredAt());
    }

    private static String name(Enum<?> value) {
        return value == null ? null : value.name();
    }
}
