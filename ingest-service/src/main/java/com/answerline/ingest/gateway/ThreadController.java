package com.answerline.ingest.gateway;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import com.answerline.ingest.client.SessionClient;
import com.answerline.schemas.tenant.TenantDirectory;

/**
 * A conversation's thread for the agents: every customer message and every send of a reply, newest first, from
 * session-service (which keeps the thread with the conversation's session; the gateway keeps no copy). The tenant is
 * the token's; another tenant's conversation answers 404 like an unknown one; session-service unavailable: 503 with
 * Retry-After.
 */
@RestController
@RequestMapping("/api/v1")
class ThreadController {

    private final ConversationAccess access;
    private final SessionClient sessions;

    ThreadController(TenantDirectory tenants, SessionClient sessions) {
        this.access = new ConversationAccess(tenants);
        this.sessions = sessions;
    }

    @Operation(summary = "A conversation's messages, newest first, a page at a time",
            description = "Customer messages (text, media with the link that streams it, location, contacts, "
                    + "interactive and button replies, referral, reactions, unknown types by name) and each send of a "
                    + "reply (agent, channel, text or template, step, outcome, delivery lifecycle, failover link, "
                    + "estimated cost). Follow next for older messages. 404 for an unknown conversation and for "
                    + "another tenant's; 400 naming conversationId, limit or before; 503 (Retry-After) while "
                    + "session-service cannot answer.")
    @GetMapping("/conversations/{conversationId}/messages")
    Mono<ThreadView> messages(
            @PathVariable String conversationId,
            @Parameter(description = "next of the previous page (an opaque cursor); absent for the newest messages")
            @RequestParam(required = false) String before,
            @Parameter(description = "1 to 100, default 50") @RequestParam(required = false) String limit,
            @AuthenticationPrincipal Jwt token) {
        ConversationAccess.Conversation target = access.resolve(conversationId, token);
        String cursor = ThreadQueries.before(before);
        int size = ThreadQueries.limit(limit);
        String id = target.id().toString();
        return sessions.thread(token, id, cursor, size)
                .map(found -> found.orElseThrow(ConversationNotFoundException::new))
                .map(page -> new ThreadView(id, page.items(), ThreadQueries.nextLink(id, page.nextCursor(), size)));
    }
}
