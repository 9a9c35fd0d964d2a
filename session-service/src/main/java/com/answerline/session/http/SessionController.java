package com.answerline.session.http;

import java.time.Clock;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import com.answerline.schemas.conversation.ConversationId;
import com.answerline.session.query.LocalSessionQueries;
import com.answerline.session.query.SessionStoreUnavailableException;

/** Read-only session API for the gateway and dispatch; agents never call it directly. */
@RestController
@RequestMapping("/api/v1/conversations")
class SessionController {

    private final LocalSessionQueries queries;
    private final Clock clock;

    SessionController(LocalSessionQueries queries, Clock clock) {
        this.queries = queries;
        this.clock = clock;
    }

    /** 200 with the session, 404 when the conversation is unknown, 400 for a malformed id, 503 while starting. */
    @GetMapping("/{conversationId}")
    ResponseEntity<?> session(@PathVariable String conversationId) {
        ConversationId id = ConversationId.parse(conversationId);
        return queries.find(id.toString())
                .<ResponseEntity<?>>map(session -> ResponseEntity.ok(SessionView.of(session, clock.instant())))
                .orElseGet(() -> ResponseEntity.status(HttpStatus.NOT_FOUND).body(ProblemDetail.forStatusAndDetail(
                        HttpStatus.NOT_FOUND, "no session for this conversation: no customer message has been folded")));
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail malformedId(IllegalArgumentException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        problem.setProperty("field", "conversationId");
        return problem;
    }

    @ExceptionHandler(SessionStoreUnavailableException.class)
    ResponseEntity<ProblemDetail> unavailable(SessionStoreUnavailableException e) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header("Retry-After", "1")
                .body(ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage()));
    }
}
