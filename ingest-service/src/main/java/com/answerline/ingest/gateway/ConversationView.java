package com.answerline.ingest.gateway;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

import com.answerline.ingest.client.ReplyPreview;

/**
 * Body of {@code GET /api/v1/conversations/{conversationId}}: the conversation and the channel a text reply
 * would take right now, as dispatch-service decides it.
 *
 * @param replyPreview      null when dispatch-service could not be asked ({@code replyPreviewError} says so)
 * @param replyPreviewError null when the preview is there
 */
public record ConversationView(@JsonUnwrapped ConversationSummary conversation, ReplyPreview replyPreview,
                               String replyPreviewError) {
}
