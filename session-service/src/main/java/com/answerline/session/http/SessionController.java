package com.answerline.session.http;

import java.time.Duration;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.answerline.platform.security.AgentTokens;
import com.answerline.schemas.conversation.ConversationId;
import com.answerline.schemas.tenant.TenantDirectory;
import com.answerline.session.config.SessionServiceProperties;
import com.answerline.session.query.InvalidQueryException;
import com.answerline.session.query.SessionListQuery;
import com.answerline.session.query.SessionPage;
import com.answerline.session.routing.SessionRouter;

/**
 * Read-only session API for the gateway, which relays the agent's bearer token (SecurityConfiguration checks it):
 * the tenant is the token's, never a parameter, and another tenant's conversation answers 404 like an unknown one.
 * Any instance answers for every conversation ({@link SessionRouter} asks the owner, with the same token, or all
 * instances for a list).
 */
@RestController
@RequestMapping("/api/v1/conversations")
class SessionController {

    static final String NO_SESSION = "no session for this conversation: no customer message has been folded";

    private final SessionRouter router;
    private final TenantDirectory tenants;
    private final Duration expiringLead;

    SessionController(SessionRouter router, TenantDirectory tenants, SessionServiceProperties properties) {
        this.router = router;
        this.tenants = tenants;
        this.expiringLead = properties.timers().expiringLead();
    }

    /**
     * 200 with the session, 404 when the conversation is unknown or another tenant's, 400 for a malformed id, 503
     * while Streams is not RUNNING or the owning instance is unknown or unreachable.
     */
    @GetMapping("/{conversationId}")
    ResponseEntity<?> session(@PathVariable String conversationId, @AuthenticationPrincipal Jwt token,
                              @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization,
                              @RequestHeader(name = SessionRouter.FORWARDED_HEADER, required = false) String forwarded) {
        ConversationId id;
        try {
            id = ConversationId.parse(conversationId);
        } catch (IllegalArgumentException e) {
            throw new InvalidQueryException("conversationId", e.getMessage());
        }
        String tenantId = AgentTokens.tenantOf(token);
        if (!tenants.owns(tenantId, id.phoneNumberId())) {
            // The gateway's answer: a conversation of another tenant's number is one that does not exist.
            return ResponseEntity.status(HttpStatus.NOT_FOUND)
                    .body(ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, NO_SESSION));
        }
        return Answers.respond(router.session(id.toString(), tenantId, authorization, forwarded != null), NO_SESSION);
    }

    /**
     * One page of the token's tenant's conversations, most urgent window first: 200 {@code {"items": [...],
     * "nextCursor": ...}}, 400 naming the parameter, 503 while any instance cannot answer (never a partial list).
     */
    @GetMapping
    SessionPage list(@AuthenticationPrincipal Jwt token,
                     @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization,
                     @RequestParam(required = false) String window,
                     @RequestParam(required = false) String within,
                     @RequestParam(required = false) String assignee,
                     @RequestParam(required = false) String unassigned,
                     @RequestParam(required = false) String limit,
                     @RequestParam(required = false) String cursor,
                     @RequestHeader(name = SessionRouter.FORWARDED_HEADER, required = false) String forwarded) {
        SessionListQuery query = SessionListQuery.parse(AgentTokens.tenantOf(token), window, within, assignee, unassigned,
                limit, cursor, expiringLead);
        return router.page(query, authorization, forwarded != null);
    }
}
