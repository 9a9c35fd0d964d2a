package com.answerline.ingest.query;

/**
 * The reply-acceptances table cannot be read right now (Streams starting, restoring or rebalancing): a request
 * with an Idempotency-Key is answered 503 rather than risk a second command.
 */
public class IdempotencyStoreUnavailableException extends RuntimeException {

    public IdempotencyStoreUnavailableException(String message) {
        super(message, null, false, false);
    }
}
