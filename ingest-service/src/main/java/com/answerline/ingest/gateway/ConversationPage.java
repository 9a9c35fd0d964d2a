package com.answerline.ingest.gateway;

import java.util.List;

/**
 * Body of {@code GET /api/v1/conversations}.
 *
 * @param nextCursor opaque; null on the last page
 * @param next       the same query's next page, ready to follow; null on the last page
 */
public record ConversationPage(List<ConversationSummary> items, String nextCursor, String next) {
}
