package com.answerline.session.routing;

import java.io.IOException;
import java.net.http.HttpClient;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.kafka.streams.state.HostInfo;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import com.answerline.platform.routing.PeerTransport;
import com.answerline.platform.routing.StreamsRouting;
import com.answerline.session.config.SessionServiceProperties;
import com.answerline.session.query.SessionListQuery;
import com.answerline.session.query.SessionPage;
import com.answerline.session.query.SessionStoreUnavailableException;

/**
 * Asks another session-service instance over HTTP (https when {@code routing.peers} says so), by the platform's rule
 * ({@link StreamsRouting}): always with {@value SessionRouter#FORWARDED_HEADER}, so the peer answers from its own store
 * and never forwards again, and with the agent's Authorization header, which the peer checks itself. Every failure to get an answer (refused, timed out,
 * an unreadable reply) becomes {@link SessionStoreUnavailableException}: the caller answers 503, never a guess.
 */
class PeerClient {

    private final RestClient http;
    private final JsonMapper json;

    private final PeerTransport transport;

    PeerClient(SessionServiceProperties.Routing routing, JsonMapper json, SslBundles ssl) {
        this.transport = routing.peers();
        HttpClient.Builder client = HttpClient.newBuilder()
                .connectTimeout(routing.connectTimeout())
                // Peers speak HTTP/1.1 (Tomcat without h2c); skip the upgrade attempt.
                .version(HttpClient.Version.HTTP_1_1);
        if (transport.trustBundle() != null) {
            client.sslContext(ssl.getBundle(transport.trustBundle()).createSslContext());
        }
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(client.build());
        requests.setReadTimeout(routing.readTimeout());
        this.http = RestClient.builder()
                .requestFactory(requests)
                .defaultHeader(SessionRouter.FORWARDED_HEADER, "1")
                .build();
        this.json = json;
    }

    /**
     * The owner's answer to a read of one conversation ({@code GET} of {@code pathTemplate} with its URI variables,
     * encoded strictly), whatever its status, to pass on unchanged.
     */
    <T> SessionRouter.Relayed<T> relay(HostInfo owner, String pathTemplate, Map<String, ?> variables,
                                       String authorization) {
        try {
            return http.get()
                    .uri(transport.base(owner) + pathTemplate, variables)
                    .header(HttpHeaders.AUTHORIZATION, authorization)
                    .accept(MediaType.APPLICATION_JSON, MediaType.APPLICATION_PROBLEM_JSON)
                    .exchange((request, response) -> new SessionRouter.Relayed<T>(response.getStatusCode().value(),
                            relayed(response.getHeaders()), response.getBody().readAllBytes()));
        } catch (RestClientException e) {
            throw unreachable(owner, e);
        }
    }

    /** The peer's own first page for {@code query}; anything but 200 with a page is a failure. */
    SessionPage page(HostInfo peer, SessionListQuery query, String authorization) {
        Map<String, String> parameters = query.toParameters();
        // Values go in as URI variables, which are encoded strictly ('+', '&' and '=' included).
        String template = transport.base(peer) + "/api/v1/conversations?" + parameters.keySet().stream()
                .map(name -> name + "={" + name + "}").collect(Collectors.joining("&"));
        try {
            return http.get()
                    .uri(template, parameters)
                    .header(HttpHeaders.AUTHORIZATION, authorization)
                    .accept(MediaType.APPLICATION_JSON, MediaType.APPLICATION_PROBLEM_JSON)
                    .exchange((request, response) -> {
                        if (response.getStatusCode().value() != HttpStatus.OK.value()) {
                            throw new SessionStoreUnavailableException("instance " + peer + " answered "
                                    + response.getStatusCode().value() + " to its share of the list");
                        }
                        return readPage(peer, response.getBody().readAllBytes());
                    });
        } catch (RestClientException e) {
            throw unreachable(peer, e);
        }
    }

    private static HttpHeaders relayed(HttpHeaders answer) {
        HttpHeaders headers = new HttpHeaders();
        StreamsRouting.relayedHeaders(answer::getFirst).forEach(headers::set);
        return headers;
    }

    private SessionPage readPage(HostInfo peer, byte[] body) throws IOException {
        try {
            return json.readValue(body, SessionPage.class);
        } catch (JacksonException e) {
            throw new SessionStoreUnavailableException("instance " + peer + " sent an unreadable page", e);
        }
    }

    private static SessionStoreUnavailableException unreachable(HostInfo peer, RestClientException e) {
        if (e.getCause() instanceof SessionStoreUnavailableException unavailable) {
            return unavailable;
        }
        return new SessionStoreUnavailableException("instance " + peer + " owning the data is unreachable", e);
    }
}
