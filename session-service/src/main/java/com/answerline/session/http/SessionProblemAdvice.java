package com.answerline.session.http;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import com.answerline.session.query.InvalidQueryException;
import com.answerline.session.query.SessionStoreUnavailableException;

/** Problem details of every read: 400 naming the parameter, 503 with Retry-After while the data cannot be read. */
@RestControllerAdvice(basePackageClasses = SessionProblemAdvice.class)
class SessionProblemAdvice {

    @ExceptionHandler(InvalidQueryException.class)
    ProblemDetail invalidRequest(InvalidQueryException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        problem.setProperty("field", e.field());
        return problem;
    }

    @ExceptionHandler(SessionStoreUnavailableException.class)
    ResponseEntity<ProblemDetail> unavailable(SessionStoreUnavailableException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, "1")
                .body(ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage()));
    }
}
