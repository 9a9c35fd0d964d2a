package com.answerline.dispatch.provider;

/**
 * What a failed provider call means for the next step. The providers' error codes (DOMAIN.md 3 and 4) fall into
 * these few kinds; retry, circuit breaker and metrics act on the kind, never on the error text.
 */
public enum ProviderErrorKind {

    /** 5xx, 131000, 131016, connection refused or connect timed out: retry with backoff; counts against the breaker. */
    TRANSIENT(true),
    /**
     * The request went out and no answer came back (response timed out, connection closed before the response):
     * the provider may have accepted the message. Neither WhatsApp nor Twilio takes an idempotency key, so a retry
     * could reach the customer twice; never retried (at most once, as a crash in the same gap), counts against the
     * breaker like a transient error.
     */
    IN_DOUBT(false),
    /** 130429 / HTTP 429: the business number's throughput limit; retry with backoff. */
    NUMBER_THROUGHPUT(true),
    /** 131056: too many messages to this recipient (about 1 per 6 s); retry after the recipient pacing. */
    RECIPIENT_PACING(true),
    /** 131047: the customer-service window is closed; never retried free-form, the sender falls back. */
    WINDOW_CLOSED(false),
    /** 131026, 131048-131050, parameter and template errors (132xxx), other 4xx: retrying cannot help. */
    PERMANENT(false),
    /** 368, 131031, 130497, 131042: the business account itself is blocked; stop and alert, never retry. */
    CHANNEL_BLOCKED(false),
    /** Not sent because our own guard refused it: circuit breaker open or no rate permit in time. */
    UNAVAILABLE(false);

    private final boolean retryable;

    ProviderErrorKind(boolean retryable) {
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }
}
