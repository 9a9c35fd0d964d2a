package com.answerline.ingest.client;

import java.net.ConnectException;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import org.springframework.web.util.UriBuilder;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import com.answerline.ingest.http.InvalidRequestException;

/**
 * session-service's read API: the one source of a conversation's window, assignee and last messages (the
 * gateway keeps no copy). Any session-service instance answers; it routes to the owner internally. Every read
 * carries the agent's own bearer token (token relay): session-service checks it and takes the tenant from it.
 *
 * <ul>
 *   <li>404 -> empty (unknown conversation);</li>
 *   <li>503, any 5xx, refused connection or timeout (connector) -> {@link ServiceUnavailableException};</li>
 *   <li>400 -> {@link InvalidRequestException} with the field session-service named (the gateway validates first,
 *       so this means the two disagree about a parameter, or a cursor only session-service can read is bad).</li>
 * </ul>
 * Reads are idempotent: a refused connection is retried once at once (e.g. one instance restarting behind a
 * balancer); everything else, timeouts included, is answered and left to the caller's retry.
 */
public class SessionClient {

    static final String SERVICE = "session-service";

    /**
     * The largest answer buffered (WebFlux's default is 256 KiB): a thread page holds up to 200,000 characters of text
     * besides its first message (session-service's {@code LocalThreadQueries.PAGE_CHARS}), at most 6 bytes each in
     * JSON, plus one message of up to 65,536 characters and the fields of 100 items. A page of long messages failed
     * with 500 under the 256 KiB default (the bad-input suite of 2026-12-07).
     */
    static final int MAX_PAGE_BYTES = 2 * 1024 * 1024;

    private final WebClient web;

    public SessionClient(WebClient.Builder builder, ClientHttpConnector connector, String baseUrl) {
        this.web = builder.clone().clientConnector(connector).baseUrl(baseUrl)
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(MAX_PAGE_BYTES)).build();
    }

    public Mono<Optional<SessionView>> find(Jwt agent, String conversationId) {
        return readOne(agent, uri -> uri.path("/api/v1/conversations/{conversationId}").build(conversationId),
                SessionView.class);
    }

    /**
     * One page of a conversation's thread, newest first, as the agent's tenant may see it: empty when session-service
     * has no thread of this tenant with this id (404).
     *
     * @param before the previous page's {@code nextCursor}, or null for the newest page
     */
    public Mono<Optional<ThreadPage>> thread(Jwt agent, String conversationId, String before, int limit) {
        return readOne(agent, uri -> {
            uri.path("/api/v1/conversations/{conversationId}/messages").queryParam("limit", limit);
            if (before != null) {
                uri.queryParam("before", "{before}");
            }
            // Ids and cursors expanded as variables, so they are encoded whatever they hold.
            return uri.build(Map.of("conversationId", conversationId, "before", String.valueOf(before)));
        }, ThreadPage.class);
    }

    /**
     * What a customer's media id of a conversation refers to: empty when no message of the agent's tenant's
     * conversation carries it (404).
     */
    public Mono<Optional<MediaReference>> mediaReference(Jwt agent, String conversationId, String mediaId) {
        return readOne(agent, uri -> uri.path("/api/v1/conversations/{conversationId}/media/{mediaId}")
                .build(Map.of("conversationId", conversationId, "mediaId", mediaId)),
                MediaReference.class);
    }

    /** A read of one thing: 200 its body, 404 empty, 400 the field session named, anything else unavailable. */
    private <T> Mono<Optional<T>> readOne(Jwt agent, Function<UriBuilder, URI> uri, Class<T> type) {
        return web.get()
                .uri(uri)
                .headers(headers -> headers.setBearerAuth(agent.getTokenValue()))
                .accept(MediaType.APPLICATION_JSON)
                .exchangeToMono(response -> {
                    if (response.statusCode().is2xxSuccessful()) {
                        return response.bodyToMono(type).map(Optional::of);
                    }
                    if (response.statusCode().value() == HttpStatus.NOT_FOUND.value()) {
                        return response.releaseBody().thenReturn(Optional.<T>empty());
                    }
                    return SessionClient.<Optional<T>>failure(response);
                })
                .retryWhen(onceOnRefusedConnection())
                .onErrorMap(error -> ServiceResponses.unreachable(SERVICE, error));
    }

    /** One page of the agent's tenant's conversations (session-service takes the tenant from the token). */
    public Mono<SessionPage> list(Jwt agent, SessionQuery query) {
        return web.get()
                .uri(uri -> listUri(uri, query))
                .headers(headers -> headers.setBearerAuth(agent.getTokenValue()))
                .accept(MediaType.APPLICATION_JSON)
                .exchangeToMono(response -> response.statusCode().is2xxSuccessful()
                        ? response.bodyToMono(SessionPage.class)
                        : failure(response))
                .retryWhen(onceOnRefusedConnection())
                .onErrorMap(error -> ServiceResponses.unreachable(SERVICE, error));
    }

    private static URI listUri(UriBuilder uri, SessionQuery query) {
        uri.path("/api/v1/conversations").queryParam("limit", query.limit());
        if (query.window() != null) {
            uri.queryParam("window", query.window());
        }
        if (query.within() != null) {
            uri.queryParam("within", query.within().toString());
        }
        if (query.assignee() != null) {
            uri.queryParam("assignee", "{assignee}");
        }
        if (query.unassigned()) {
            uri.queryParam("unassigned", true);
        }
        if (query.cursor() != null) {
            uri.queryParam("cursor", "{cursor}");
        }
        // Agent ids and cursors are opaque: expanded as variables, so they are encoded whatever they hold.
        return uri.build(Map.of("assignee", String.valueOf(query.assignee()), "cursor", String.valueOf(query.cursor())));
    }

    private static <T> Mono<T> failure(ClientResponse response) {
        if (response.statusCode().value() == HttpStatus.BAD_REQUEST.value()) {
            return response.bodyToMono(Problem.class)
                    .defaultIfEmpty(new Problem(null, null))
                    .flatMap(problem -> Mono.error(new InvalidRequestException(problem.field(),
                            problem.detail() == null ? "refused by session-service" : problem.detail())));
        }
        return ServiceResponses.unavailable(SERVICE, response);
    }

    /** Refused only: a timed-out read is not retried (the agent would wait twice the read timeout). */
    private static Retry onceOnRefusedConnection() {
        return Retry.max(1).filter(error -> error instanceof WebClientRequestException
                && error.getCause() instanceof ConnectException);
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Problem(String field, String detail) {
    }
}
