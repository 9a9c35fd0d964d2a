package com.answerline.ingest.client;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import com.answerline.schemas.thread.ThreadItem;

/**
 * One page of a conversation's thread as session-service answers it ({@code GET
 * /api/v1/conversations/{id}/messages}), newest first; items in the contracts' one thread shape.
 *
 * @param nextCursor the {@code before} of the next (older) page; null on the last page
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ThreadPage(String conversationId, List<ThreadItem> items, String nextCursor) {

    public ThreadPage {
        items = items == null ? List.of() : List.copyOf(items);
    }
}
