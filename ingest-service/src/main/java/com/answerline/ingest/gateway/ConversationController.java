package com.answerline.ingest.gateway;

import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

import com.answerline.ingest.client.DispatchClient;
import com.answerline.ingest.client.ServiceUnavailableException;
import com.answerline.ingest.client.SessionClient;
import com.answerline.ingest.client.SessionQuery;
import com.answerline.ingest.client.SessionView;
import com.answerline.schemas.tenant.TenantDirectory;

/**
 * The agents' conversation reads, from session-service over HTTP (ingest keeps no copy of the state) and, for
 * one conversation, dispatch-service's preview of the channel a text reply would take now and of every option the
 * agent has, each with its estimated cost (forwarded as dispatch answers it).
 *
 * <p>session-service unavailable: 503 with Retry-After (there is nothing to show). dispatch-service unavailable:
 * still 200, {@code replyPreview} null and {@code replyPreviewError} set: the window, assignee and last messages
 * are what the agent needs to work, the preview is advice (dispatch decides again when the reply is processed,
 * and replies are accepted onto Kafka while it is away), so its absence must not hide the rest.
 */
@RestController
@RequestMapping("/api/v1")
class ConversationController {

    private static final Logger log = LoggerFactory.getLogger(ConversationController.class);
    static final String PREVIEW_UNAVAILABLE = "dispatch-service could not be asked for the reply channel; retry later";

    private final ConversationAccess access;
    private final SessionClient sessions;
    private final DispatchClient dispatch;

    ConversationController(TenantDirectory tenants, SessionClient sessions, DispatchClient dispatch) {
        this.access = new ConversationAccess(tenants);
        this.sessions = sessions;
        this.dispatch = dispatch;
    }

    @Operation(summary = "A conversation: window, assignee, last messages, customer, the reply channel now and "
            + "every reply option with its cost",
            description = "404 for an unknown conversation and for another tenant's. 503 (Retry-After) while "
                    + "session-service cannot answer. replyPreview is null, with replyPreviewError, while "
                    + "dispatch-service cannot answer. replyPreview.options lists WhatsApp free-form, SMS with the "
                    + "link, each template of the tenant, hold and WhatsApp through Direct Send (channel "
                    + "WHATSAPP_DIRECT_SEND: the text marked UTILITY, outside the window), each with allowed (and why "
                    + "not) and its estimatedCost.")
    @GetMapping("/conversations/{conversationId}")
    Mono<ConversationView> conversation(
            @PathVariable String conversationId,
            @Parameter(description = "preview another fallback policy than the tenant's: AUTO (default), SMS, "
                    + "TEMPLATE, TEMPLATE_THEN_HOLD, NONE or DIRECT_SEND")
            @RequestParam(required = false) String fallback,
            @Parameter(description = "the agent's draft, at most " + ReplyCommands.MAX_TEXT_LENGTH + " characters: the "
                    + "preview decides on it and counts its SMS segments")
            @RequestParam(required = false) String text,
            @Parameter(description = "the draft's mark, as the reply would carry it: UTILITY (Direct Send may be "
                    + "offered once the window closed) or left out. " + ReplyCommands.UTILITY_MEANING)
            @RequestParam(required = false) String category,
            @AuthenticationPrincipal Jwt token) {
        ConversationAccess.Conversation target = access.resolve(conversationId, token);
        String policy = ConversationQueries.fallback(fallback);
        String draft = ConversationQueries.draft(text);
        String mark = ConversationQueries.category(category);
        return sessions.find(token, target.id().toString())
                .map(found -> found
                        // Belt and braces: ConversationAccess checked the business number already.
                        .filter(session -> session.tenantId() == null || target.tenantId().equals(session.tenantId()))
                        .orElseThrow(ConversationNotFoundException::new))
                .flatMap(session -> withPreview(token, target.tenantId(), new DispatchClient.Draft(policy, draft, mark),
                        session));
    }

    @Operation(summary = "The tenant's conversations, filtered by window and assignee, a page at a time",
            description = "The tenant is the token's. assignee=me means the caller. Items carry no reply preview.")
    @GetMapping("/conversations")
    Mono<ConversationPage> conversations(
            @Parameter(description = "open, expiring or closed") @RequestParam(required = false) String window,
            @Parameter(description = "with window=expiring: windows ending within this ISO-8601 duration, e.g. PT1H")
            @RequestParam(required = false) String within,
            @Parameter(description = "an agent id, or me") @RequestParam(required = false) String assignee,
            @Parameter(description = "true: only conversations nobody is assigned to")
            @RequestParam(required = false) String unassigned,
            @Parameter(description = "1 to 100, default 20") @RequestParam(required = false) String limit,
            @Parameter(description = "nextCursor of the previous page") @RequestParam(required = false) String cursor,
            @AuthenticationPrincipal Jwt token) {
        String tenantId = token.getClaimAsString(ConversationAccess.TENANT_CLAIM);
        if (tenantId == null) {
            // No tenant, no conversations; the same answer as an empty tenant.
            return Mono.just(new ConversationPage(List.of(), null, null));
        }
        ConversationQueries.Params params = new ConversationQueries.Params(window, within, assignee, unassigned, limit,
                cursor);
        SessionQuery query = ConversationQueries.sessionQuery(params, tenantId, token.getSubject());
        return sessions.list(token, query).map(page -> new ConversationPage(page.items().stream()
                .filter(session -> tenantId.equals(session.tenantId()))
                .map(ConversationSummary::of)
                .toList(),
                page.nextCursor(), ConversationQueries.nextLink(params, page.nextCursor())));
    }

    private Mono<ConversationView> withPreview(Jwt token, String tenantId, DispatchClient.Draft draft,
                                               SessionView session) {
        return dispatch.preview(token, tenantId, draft, session)
                .map(preview -> new ConversationView(ConversationSummary.of(session), preview, null))
                .onErrorResume(error -> {
                    // The service and status only: no conversation id, number or response body in the log.
                    log.warn("Reply preview unavailable: {}", error instanceof ServiceUnavailableException
                            ? error.getMessage() : error.getClass().getSimpleName());
                    return Mono.just(new ConversationView(ConversationSummary.of(session), null,
                            PREVIEW_UNAVAILABLE));
                });
    }
}
