package com.answerline.sandbox.sms;

import java.util.LinkedHashMap;
import java.util.Map;

/** An error in Twilio's REST shape: {"code","message","more_info","status"}. */
public record TwilioError(int status, int code, String message) {

    public static TwilioError authenticate() {
        return new TwilioError(401, 20003, "Authenticate");
    }

    public static TwilioError notFound(String path) {
        return new TwilioError(404, 20404, "The requested resource " + path + " was not found");
    }

    public static TwilioError toRequired() {
        return new TwilioError(400, 21604, "A 'To' phone number is required.");
    }

    public static TwilioError invalidTo(String to) {
        return new TwilioError(400, 21211, "Invalid 'To' Phone Number: " + to);
    }

    public static TwilioError bodyRequired() {
        return new TwilioError(400, 21602, "Message body is required.");
    }

    public static TwilioError bodyTooLong() {
        return new TwilioError(400, 21617, "The concatenated message body exceeds the 1600 character limit.");
    }

    public static TwilioError invalidFrom(String from) {
        return new TwilioError(400, 21606,
                "The From phone number " + from + " is not a valid, SMS-capable inbound phone number or short code"
                        + " for your account.");
    }

    public static TwilioError internal() {
        return new TwilioError(500, 20500, "An internal server error has occurred (sandbox fault)");
    }

    public static TwilioError tooManyRequests() {
        return new TwilioError(429, 20429, "Too Many Requests (sandbox fault)");
    }

    public static TwilioError timedOut() {
        return new TwilioError(504, 20500, "Request timed out (sandbox fault)");
    }

    public Map<String, Object> toBody() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("message", message);
        body.put("more_info", "https://www.twilio.com/docs/errors/" + code);
        body.put("status", status);
        return body;
    }
}
