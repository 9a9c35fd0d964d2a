package com.answerline.ingest.gateway;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

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
import com.answerline.ingest.tenant.TenantDirectory;
import com.answerline.schemas.conversation.ConversationId;
import com.answerline.schemas.topic.Topics;

/** The agents' reply endpoint: accepted replies become {@link ReplyCommand}s on Kafka, answered 202. */
@RestController
@RequestMapping("/api/v1")
class ReplyController {

    private final ConversationAccess access;
    private final EventPublisher publisher;
    private final Clock clock;

    ReplyController(TenantDirectory tenants, EventPublisher publisher, Clock clock) {
        this.access = new ConversationAccess(tenants);
        this.publisher = publisher;
        this.clock = clock;
    }

    @PostMapping("/conversations/{conversationId}/replies")
    Mono<ResponseEntity<?>> reply(@PathVariable String conversationId,
                                  @RequestBody(required = false) ReplyRequest request,
                                  @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
                                  @AuthenticationPrincipal Jwt token) {
        ConversationAccess.Conversation target = access.resolve(conversationId, token);
        String tenantId = target.tenantId();
        ConversationId conversation = target.id();
        ReplyCommands.validate(request);
        String commandId = ReplyCommands.commandId(tenantId, token.getSubject(), conversation, idempotencyKey);
        Instant issuedAt = clock.instant();
        ReplyCommand command = ReplyCommands.command(commandId, tenantId, conversation, token.getSubject(),
                token.getClaimAsString("name"), request, issuedAt);
        return publisher.publish(List.of(new OutgoingRecord<>(Topics.REPLY_COMMANDS, conversation.toString(), issuedAt, command)))
                .thenReturn(ResponseEntity.accepted()
                        .location(URI.create(ReplyAccepted.outcomePath(commandId)))
                        .body(ReplyAccepted.pending(commandId)));
    }
}
