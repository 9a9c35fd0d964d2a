package com.answerline.ingest.client;

import java.time.Duration;

/**
 * A service the gateway depends on did not answer in time, or answered that it cannot right now (503). The
 * gateway answers 503 with {@link #retryAfter()}: the caller's retry is the right retry for reads.
 */
public class ServiceUnavailableException extends RuntimeException {

    static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(2);

    private final String service;
    private final Duration retryAfter;

    public ServiceUnavailableException(String service, Duration retryAfter, String reason) {
        super(service + " unavailable: " + reason, null, false, false);
        this.service = service;
        this.retryAfter = retryAfter == null ? DEFAULT_RETRY_AFTER : retryAfter;
    }

    public String service() {
        return service;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
