package com.answerline.dispatch.provider.whatsapp;

import java.time.Duration;

/**
 * A refusal from the WhatsApp Cloud API, parsed from Meta's error shape
 * {@code {"error":{"message","type","code","error_data":{"details"},"fbtrace_id"}}}. Act on {@link #code()},
 * never on the message text.
 *
 * @param code Meta's error code (e.g. 131047), or {@link #NO_CODE} when the body carried none
 */
public final class WhatsAppApiException extends RuntimeException {

    public static final int NO_CODE = -1;
    /** More than 24 h since the customer's last message: the window is closed. */
    public static final int WINDOW_CLOSED = 131047;
    /** Throughput limit of the business number. */
    public static final int THROUGHPUT_LIMIT = 130429;

    private final int httpStatus;
    private Duration retryAfter;
    private final int code;
    private final String type;
    private final String details;
    private final String fbtraceId;
    private final String title;

    /** A refusal without Meta's error body (none, or none readable): no title. */
    public WhatsAppApiException(int httpStatus, int code, String type, String message, String details, String fbtraceId) {
        this(httpStatus, code, type, message, details, fbtraceId, null);
    }

    private WhatsAppApiException(int httpStatus, int code, String type, String message, String details,
                                 String fbtraceId, String title) {
        super("WhatsApp API error " + code + " (HTTP " + httpStatus + "): " + message);
        this.httpStatus = httpStatus;
        this.code = code;
        this.type = type;
        this.details = details;
        this.fbtraceId = fbtraceId;
        this.title = title;
    }

    /**
     * Meta's refusal as its error body said it: the title is its {@code message} without the {@code (#code)} prefix
     * Meta puts in front ("(#131047) Re-engagement message" is titled "Re-engagement message", as the status webhook's
     * {@code errors[].title} says it).
     */
    public static WhatsAppApiException fromErrorBody(int httpStatus, int code, String type, String message,
                                                     String details, String fbtraceId) {
        String title = message == null ? null : message.replaceFirst("^\\(#\\d+\\)\\s*", "");
        return new WhatsAppApiException(httpStatus, code, type, message, details, fbtraceId,
                title == null || title.isBlank() ? null : title);
    }

    public int httpStatus() {
        return httpStatus;
    }

    public int code() {
        return code;
    }

    public String type() {
        return type;
    }

    public String details() {
        return details;
    }

    public String fbtraceId() {
        return fbtraceId;
    }

    /** The provider's title of the error, null when its answer carried none. */
    public String title() {
        return title;
    }

    public boolean windowClosed() {
        return code == WINDOW_CLOSED;
    }

    /**
     * The provider's {@code Retry-After} (a 429 or 503 may carry one), set once by the client that read the answer.
     *
     * @return this
     */
    public WhatsAppApiException retryAfter(Duration wait) {
        this.retryAfter = wait;
        return this;
    }

    /** The wait the provider asked for, null when it asked for none. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
