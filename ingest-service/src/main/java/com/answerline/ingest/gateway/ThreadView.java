package com.answerline.ingest.gateway;

import java.util.List;

import com.answerline.schemas.thread.ThreadItem;

/**
 * Body of {@code GET /api/v1/conversations/{id}/messages}.
 *
 * @param items newest first
 * @param next  the next (older) page, ready to follow; null on the last page
 */
public record ThreadView(String conversationId, List<ThreadItem> items, String next) {
}
