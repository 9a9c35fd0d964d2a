package com.answerline.dispatch.preview;

import java.net.URI;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ServerWebInputException;

/** RFC 9457 problem details for the preview's refusals (400 naming the field, 404), in the shape ingest answers its own. */
@RestControllerAdvice(basePackageClasses = PreviewProblemAdvice.class)
class PreviewProblemAdvice {

    @ExceptionHandler(InvalidPreviewException.class)
    ResponseEntity<ProblemDetail> invalid(InvalidPreviewException e) {
        ProblemDetail problem = invalid(e.getMessage());
        problem.setProperty("field", e.field());
        return ResponseEntity.of(problem).build();
    }

    @ExceptionHandler(ConversationNotFoundException.class)
    ResponseEntity<ProblemDetail> notFound(ConversationNotFoundException e) {
        return ResponseEntity.of(ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage())).build();
    }

    /** Unreadable JSON or a value of the wrong JSON type. */
    @ExceptionHandler(ServerWebInputException.class)
    ResponseEntity<ProblemDetail> unreadable(ServerWebInputException e) {
        return ResponseEntity.of(invalid("request body cannot be read")).build();
    }

    private static ProblemDetail invalid(String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        problem.setTitle("Invalid request");
        problem.setType(URI.create("urn:answerline:problem:invalid-request"));
        return problem;
    }
}
