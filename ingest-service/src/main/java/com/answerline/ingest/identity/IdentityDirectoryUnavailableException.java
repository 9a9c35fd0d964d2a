package com.answerline.ingest.identity;

/**
 * The identity directory cannot be read right now (Streams starting or restoring): the webhook answers 503 so
 * the provider retries, rather than guessing a conversation and splitting a customer in two.
 */
public class IdentityDirectoryUnavailableException extends RuntimeException {

    public IdentityDirectoryUnavailableException(String message) {
        super(message);
    }
}
