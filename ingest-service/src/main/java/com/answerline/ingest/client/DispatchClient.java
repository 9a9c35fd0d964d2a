package com.answerline.ingest.client;

import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

/**
 * dispatch-service's channel preview: the session the gateway read goes in, the channel a text reply would take
 * now comes out, decided by dispatch's own rules (the gateway has no copy of them). A POST, so no retry here.
 * Any failure (refused, timed out, 5xx, or a 400 meaning the two services disagree about the body) is a
 * {@link ServiceUnavailableException}: the gateway shows the conversation without a preview.
 */
public class DispatchClient {

    static final String SERVICE = "dispatch-service";

    private final WebClient web;

    public DispatchClient(WebClient.Builder builder, ClientHttpConnector connector, String baseUrl) {
        this.web = builder.clone().clientConnector(connector).baseUrl(baseUrl).build();
    }

    /** @param fallback AUTO (the tenant's policy) or a policy to preview instead */
    public Mono<ReplyPreview> preview(String tenantId, String fallback, SessionView session) {
        PreviewBody body = new PreviewBody(tenantId, session.conversationId(), fallback,
                new PreviewBody.Session(session.version(), session.windowExpiresAt() == null ? null
                        : session.windowExpiresAt().toString(), session.customerPhone(), session.customerBsuid(),
                        session.customerProfileName()));
        return web.post()
                .uri("/api/v1/channel-preview")
                .contentType(MediaType.APPLICATION_JSON)
                .accept(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchangeToMono(response -> response.statusCode().is2xxSuccessful()
                        ? response.bodyToMono(ReplyPreview.class)
                        : ServiceResponses.<ReplyPreview>unavailable(SERVICE, response))
                .onErrorMap(error -> ServiceResponses.unreachable(SERVICE, error));
    }

    /** dispatch's request contract ({@code preview.PreviewRequest} there). */
    record PreviewBody(String tenantId, String conversationId, String fallback, Session session) {

        record Session(long version, String windowExpiresAt, String customerPhone, String customerBsuid,
                       String customerProfileName) {
        }
    }
}
