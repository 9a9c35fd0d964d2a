package com.answerline.dispatch.provider.sms;

import java.time.Duration;

/**
 * A refusal from the SMS provider, parsed from Twilio's error shape {@code {"code","message","more_info","status"}}.
 *
 * @param code the provider's error code (e.g. 21211 invalid To), or {@link #NO_CODE}
 */
public final class SmsApiException extends RuntimeException {

    public static final int NO_CODE = -1;

    private final int httpStatus;
    private Duration retryAfter;
    private final int code;
    private final String title;

    /** A refusal without the provider's error body (none, or none readable): no title. */
    public SmsApiException(int httpStatus, int code, String message) {
        this(httpStatus, code, message, null);
    }

    private SmsApiException(int httpStatus, int code, String message, String title) {
        super("SMS API error " + code + " (HTTP " + httpStatus + "): " + message);
        this.httpStatus = httpStatus;
        this.code = code;
        this.title = title;
    }

    /** The provider's refusal as its error body said it: its {@code message} is the error's title. */
    public static SmsApiException fromErrorBody(int httpStatus, int code, String message) {
        return new SmsApiException(httpStatus, code, message, message == null || message.isBlank() ? null : message);
    }

    public int httpStatus() {
        return httpStatus;
    }

    public int code() {
        return code;
    }

    /** The provider's title of the error, null when its answer carried none. */
    public String title() {
        return title;
    }

    /**
     * The provider's {@code Retry-After} (a 429 or 503 may carry one), set once by the client that read the answer.
     *
     * @return this
     */
    public SmsApiException retryAfter(Duration wait) {
        this.retryAfter = wait;
        return this;
    }

    /** The wait the provider asked for, null when it asked for none. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
