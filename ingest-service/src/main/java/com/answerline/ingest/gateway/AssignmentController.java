package com.answerline.ingest.gateway;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.http.ResponseEntity;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import com.answerline.avro.AssignmentChanged;
import com.answerline.ingest.publish.EventPublisher;
import com.answerline.ingest.publish.OutgoingRecord;
import com.answerline.schemas.tenant.TenantDirectory;
import com.answerline.schemas.topic.Topics;

/**
 * {@code PUT|DELETE /api/v1/conversations/{conversationId}/assignee}: publishes {@link AssignmentChanged}
 * (session-service folds it into the session's assignee) and answers 202 with the change once Kafka has it.
 * Role rules in {@link Assignments}.
 */
@RestController
@RequestMapping("/api/v1")
class AssignmentController {

    private final ConversationAccess access;
    private final EventPublisher publisher;
    private final Clock clock;

    AssignmentController(TenantDirectory tenants, EventPublisher publisher, Clock clock) {
        this.access = new ConversationAccess(tenants);
        this.publisher = publisher;
        this.clock = clock;
    }

    @PutMapping("/conversations/{conversationId}/assignee")
    Mono<ResponseEntity<AssignmentView>> assign(@PathVariable String conversationId,
                                                @RequestBody(required = false) AssigneeRequest request,
                                                JwtAuthenticationToken authentication) {
        Jwt token = authentication.getToken();
        ConversationAccess.Conversation conversation = access.resolve(conversationId, token);
        String assignee = Assignments.assignee(request, token.getSubject(), roles(authentication));
        return publish(conversation, assignee, token.getSubject());
    }

    @DeleteMapping("/conversations/{conversationId}/assignee")
    Mono<ResponseEntity<AssignmentView>> unassign(@PathVariable String conversationId,
                                                  JwtAuthenticationToken authentication) {
        Jwt token = authentication.getToken();
        ConversationAccess.Conversation conversation = access.resolve(conversationId, token);
        Assignments.checkUnassign(roles(authentication));
        return publish(conversation, null, token.getSubject());
    }

    private Mono<ResponseEntity<AssignmentView>> publish(ConversationAccess.Conversation conversation, String assignee,
                                                         String changedBy) {
        Instant now = clock.instant();
        AssignmentChanged change = Assignments.change(conversation.tenantId(), conversation.id(), assignee, changedBy, now);
        return publisher.publish(List.of(new OutgoingRecord<>(Topics.ASSIGNMENT_CHANGES, conversation.id().toString(), now, change)))
                .thenReturn(ResponseEntity.accepted().body(AssignmentView.of(change)));
    }

    /** The roles the security chain granted (the token's "roles" claim as ROLE_* authorities), without the prefix. */
    private static Set<String> roles(JwtAuthenticationToken authentication) {
        return authentication.getAuthorities().stream()
                .map(GrantedAuthority::getAuthority)
                .filter(a -> a.startsWith("ROLE_"))
                .map(a -> a.substring("ROLE_".length()))
                .collect(Collectors.toUnmodifiableSet());
    }
}
