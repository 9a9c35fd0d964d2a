package com.answerline.dispatch.provider.sms;

/**
 * A refusal from the SMS provider, parsed from Twilio's error shape {@code {"code","message","more_info","status"}}.
 *
 * @param code the provider's error code (e.g. 21211 invalid To), or {@link #NO_CODE}
 */
public final class SmsApiException extends RuntimeException {

    public static final int NO_CODE = -1;

    private final int httpStatus;
    private final int code;

    public SmsApiException(int httpStatus, int code, String message) {
        super("SMS API error " + code + " (HTTP " + httpStatus + "): " + message);
        this.httpStatus = httpStatus;
        this.code = code;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public int code() {
        return code;
    }
}
