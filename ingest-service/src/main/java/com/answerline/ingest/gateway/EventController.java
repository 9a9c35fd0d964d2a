package com.answerline.ingest.gateway;

import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;

import com.answerline.ingest.events.LiveEvents;
import com.answerline.ingest.events.StreamOwner;
import com.answerline.schemas.tenant.TenantDirectory;

/**
 * {@code GET /api/v1/events}: server-sent events of the caller's tenant, live ({@code conversation} when a
 * session changes, {@code reply-outcome} when dispatch reports), optionally for one conversation, which passes
 * the same gate as every other conversation path ({@link ConversationAccess}: 400 malformed, 404 another
 * tenant's). No history and no {@code Last-Event-ID} resumption: a client that reconnects reloads what it shows
 * through the other endpoints.
 *
 * <p>A stream ends at its token's expiry ({@code event: expired}, then the end): the client reconnects with a fresh
 * token. An agent (the token's {@code sub} within its tenant) and a tenant may hold a limited number of streams on one
 * instance (429 naming the cap), the instance a limited number in all (503); see {@link LiveEvents}.
 */
@RestController
@RequestMapping("/api/v1")
class EventController {

    private final ConversationAccess access;
    private final LiveEvents events;

    EventController(TenantDirectory tenants, LiveEvents events) {
        this.access = new ConversationAccess(tenants);
        this.events = events;
    }

    @GetMapping(path = "/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<Object>> events(@RequestParam(required = false) String conversationId,
                                         @AuthenticationPrincipal Jwt token) {
        String conversation = null;
        String tenantId = token.getClaimAsString(ConversationAccess.TENANT_CLAIM);
        if (conversationId != null) {
            ConversationAccess.Conversation target = access.resolve(conversationId, token);
            tenantId = target.tenantId();
            conversation = target.id().toString();
        }
        if (tenantId == null) {
            throw new ForbiddenActionException("the token names no tenant");
        }
        if (token.getSubject() == null) {
            throw new ForbiddenActionException("the token names no subject (agent)");
        }
        return events.stream(new StreamOwner(tenantId, token.getSubject(), token.getExpiresAt()), conversation);
    }
}
