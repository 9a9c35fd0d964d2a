package com.answerline.session.query;

/** The store cannot answer right now (starting, restoring, rebalancing); the caller may retry. */
public class SessionStoreUnavailableException extends RuntimeException {

    public SessionStoreUnavailableException(String message) {
        super(message);
    }
}
