package com.answerline.ingest.gateway;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import com.answerline.avro.ReplyCommand;
import com.answerline.ingest.publish.EventPublisher;
import com.answerline.ingest.publish.OutgoingRecord;
import com.answerline.schemas.tenant.TenantDirectory;
import com.answerline.schemas.conversation.ConversationId;
import com.answerline.schemas.topic.Topics;

/**
 * The agents' reply endpoint: accepted replies become {@link ReplyCommand}s on Kafka, answered 202. With an
 * idempotency key ({@code Idempotency-Key} header or {@code clientCommandId}) a replay answers the first
 * request's 202 again, with {@value #REPLAYED_HEADER}, and publishes nothing ({@link ReplyAcceptances}); the
 * same key with a different body is a 422 (IETF httpapi-idempotency-key draft).
 */
@RestController
@RequestMapping("/api/v1")
class ReplyController {

    static final String REPLAYED_HEADER = "Idempotent-Replayed";

    private final ConversationAccess access;
    private final EventPublisher publisher;
    private final ReplyAcceptances acceptances;
    private final Clock clock;

    ReplyController(TenantDirectory tenants, EventPublisher publisher, ReplyAcceptances acceptances, Clock clock) {
        this.access = new ConversationAccess(tenants);
        this.publisher = publisher;
        this.acceptances = acceptances;
        this.clock = clock;
    }

    @Operation(summary = "Reply to a conversation: accepted onto Kafka (202), decided and sent by dispatch-service",
            description = "text and/or template; fallback AUTO (default: the tenant's policy), SMS, TEMPLATE, "
                    + "TEMPLATE_THEN_HOLD, NONE or DIRECT_SEND; category UTILITY marks the text so that it may go on "
                    + "WhatsApp through Direct Send after the window closed (" + ReplyCommands.UTILITY_MEANING + "). "
                    + "A wrong value is a 400 problem naming its field. Idempotency-Key (or clientCommandId): a "
                    + "replay answers the first 202 again, the same key with another body is a 422.")
    @PostMapping("/conversations/{conversationId}/replies")
    Mono<ResponseEntity<ReplyAccepted>> reply(@PathVariable String conversationId,
                                              @RequestBody(required = false) ReplyRequest request,
                                              @RequestHeader(name = ReplyCommands.IDEMPOTENCY_KEY_HEADER, required = false)
                                              String idempotencyKey,
                                              @AuthenticationPrincipal Jwt token) {
        ConversationAccess.Conversation target = access.resolve(conversationId, token);
        String tenantId = target.tenantId();
        ConversationId conversation = target.id();
        ReplyCommands.validate(request);
        ReplyCommands.IdempotencyKey key = ReplyCommands.idempotencyKey(idempotencyKey, request.clientCommandId());
        String commandId = ReplyCommands.commandId(tenantId, token.getSubject(), conversation, key);
        Instant issuedAt = clock.instant();
        ReplyCommand command = ReplyCommands.command(commandId, tenantId, conversation, token.getSubject(),
                token.getClaimAsString("name"), request, issuedAt);
        if (key == null) {
            return publisher.publish(List.of(new OutgoingRecord<>(Topics.REPLY_COMMANDS, conversation.toString(), issuedAt, command)))
                    .thenReturn(accepted(commandId, false));
        }
        String fingerprint = ReplyCommands.fingerprint(request);
        return acceptances.accept(command, ReplyCommands.acceptance(command, fingerprint))
                .map(standing -> {
                    if (!standing.acceptance().getRequestFingerprint().equals(fingerprint)) {
                        throw new IdempotencyKeyReusedException(key.field());
                    }
                    return accepted(commandId, standing.replayed());
                });
    }

    /** The 202 of a reply; a replay's is the same, plus the replay header. */
    private static ResponseEntity<ReplyAccepted> accepted(String commandId, boolean replayed) {
        ResponseEntity.BodyBuilder response = ResponseEntity.accepted().location(URI.create(ReplyAccepted.outcomePath(commandId)));
        if (replayed) {
            response.header(REPLAYED_HEADER, "true");
        }
        return response.body(ReplyAccepted.pending(commandId));
    }
}
