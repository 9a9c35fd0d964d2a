package com.answerline.session.http;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

import com.answerline.session.routing.SessionRouter;

/** The HTTP answer to a routed read of one conversation's data: the owner's, relayed unchanged, or this instance's. */
final class Answers {

    private Answers() {
    }

    /** 200 with the value found here, 404 problem details with {@code notFound} when none, or the owner's answer. */
    static ResponseEntity<?> respond(SessionRouter.Answer<?> answer, String notFound) {
        if (answer instanceof SessionRouter.Relayed<?> relayed) {
            return ResponseEntity.status(relayed.status()).headers(relayed.headers()).body(relayed.body());
        }
        return ((SessionRouter.Local<?>) answer).value()
                .<ResponseEntity<?>>map(ResponseEntity::ok)
                .orElseGet(() -> ResponseEntity.status(HttpStatus.NOT_FOUND)
                        .body(ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, notFound)));
    }
}
