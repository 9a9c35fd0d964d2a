package com.answerline.ingest.query;

/** The outcome store cannot be read right now (Streams starting, restoring or rebalancing): answer 503. */
public class OutcomeStoreUnavailableException extends RuntimeException {

    public OutcomeStoreUnavailableException(String message) {
        super(message);
    }
}
