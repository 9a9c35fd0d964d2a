package com.answerline.session.query;

import java.util.List;

import com.answerline.schemas.thread.ThreadItem;

/**
 * One page of a conversation's thread, newest first.
 *
 * @param nextCursor the {@code before} of the next (older) page; null on the last page
 */
public record ThreadPage(String conversationId, List<ThreadItem> items, String nextCursor) {

    public ThreadPage {
        items = List.copyOf(items);
    }
}
