package com.answerline.session.http;

import org.springframework.http.HttpHeaders;
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
import com.answerline.session.query.MediaQuery;
import com.answerline.session.query.ThreadQuery;
import com.answerline.session.routing.SessionRouter;

/**
 * A conversation's thread and the media references of its messages, for the gateway. Any instance answers: the read
 * goes to the instance that owns the conversation ({@link SessionRouter}), with the agent's token. The tenant is the
 * token's; another tenant's conversation is not found, exactly like an unknown one.
 */
@RestController
@RequestMapping("/api/v1/conversations/{conversationId}")
class ThreadController {

    /** The one answer for "none", whether the conversation is unknown or another tenant's. */
    static final String NO_THREAD = "no thread for this conversation";
    static final String NO_MEDIA = "no message of this conversation carries this media id";

    private final SessionRouter router;

    ThreadController(SessionRouter router) {
        this.router = router;
    }

    /**
     * 200 {@code {"conversationId", "items": [...newest first], "nextCursor"}}, 404 when the tenant has no thread with
     * this id, 400 naming {@code conversationId}, {@code limit} or {@code before}, 503 while the owner cannot answer.
     */
    @GetMapping("/messages")
    ResponseEntity<?> messages(@PathVariable String conversationId, @AuthenticationPrincipal Jwt token,
                               @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization,
                               @RequestParam(required = false) String before,
                               @RequestParam(required = false) String limit,
                               @RequestHeader(name = SessionRouter.FORWARDED_HEADER, required = false) String forwarded) {
        ThreadQuery query = ThreadQuery.parse(conversationId, AgentTokens.tenantOf(token), before, limit);
        return Answers.respond(router.thread(query, authorization, forwarded != null), NO_THREAD);
    }

    /**
     * 200 {@code {"mediaId", "phoneNumberId", "mimeType", "fileName", "sizeBytes", "entryId"}}, 404 when no message
     * of the tenant's conversation carries the media id, 400 naming the parameter, 503 while the owner cannot answer.
     */
    @GetMapping("/media/{mediaId}")
    ResponseEntity<?> media(@PathVariable String conversationId, @PathVariable String mediaId,
                            @AuthenticationPrincipal Jwt token,
                            @RequestHeader(HttpHeaders.AUTHORIZATION) String authorization,
                            @RequestHeader(name = SessionRouter.FORWARDED_HEADER, required = false) String forwarded) {
        MediaQuery query = MediaQuery.parse(conversationId, AgentTokens.tenantOf(token), mediaId);
        return Answers.respond(router.media(query, authorization, forwarded != null), NO_MEDIA);
    }
}
