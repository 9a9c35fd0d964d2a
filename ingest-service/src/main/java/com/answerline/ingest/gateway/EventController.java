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
import com.answerline.schemas.tenant.TenantDirectory;

/**
 * {@code GET /api/v1/events}: server-sent events of the caller's tenant, live ({@code conversation} when a
 * session changes, {@code reply-outcome} when dispatch reports), optionally for one conversation, which passes
 * the same gate as every other conversation path ({@link ConversationAccess}: 400 malformed, 404 another
 * tenant's). No history and no {@code Last-Event-ID} resumption: a client that reconnects reloads what it shows
 * through the other endpoints.
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
        if (conversationId != null) {
            ConversationAccess.Conversation conversation = access.resolve(conversationId, token);
            return events.stream(conversation.tenantId(), conversation.id().toString());
        }
        String tenantId = token.getClaimAsString(ConversationAccess.TENANT_CLAIM);
        if (tenantId == null) {
            throw new ForbiddenActionException("the token names no tenant");
        }
        return events.stream(tenantId, null);
    }
}
