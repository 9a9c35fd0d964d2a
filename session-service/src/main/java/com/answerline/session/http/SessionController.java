package com.answerline.session.http;

import java.time.Duration;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import com.answerline.schemas.conversation.ConversationId;
import com.answerline.session.config.SessionServiceProperties;
import com.answerline.session.query.InvalidQueryException;
import com.answerline.session.query.SessionListQuery;
import com.answerline.session.query.SessionPage;
import com.answerline.session.routing.SessionRouter;

/**
 * Read-only session API for the gateway and dispatch; agents never call it directly. Any instance answers for every
 * conversation ({@link SessionRouter} asks the owner, or all instances for a list).
 */
@RestController
@RequestMapping("/api/v1/conversations")
class SessionController {

    private final SessionRouter router;
    private final Duration expiringLead;

    SessionController(SessionRouter router, SessionServiceProperties properties) {
        this.router = router;
        this.expiringLead = properties.timers().expiringLead();
    }

    /**
     * 200 with the session, 404 when the conversation is unknown, 400 for a malformed id, 503 while Streams is not
     * RUNNING or the owning instance is unknown or unreachable.
     */
    @GetMapping("/{conversationId}")
    ResponseEntity<?> session(@PathVariable String conversationId,
                              @RequestHeader(name = SessionRouter.FORWARDED_HEADER, required = false) String forwarded) {
        ConversationId id;
        try {
            id = ConversationId.parse(conversationId);
        } catch (IllegalArgumentException e) {
            throw new InvalidQueryException("conversationId", e.getMessage());
        }
        return Answers.respond(router.session(id.toString(), forwarded != null),
                "no session for this conversation: no customer message has been folded");
    }

    /**
     * One page of a tenant's conversations, most urgent window first: 200 {@code {"items": [...], "nextCursor":
     * ...}}, 400 naming the parameter, 503 while any instance cannot answer (never a partial list).
     */
    @GetMapping
    SessionPage list(@RequestParam(required = false) String tenantId,
                     @RequestParam(required = false) String window,
                     @RequestParam(required = false) String within,
                     @RequestParam(required = false) String assignee,
                     @RequestParam(required = false) String unassigned,
                     @RequestParam(required = false) String limit,
                     @RequestParam(required = false) String cursor,
                     @RequestHeader(name = SessionRouter.FORWARDED_HEADER, required = false) String forwarded) {
        SessionListQuery query = SessionListQuery.parse(tenantId, window, within, assignee, unassigned, limit, cursor,
                expiringLead);
        return router.page(query, forwarded != null);
    }
}
