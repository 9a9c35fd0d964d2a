package com.answerline.ingest.client;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Mono;

/** How every client here turns an unavailable service into {@link ServiceUnavailableException}. */
final class ServiceResponses {

    private ServiceResponses() {
    }

    /** A 503 (or any 5xx) answer: unavailable, with the service's own Retry-After when it gave seconds. */
    static <T> Mono<T> unavailable(String service, ClientResponse response) {
        Duration retryAfter = retryAfter(response.headers().asHttpHeaders());
        return response.releaseBody().then(Mono.error(new ServiceUnavailableException(service, retryAfter,
                "answered " + response.statusCode().value())));
    }

    /** Connection refused, reset or timed out: unavailable too; anything else stays as it is. */
    static Throwable unreachable(String service, Throwable error) {
        if (error instanceof ServiceUnavailableException) {
            return error;
        }
        if (error instanceof WebClientRequestException || error instanceof TimeoutException
                || error.getCause() instanceof TimeoutException) {
            return new ServiceUnavailableException(service, null, error.getClass().getSimpleName());
        }
        return error;
    }

    private static Duration retryAfter(HttpHeaders headers) {
        String value = headers.getFirst(HttpHeaders.RETRY_AFTER);
        if (value != null && value.matches("\\d{1,5}")) {
            return Duration.ofSeconds(Long.parseLong(value));
        }
        return null;
    }
}
