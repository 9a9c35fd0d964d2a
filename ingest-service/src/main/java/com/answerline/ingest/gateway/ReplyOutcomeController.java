package com.answerline.ingest.gateway;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import com.answerline.ingest.client.PeerClient;
import com.answerline.ingest.client.ServiceUnavailableException;
import com.answerline.ingest.http.ProblemAdvice;
import com.answerline.ingest.query.OutcomeStoreUnavailableException;
import com.answerline.ingest.query.ReplyOutcomes;

/**
 * {@code GET /api/v1/replies/{commandId}}: the latest outcome of a reply command, as dispatch reported it.
 *
 * <p>No outcome yet answers 404, not "PENDING": ingest keeps no record of the commands it accepted, so it
 * cannot tell a command still in flight from one that never existed. Dispatch's first outcome (PENDING or
 * final) usually follows within the commit interval; clients poll on 404 for a while.
 *
 * <p>Any instance answers any command: the owner of the command's partition is asked when it is another one.
 */
@RestController
@RequestMapping("/api/v1")
class ReplyOutcomeController {

    static final String NOT_FOUND_DETAIL = "no outcome yet for this command (it may still be in flight)";
    /** Command ids are UUIDs; anything much longer is not one of ours and is not looked up. */
    static final int MAX_COMMAND_ID_LENGTH = 64;

    private final ReplyOutcomes outcomes;
    private final PeerClient peers;

    ReplyOutcomeController(ReplyOutcomes outcomes, PeerClient peers) {
        this.outcomes = outcomes;
        this.peers = peers;
    }

    /**
     * With several ingest instances each holds part of the outcomes: a command owned by another instance is
     * forwarded there (the agent's token with it, so the owner checks it again). A forwarded request answers
     * from this instance's store only.
     */
    @Operation(summary = "The latest outcome of a reply command",
            description = "404 until dispatch reported one (poll), and for another tenant's command.")
    @GetMapping("/replies/{commandId}")
    Mono<ResponseEntity<Object>> outcome(@PathVariable String commandId, @AuthenticationPrincipal Jwt token,
                                         @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                                         @Parameter(hidden = true)
                                         @RequestHeader(name = PeerClient.FORWARDED_HEADER, required = false)
                                         String forwarded) {
        String tenantId = token.getClaimAsString(ConversationAccess.TENANT_CLAIM);
        if (tenantId == null || commandId.length() > MAX_COMMAND_ID_LENGTH) {
            return Mono.just(notFound());
        }
        if (forwarded != null) {
            return local(commandId, tenantId);
        }
        // Ownership comes from Streams' in-memory metadata; the read itself may block, hence the scheduler.
        return Mono.fromCallable(() -> outcomes.remoteOwner(commandId))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap(owner -> owner
                        .map(host -> peers.replyOutcome(host, commandId, authorization)
                                .map(answer -> ResponseEntity.status(answer.getStatusCode())
                                        .headers(answer.getHeaders()).<Object>body(answer.getBody())))
                        .orElseGet(() -> local(commandId, tenantId)))
                .onErrorResume(OutcomeStoreUnavailableException.class, e -> Mono.just(unavailable()))
                .onErrorResume(ServiceUnavailableException.class, e -> Mono.just(unavailable()));
    }

    private Mono<ResponseEntity<Object>> local(String commandId, String tenantId) {
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
