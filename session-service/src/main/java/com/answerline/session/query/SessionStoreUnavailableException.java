package com.answerline.session.query;

/**
 * The sessions cannot be read right now: this instance's store is starting, restoring or rebalancing, or the
 * instance that owns the data is unknown or unreachable. The API answers 503 with Retry-After; the caller may retry.
 */
public class SessionStoreUnavailableException extends RuntimeException {

    public SessionStoreUnavailableException(String message) {
        super(message);
    }

    public SessionStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
