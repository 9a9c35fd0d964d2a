package com.answerline.ingest.gateway;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
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
import com.answerline.ingest.client.SessionClient;
import com.answerline.ingest.client.SessionView;
import com.answerline.ingest.publish.EventPublisher;
import com.answerline.ingest.publish.OutgoingRecord;
import com.answerline.schemas.tenant.TenantDirectory;
import com.answerline.schemas.topic.Topics;

/**
 * {@code PUT|DELETE /api/v1/conversations/{conversationId}/assignee}: publishes {@link AssignmentChanged}
 * (session-service folds it into the session's assignee) and answers 202 with the change once Kafka has it.
 * Role rules in {@link Assignments}; for an agent (not a supervisor) the current assignee is read from
 * session-service first (503 with Retry-After while it cannot answer).
 *
 * <p>Check, then publish: two agents taking one unassigned conversation at the same moment both read "nobody" and
 * both get 202. Their changes share the conversation's key, so session-service folds them in log order, and the
 * later one is the assignee (a change older than the session's {@code assignedAt} is dropped). The other agent sees
 * the conversation event name the winner, and a second take is then 403 naming them.
 */
@RestController
@RequestMapping("/api/v1")
class AssignmentController {

    private final ConversationAccess access;
    private final EventPublisher publisher;
    private final SessionClient sessions;
    private final Clock clock;

    AssignmentController(TenantDirectory tenants, EventPublisher publisher, SessionClient sessions, Clock clock) {
        this.access = new ConversationAccess(tenants);
        this.publisher = publisher;
        this.sessions = sessions;
        this.clock = clock;
    }

    @PutMapping("/conversations/{conversationId}/assignee")
    Mono<ResponseEntity<AssignmentView>> assign(@PathVariable String conversationId,
                                                @RequestBody(required = false) AssigneeRequest request,
                                                JwtAuthenticationToken authentication) {
        Jwt token = authentication.getToken();
        ConversationAccess.Conversation conversation = access.resolve(conversationId, token);
        Set<String> roles = roles(authentication);
        String assignee = Assignments.assignee(request, token.getSubject(), roles);
        return currentAssignee(token, conversation, roles)
                .doOnNext(current -> Assignments.checkCurrentAssignee(current.orElse(null), token.getSubject(), roles, true))
                .then(Mono.defer(() -> publish(conversation, assignee, token.getSubject())));
    }

    @DeleteMapping("/conversations/{conversationId}/assignee")
    Mono<ResponseEntity<AssignmentView>> unassign(@PathVariable String conversationId,
                                                  JwtAuthenticationToken authentication) {
        Jwt token = authentication.getToken();
        ConversationAccess.Conversation conversation = access.resolve(conversationId, token);
        Set<String> roles = roles(authentication);
        Assignments.checkUnassign(roles);
        return currentAssignee(token, conversation, roles)
                .doOnNext(current -> Assignments.checkCurrentAssignee(current.orElse(null), token.getSubject(), roles, false))
                .then(Mono.defer(() -> publish(conversation, null, token.getSubject())));
    }

    /**
     * Who holds the conversation now, as session-service answers (empty: nobody, or a conversation it does not know
     * yet, which nobody holds either); not read when the caller's change does not depend on it (a supervisor's).
     */
    private Mono<Optional<String>> currentAssignee(Jwt token, ConversationAccess.Conversation conversation,
                                                   Set<String> roles) {
        if (!Assignments.dependsOnCurrentAssignee(roles)) {
            return Mono.just(Optional.empty());
        }
        return sessions.find(token, conversation.id().toString()).map(found -> {
            // Belt and braces, as in the conversation read: ConversationAccess checked the business number already.
            if (found.isPresent() && found.get().tenantId() != null
                    && !conversation.tenantId().equals(found.get().tenantId())) {
                throw new ConversationNotFoundException();
            }
            return found.map(SessionView::assigneeId);
        });
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
