package com.answerline.ingest.gateway;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import com.answerline.ingest.client.ServiceUnavailableException;
import com.answerline.ingest.http.ProblemAdvice;

/** Problem details for the gateway's own refusals (400, the event log's 503 and the rest come from {@link ProblemAdvice}). */
@RestControllerAdvice(basePackageClasses = GatewayProblemAdvice.class)
class GatewayProblemAdvice {

    @ExceptionHandler(ConversationNotFoundException.class)
    ResponseEntity<ProblemDetail> notFound(ConversationNotFoundException e) {
        return ResponseEntity.of(ProblemAdvice.problem(HttpStatus.NOT_FOUND, "Not found", e.getMessage(), "not-found")).build();
    }

    /** session-service (or a peer) cannot answer: the agent's client retries after the hinted delay. */
    @ExceptionHandler(ServiceUnavailableException.class)
    ResponseEntity<ProblemDetail> unavailable(ServiceUnavailableException e) {
        ProblemDetail problem = ProblemAdvice.problem(HttpStatus.SERVICE_UNAVAILABLE, "Temporarily unavailable",
                e.service() + " did not answer; retry later", "unavailable");
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, e.retryAfter().toSeconds())))
                .body(problem);
    }

    @ExceptionHandler(ForbiddenActionException.class)
    ResponseEntity<ProblemDetail> forbidden(ForbiddenActionException e) {
        return ResponseEntity.of(ProblemAdvice.problem(HttpStatus.FORBIDDEN, "Forbidden", e.getMessage(), "forbidden")).build();
    }
}
