package com.answerline.sandbox.whatsapp;

/** Carries a {@link CloudApiError} to the HTTP edge. */
public class CloudApiException extends RuntimeException {

    private final transient CloudApiError error;

    public CloudApiException(CloudApiError error) {
        super(error.message());
        this.error = error;
    }

    public CloudApiError error() {
        return error;
    }
}
