package com.answerline.ingest.gateway;

/**
 * An idempotency key already used for a different request (another body): answered 422, never with the
 * first request's command, as the IETF httpapi-idempotency-key draft asks.
 */
class IdempotencyKeyReusedException extends RuntimeException {

    private final String field;

    IdempotencyKeyReusedException(String field) {
        super("this key was already used for a different request; use a new key for a new reply", null, false, false);
        this.field = field;
    }

    String field() {
        return field;
    }
}
