package com.answerline.ingest.http;

import java.net.URI;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ServerWebInputException;

import com.answerline.ingest.identity.IdentityDirectoryUnavailableException;
import com.answerline.ingest.publish.PublishFailedException;

/** RFC 9457 problem details for every error this service answers itself. */
@RestControllerAdvice
public class ProblemAdvice {

    private static final Logger log = LoggerFactory.getLogger(ProblemAdvice.class);

    @ExceptionHandler(InvalidRequestException.class)
    ResponseEntity<ProblemDetail> invalid(InvalidRequestException e) {
        ProblemDetail problem = problem(HttpStatus.BAD_REQUEST, "Invalid request", e.getMessage(), "invalid-request");
        if (e.field() != null) {
            problem.setProperty("field", e.field());
        }
        return respond(problem);
    }

    /** Unreadable JSON or a wrong type in a request body the framework decoded. */
    @ExceptionHandler(ServerWebInputException.class)
    ResponseEntity<ProblemDetail> unreadable(ServerWebInputException e) {
        return respond(problem(HttpStatus.BAD_REQUEST, "Invalid request",
                "request body or parameter cannot be read", "invalid-request"));
    }

    @ExceptionHandler(PayloadTooLargeException.class)
    ResponseEntity<ProblemDetail> tooLarge(PayloadTooLargeException e) {
        return respond(problem(HttpStatus.CONTENT_TOO_LARGE, "Payload too large", e.getMessage(), "payload-too-large"));
    }

    /**
     * The client went away before its request was read whole: nobody is left to answer. Status 499 (nginx's "client
     * closed request") so that the request counts as the client's doing in {@code http_server_requests}, not as a 500,
     * and a DEBUG line, not an ERROR with a stack trace.
     */
    @ExceptionHandler(ClientClosedRequestException.class)
    ResponseEntity<Void> clientClosed(ClientClosedRequestException e) {
        log.debug("{}", e.getMessage());
        return ResponseEntity.status(ClientClosedRequestException.STATUS).build();
    }

    /** Kafka is away: tell the sender to come back; providers retry, agents see a clear temporary error. */
    @ExceptionHandler(PublishFailedException.class)
    ResponseEntity<ProblemDetail> unavailable(PublishFailedException e) {
        log.debug("publish failed", e);
        return unavailable("the event log did not acknowledge the request; retry later", 5);
    }

    /**
     * The answer carrying {@code problem}, typed {@code application/problem+json} explicitly: content negotiation
     * would otherwise write it in the request's accepted type (as an event for {@code text/event-stream}).
     */
    public static ResponseEntity<ProblemDetail> respond(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    /** The customer identity directory is still loading: providers retry, and no customer is split meanwhile. */
    @ExceptionHandler(IdentityDirectoryUnavailableException.class)
    ResponseEntity<ProblemDetail> directoryUnavailable(IdentityDirectoryUnavailableException e) {
        log.debug("identity directory unavailable: {}", e.getMessage());
        return unavailable("the customer directory is not loaded yet; retry later", 5);
    }

    /** 503 problem details with {@code Retry-After}: a dependency is away or still loading; the caller retries. */
    public static ResponseEntity<ProblemDetail> unavailable(String detail, long retryAfterSeconds) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds))
                .body(problem(HttpStatus.SERVICE_UNAVAILABLE, "Temporarily unavailable", detail, "unavailable"));
    }

    public static ProblemDetail problem(HttpStatus status, String title, String detail, String type) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setTitle(title);
        problem.setType(URI.create("urn:answerline:problem:" + type));
        return problem;
    }
}
