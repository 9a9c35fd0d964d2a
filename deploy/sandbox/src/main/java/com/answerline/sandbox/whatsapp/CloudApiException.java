package com.answerline.sandbox.whatsapp;

import com.answerline.sandbox.fault.FaultMode;
import java.time.Duration;
import java.util.Optional;
import reactor.core.publisher.Mono;

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

    /**
     * The answer of a switched fault that is an error ({@link CloudApiError#ofFault}): at once, or after
     * {@code timeoutDelay} for {@code TIMEOUT}; empty for the modes that answer normally.
     */
    static <T> Optional<Mono<T>> answerFor(FaultMode fault, Duration timeoutDelay) {
        return CloudApiError.ofFault(fault).map(error -> fault == FaultMode.TIMEOUT
                ? Mono.delay(timeoutDelay).then(Mono.error(new CloudApiException(error)))
                : Mono.error(new CloudApiException(error)));
    }
}
