package com.answerline.ingest.gateway;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.ReplyCancellation;
import com.answerline.avro.ThreadMessage;
import com.answerline.ingest.client.PeerClient;
import com.answerline.ingest.client.ServiceUnavailableException;
import com.answerline.ingest.http.ProblemAdvice;
import com.answerline.ingest.publish.EventPublisher;
import com.answerline.ingest.publish.OutgoingRecord;
import com.answerline.ingest.query.OutcomeStoreUnavailableException;
import com.answerline.ingest.query.ReplyOutcomes;
import com.answerline.schemas.topic.Topics;

/**
 * The endpoints that start from a reply command's latest outcome: {@code GET /api/v1/replies/{commandId}} (the
 * outcome as dispatch reported it) and {@code DELETE /api/v1/replies/{commandId}/hold} (cancel a held answer).
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
    private final EventPublisher publisher;
    private final Clock clock;

    ReplyOutcomeController(ReplyOutcomes outcomes, PeerClient peers, EventPublisher publisher, Clock clock) {
        this.outcomes = outcomes;
        this.peers = peers;
        this.publisher = publisher;
        this.clock = clock;
    }

    @Operation(summary = "The latest outcome of a reply command, with the delivery of its sends",
            description = "404 until dispatch reported one (poll), and for another tenant's command. delivery: what "
                    + "the provider reported of the send of the outcome's step (accepted, sent, delivered, read, or "
                    + "failed with its code and title), null until reported; deliveries: every send of the command "
                    + "with its step, channel and delivery.")
    @GetMapping("/replies/{commandId}")
    Mono<ResponseEntity<Object>> outcome(@PathVariable String commandId, @AuthenticationPrincipal Jwt token,
                                         @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                                         @Parameter(hidden = true)
                                         @RequestHeader(name = PeerClient.FORWARDED_HEADER, required = false)
                                         String forwarded) {
        return routed(commandId, token, forwarded, owner -> peers.replyOutcome(owner, commandId, authorization),
                tenantId -> own(commandId, tenantId).flatMap(found -> found
                        .map(outcome -> sends(commandId)
                                .map(sends -> ResponseEntity.<Object>ok(ReplyOutcomeView.of(outcome, sends))))
                        .orElseGet(() -> Mono.just(notFound()))));
    }

    /**
     * Only a reply whose latest outcome is HELD can be cancelled; the cancellation is a request to dispatch, which
     * holds the answer: its outcome (CANCELLED, final) follows on the outcome link and the event stream. Should the
     * customer write at the same moment, dispatch decides which came first (the answer is then released, SENT).
     */
    @Operation(summary = "Cancel a held answer (TEMPLATE_THEN_HOLD) before the customer comes back",
            description = "202 when the latest outcome is HELD: a ReplyCancellation is on Kafka and the outcome "
                    + "(CANCELLED) follows on the Location. 409 when it is not HELD (replyStatus in the problem says what "
                    + "it is). 404 for an unknown command and for another tenant's.")
    @DeleteMapping("/replies/{commandId}/hold")
    Mono<ResponseEntity<Object>> cancelHold(@PathVariable String commandId, @AuthenticationPrincipal Jwt token,
                                            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
                                            @Parameter(hidden = true)
                                            @RequestHeader(name = PeerClient.FORWARDED_HEADER, required = false)
                                            String forwarded) {
        return routed(commandId, token, forwarded, owner -> peers.cancelHold(owner, commandId, authorization),
                tenantId -> own(commandId, tenantId).flatMap(found -> found
                        .map(outcome -> cancel(outcome, token.getSubject()))
                        .orElseGet(() -> Mono.just(notFound()))));
    }

    /**
     * With several ingest instances each holds part of the outcomes: a command owned by another instance is
     * forwarded there (the agent's token with it, so the owner checks it again) and its answer relayed. A
     * forwarded request is answered from this instance's store only.
     *
     * @param remote the same request to the owner (host:port)
     * @param local  the answer from this instance's store, given the token's tenant
     */
    private Mono<ResponseEntity<Object>> routed(String commandId, Jwt token, String forwarded,
                                                Function<String, Mono<ResponseEntity<byte[]>>> remote,
                                                Function<String, Mono<ResponseEntity<Object>>> local) {
        String tenantId = token.getClaimAsString(ConversationAccess.TENANT_CLAIM);
        if (tenantId == null || commandId.length() > MAX_COMMAND_ID_LENGTH) {
            return Mono.just(notFound());
        }
        Mono<ResponseEntity<Object>> answer = forwarded != null ? local.apply(tenantId)
                // Ownership comes from Streams' in-memory metadata; the read itself may block, hence the scheduler.
                : Mono.fromCallable(() -> outcomes.remoteOwner(commandId))
                        .subscribeOn(Schedulers.boundedElastic())
                        .flatMap(owner -> owner
                                .map(host -> remote.apply(host)
                                        .map(relayed -> ResponseEntity.status(relayed.getStatusCode())
                                                .headers(relayed.getHeaders()).<Object>body(relayed.getBody())))
                                .orElseGet(() -> local.apply(tenantId)));
        return answer
                .onErrorResume(OutcomeStoreUnavailableException.class, e -> Mono.just(unavailable()))
                .onErrorResume(ServiceUnavailableException.class, e -> Mono.just(unavailable()));
    }

    /** The command's outcome from this instance's partitions, empty when unknown or another tenant's. */
    private Mono<Optional<DispatchOutcome>> own(String commandId, String tenantId) {
        // A local RocksDB read: quick, but blocking, so off the event loop.
        return Mono.fromCallable(() -> outcomes.find(commandId))
                .subscribeOn(Schedulers.boundedElastic())
                // Another tenant's command looks exactly like one that does not exist.
                .map(found -> found.filter(outcome -> tenantId.equals(outcome.getTenantId())));
    }

    /** The deliveries of the command's sends, from this instance's partitions (the owner's, like the outcome). */
    private Mono<List<ThreadMessage>> sends(String commandId) {
        return Mono.fromCallable(() -> outcomes.sends(commandId)).subscribeOn(Schedulers.boundedElastic());
    }

    /**
     * Publishes the cancellation keyed by conversation (dispatch's held answers are partitioned so) and answers
     * 202 once Kafka acknowledged it. A second DELETE while the outcome is still HELD publishes again; dispatch
     * cancels once and ignores the rest.
     */
    private Mono<ResponseEntity<Object>> cancel(DispatchOutcome outcome, String agentId) {
        if (outcome.getStatus() != OutcomeStatus.HELD) {
            return Mono.just(notHeld(outcome));
        }
        Instant now = clock.instant();
        ReplyCancellation cancellation = ReplyCancellation.newBuilder()
                .setCommandId(outcome.getCommandId())
                .setTenantId(outcome.getTenantId())
                .setConversationId(outcome.getConversationId())
                .setAgentId(agentId)
                .setRequestedAt(now)
                .build();
        String commandId = outcome.getCommandId();
        return publisher.publish(List.of(new OutgoingRecord<>(Topics.REPLY_CANCELLATIONS, outcome.getConversationId(), now, cancellation)))
                .thenReturn(ResponseEntity.accepted().location(URI.create(ReplyAccepted.outcomePath(commandId)))
                        .<Object>body(ReplyAccepted.cancellationRequested(commandId)));
    }

    private static ResponseEntity<Object> notHeld(DispatchOutcome outcome) {
        String status = outcome.getStatus().name();
        ProblemDetail problem = ProblemAdvice.problem(HttpStatus.CONFLICT, "Not held",
                "only a held answer can be cancelled; this reply's status is " + status, "not-held");
        problem.setProperty("replyStatus", status);
        problem.setProperty("final", outcome.getFinal$());
        return ResponseEntity.status(HttpStatus.CONFLICT).body(problem);
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
