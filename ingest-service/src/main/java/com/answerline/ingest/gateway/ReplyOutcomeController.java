package com.answerline.ingest.gateway;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import com.answerline.ingest.http.ProblemAdvice;
import com.answerline.ingest.query.OutcomeStoreUnavailableException;
import com.answerline.ingest.query.ReplyOutcomes;

/**
 * {@code GET /api/v1/replies/{commandId}}: the latest outcome of a reply command, as dispatch reported it.
 *
 * <p>No outcome yet answers 404, not "PENDING": ingest keeps no record of the commands it accepted, so it
 * cannot tell a command still in flight from one that never existed. Dispatch's first outcome (PENDING or
 * final) usually follows within the commit interval; clients poll on 404 for a while.
 */
@RestController
@RequestMapping("/api/v1")
class ReplyOutcomeController {

    static final String NOT_FOUND_DETAIL = "no outcome yet for this command (it may still be in flight)";
    /** Command ids are UUIDs; anything much longer is not one of ours and is not looked up. */
    static final int MAX_COMMAND_ID_LENGTH = 64;

    private final ReplyOutcomes outcomes;

    ReplyOutcomeController(ReplyOutcomes outcomes) {
        this.outcomes = outcomes;
    }

    @GetMapping("/replies/{commandId}")
    Mono<ResponseEntity<Object>> outcome(@PathVariable String commandId, @AuthenticationPrincipal Jwt token) {
        String tenantId = token.getClaimAsString(ConversationAccess.TENANT_CLAIM);
        if (tenantId == null || commandId.length() > MAX_COMMAND_ID_LENGTH) {
            return Mono.just(notFound());
        }
        // A local RocksDB read: quick, but blocking, so off the event loop.
        return Mono.fromCallable(() -> outcomes.find(commandId))
                .subscribeOn(Schedulers.boundedElastic())
                .map(found -> found
                        // Another tenant's command looks exactly like one that does not exist.
                        .filter(outcome -> tenantId.equals(outcome.getTenantId()))
                        .map(outcome -> ResponseEntity.<Object>ok(ReplyOutcomeView.of(outcome)))
                        .orElseGet(ReplyOutcomeController::notFound))
                .onErrorResume(OutcomeStoreUnavailableException.class, e -> Mono.just(unavailable()));
    }

    private static ResponseEntity<Object> notFound() {
        return ResponseEntity.status(HttpStatus.NOT_FOUND)
                .<Object>body(ProblemAdvice.problem(HttpStatus.NOT_FOUND, "Not found", NOT_FOUND_DETAIL, "not-found"));
    }

    private static ResponseEntity<Object> unavailable() {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, "2")
                .<Object>body(ProblemAdvice.problem(HttpStatus.SERVICE_UNAVAILABLE, "Temporarily unavailable",
                        "reply outcomes are being loaded; retry later", "unavailable"));
    }
}
