package com.answerline.sandbox.sms;

/** Carries a {@link TwilioError} to the HTTP edge. */
public class TwilioApiException extends RuntimeException {

    private final transient TwilioError error;

    public TwilioApiException(TwilioError error) {
        super(error.message());
        this.error = error;
    }

    public TwilioError error() {
        return error;
    }
}
