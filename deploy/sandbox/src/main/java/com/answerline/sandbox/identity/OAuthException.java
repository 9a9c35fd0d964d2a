package com.answerline.sandbox.identity;

import java.util.Map;

/** An OAuth 2.0 error (RFC 6749 sections 4.1.2.1 and 5.2): its code and a description for the developer. */
public class OAuthException extends RuntimeException {

    public static final String INVALID_REQUEST = "invalid_request";
    public static final String INVALID_CLIENT = "invalid_client";
    public static final String INVALID_GRANT = "invalid_grant";
    public static final String INVALID_SCOPE = "invalid_scope";
    public static final String UNSUPPORTED_GRANT_TYPE = "unsupported_grant_type";
    public static final String UNSUPPORTED_RESPONSE_TYPE = "unsupported_response_type";

    private final String error;

    public OAuthException(String error, String description) {
        super(description);
        this.error = error;
    }

    public String error() {
        return error;
    }

    public String description() {
        return getMessage();
    }

    /** The token endpoint's error body. */
    public Map<String, String> toBody() {
        return Map.of("error", error, "error_description", description());
    }
}
