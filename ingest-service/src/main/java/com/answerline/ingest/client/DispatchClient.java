package com.answerline.ingest.client;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * dispatch-service's channel preview: the session the gateway read goes in, the channel a text reply would take
 * now comes out, decided by dispatch's own rules (the gateway has no copy of them). A POST, so no retry here. The
 * call carries the agent's own bearer token (token relay): dispatch checks it and takes the tenant from it.
 * Any failure (refused, timed out, 5xx, or a 400 meaning the two services disagree about the body) is a
 * {@link ServiceUnavailableException}: the gateway shows the conversation without a preview.
 */
public class DispatchClient {

    static final String SERVICE = "dispatch-service";

    private final WebClient web;

    public DispatchClient(WebClient.Builder builder, ClientHttpConnector connector, String baseUrl) {
        this.web = builder.clone().clientConnector(connector).baseUrl(baseUrl).build();
    }

    /**
     * What the agent is about to send, as the preview should decide it.
     *
     * @param fallback AUTO (the tenant's policy) or a policy to preview instead
     * @param text     the agent's draft (its SMS segments are counted), null when there is none
     * @param category UTILITY when the agent marked the draft so (Direct Send may be offered), null when not marked
     */
    public record Draft(String fallback, String text, String category) {
    }

    /** @param agent the agent's token, relayed */
    public Mono<ReplyPreview> preview(Jwt agent, String tenantId, Draft draft, SessionView session) {
        PreviewBody body = new PreviewBody(tenantId, session.conversationId(), draft.fallback(),
                new PreviewBody.Session(session.version(), text(session.windowExpiresAt()), session.customerPhone(),
                        session.customerBsuid(), session.customerProfileName(), text(session.windowOpenedAt()),
                        session.freeEntryPoint(), text(session.unansweredSince())),
                draft.text(), draft.category());
        return web.post()
                .uri("/api/v1/channel-preview")
                .headers(headers -> headers.setBearerAuth(agent.getTokenValue()))
                .contentType(MediaType.APPLICATION_JSON)
                .accept(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchangeToMono(response -> response.statusCode().is2xxSuccessful()
                        ? response.bodyToMono(ReplyPreview.class)
                        : ServiceResponses.<ReplyPreview>unavailable(SERVICE, response))
                .onErrorMap(error -> ServiceResponses.unreachable(SERVICE, error));
    }

    private static String text(java.time.Instant instant) {
        return instant == null ? null : instant.toString();
    }

    /**
     * dispatch's request contract ({@code preview.PreviewRequest} there). The window's start, its free-entry-point
     * mark and the unanswered stretch price the 72-hour free entry point. {@code category} (UTILITY or null, the
     * reply's mark) is left out when null, so a dispatch that predates it reads the body as before.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record PreviewBody(String tenantId, String conversationId, String fallback, Session session, String text,
                       String category) {

        record Session(long version, String windowExpiresAt, String customerPhone, String customerBsuid,
                       String customerProfileName, String windowOpenedAt, boolean freeEntryPoint,
                       String unansweredSince) {
        }
    }
}
