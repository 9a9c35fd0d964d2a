package com.answerline.ingest.gateway;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import com.answerline.ingest.client.MediaProviderException;
import com.answerline.ingest.client.ServiceUnavailableException;
import com.answerline.ingest.events.StreamCapReachedException;
import com.answerline.ingest.events.TokenExpiredException;
import com.answerline.ingest.events.TooManyStreamsException;
import com.answerline.ingest.http.ProblemAdvice;
import com.answerline.ingest.query.IdempotencyStoreUnavailableException;

/** Problem details for the gateway's own refusals (400, the event log's 503 and the rest come from {@link ProblemAdvice}). */
@RestControllerAdvice(basePackageClasses = GatewayProblemAdvice.class)
class GatewayProblemAdvice {

    /** A stream frees a place when its client closes it or its token expires; half a minute is a fair first guess. */
    static final long STREAM_CAP_RETRY_AFTER_SECONDS = 30;

    @ExceptionHandler(ConversationNotFoundException.class)
    ResponseEntity<ProblemDetail> notFound(ConversationNotFoundException e) {
        return ProblemAdvice.respond(ProblemAdvice.problem(HttpStatus.NOT_FOUND, "Not found", e.getMessage(), "not-found"));
    }

    @ExceptionHandler(MediaNotFoundException.class)
    ResponseEntity<ProblemDetail> mediaNotFound(MediaNotFoundException e) {
        return ProblemAdvice.respond(ProblemAdvice.problem(HttpStatus.NOT_FOUND, "Not found", e.getMessage(), "not-found"));
    }

    /**
     * The provider could not give the media (or it is larger than the gateway streams): 502, the fault is upstream.
     * Not 413, which says the request was too large: the agent's request is fine, and no other request would do.
     */
    @ExceptionHandler(MediaProviderException.class)
    ResponseEntity<ProblemDetail> mediaUnavailable(MediaProviderException e) {
        return ProblemAdvice.respond(e.tooLarge()
                ? ProblemAdvice.problem(HttpStatus.BAD_GATEWAY, "Media too large", e.getMessage(), "media-too-large")
                : ProblemAdvice.problem(HttpStatus.BAD_GATEWAY, "Media unavailable",
                        "the provider could not give this media: " + e.getMessage(), "media-unavailable"));
    }

    @ExceptionHandler(IdempotencyKeyReusedException.class)
    ResponseEntity<ProblemDetail> keyReused(IdempotencyKeyReusedException e) {
        ProblemDetail problem = ProblemAdvice.problem(HttpStatus.UNPROCESSABLE_CONTENT, "Idempotency key reused",
                e.getMessage(), "idempotency-key-reused");
        problem.setProperty("field", e.field());
        return ProblemAdvice.respond(problem);
    }

    /** A key is present but the acceptances cannot be checked: refusing beats risking a second command. */
    @ExceptionHandler(IdempotencyStoreUnavailableException.class)
    ResponseEntity<ProblemDetail> idempotencyUnavailable(IdempotencyStoreUnavailableException e) {
        return ProblemAdvice.unavailable(
                "replies sent with an idempotency key cannot be checked yet (starting up); retry later", 2);
    }

    @ExceptionHandler(TooManyStreamsException.class)
    ResponseEntity<ProblemDetail> tooManyStreams(TooManyStreamsException e) {
        return ProblemAdvice.unavailable(e.getMessage(), 30);
    }

    /**
     * One agent (or tenant) holds its maximum of streams on this instance: 429, not 503, because this caller (or its
     * tenant) is over its share while the instance has room for others; {@code cap} says which, {@code max} how many.
     */
    @ExceptionHandler(StreamCapReachedException.class)
    ResponseEntity<ProblemDetail> streamCapReached(StreamCapReachedException e) {
        ProblemDetail problem = ProblemAdvice.problem(HttpStatus.TOO_MANY_REQUESTS, "Too many event streams",
                e.getMessage(), "too-many-streams");
        problem.setProperty("cap", e.cap());
        problem.setProperty("max", e.max());
        return ResponseEntity.status(HttpStatus.TOO_MANY_REQUESTS).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(STREAM_CAP_RETRY_AFTER_SECONDS))
                .body(problem);
    }

    /** A token past its expiry (within the decoder's clock skew) opens no stream: 401, as RFC 6750 says. */
    @ExceptionHandler(TokenExpiredException.class)
    ResponseEntity<ProblemDetail> tokenExpired(TokenExpiredException e) {
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\", error_description=\"the token has expired\"")
                .body(ProblemAdvice.problem(HttpStatus.UNAUTHORIZED, "Unauthorized", e.getMessage(), "token-expired"));
    }

    /** session-service (or a peer) cannot answer: the agent's client retries after the hinted delay. */
    @ExceptionHandler(ServiceUnavailableException.class)
    ResponseEntity<ProblemDetail> unavailable(ServiceUnavailableException e) {
        return ProblemAdvice.unavailable(e.service() + " did not answer; retry later",
                Math.max(1, e.retryAfter().toSeconds()));
    }

    @ExceptionHandler(ForbiddenActionException.class)
    ResponseEntity<ProblemDetail> forbidden(ForbiddenActionException e) {
        ProblemDetail problem = ProblemAdvice.problem(HttpStatus.FORBIDDEN, "Forbidden", e.getMessage(), "forbidden");
        if (e.assigneeId() != null) {
            problem.setProperty("assigneeId", e.assigneeId());
        }
        return ProblemAdvice.respond(problem);
    }
}
