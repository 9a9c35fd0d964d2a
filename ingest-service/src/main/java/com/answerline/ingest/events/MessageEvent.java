package com.answerline.ingest.events;

import com.answerline.schemas.thread.ThreadItem;

/**
 * Data of the {@code message} server-sent event: {@code {"conversationId": ..., "message": <thread item>}}, the item
 * exactly as the thread read answers it.
 */
public record MessageEvent(String conversationId, ThreadItem message) {
}
