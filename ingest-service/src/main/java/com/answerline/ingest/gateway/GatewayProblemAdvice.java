package com.answerline.ingest.gateway;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import com.answerline.ingest.http.ProblemAdvice;

/** Problem details for the gateway's own refusals (400, 503 and the rest come from {@link ProblemAdvice}). */
@RestControllerAdvice(basePackageClasses = GatewayProblemAdvice.class)
class GatewayProblemAdvice {

    @ExceptionHandler(ConversationNotFoundException.class)
    ResponseEntity<ProblemDetail> notFound(ConversationNotFoundException e) {
        return ResponseEntity.of(ProblemAdvice.problem(HttpStatus.NOT_FOUND, "Not found", e.getMessage(), "not-found")).build();
    }

    @ExceptionHandler(ForbiddenActionException.class)
    ResponseEntity<ProblemDetail> forbidden(ForbiddenActionException e) {
        return ResponseEntity.of(ProblemAdvice.problem(HttpStatus.FORBIDDEN, "Forbidden", e.getMessage(), "forbidden")).build();
    }
}
