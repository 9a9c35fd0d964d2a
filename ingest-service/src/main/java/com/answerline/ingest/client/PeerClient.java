package com.answerline.ingest.client;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;

import com.answerline.platform.routing.PeerTransport;
import com.answerline.platform.routing.StreamsRouting;

/**
 * Another ingest instance: a reply-outcome read (or a held answer's cancellation, which starts with that read) for
 * a command whose partition it owns is forwarded there, by the platform's rule ({@link StreamsRouting}: once, marked
 * {@value #FORWARDED_HEADER}, the owner's status, body and {@link StreamsRouting#RELAYED_HEADERS} relayed), with the
 * agent's own Authorization header, so the owner validates the token and checks the tenant itself (no trust
 * between instances); only to an owner of the group's current metadata ({@link StreamsRouting#ownerOf}), over https
 * when {@code answerline.ingest.services.peers.scheme} says so. Reactive, on Boot's observed {@code WebClient}, so a forwarded read carries the trace.
 */
public class PeerClient {

    public static final String FORWARDED_HEADER = StreamsRouting.FORWARDED_HEADER;
    static final String SERVICE = "ingest-service peer";

    private final WebClient web;
    private final PeerTransport transport;

    public PeerClient(WebClient.Builder builder, ClientHttpConnector connector, PeerTransport transport) {
        this.web = builder.clone().clientConnector(connector).build();
        this.transport = transport;
    }

    /** @param owner host:port of the owning instance (its {@code application.server}) */
    public Mono<ResponseEntity<byte[]>> replyOutcome(String owner, String commandId, String authorization) {
        return forward(HttpMethod.GET, owner, "/api/v1/replies/{commandId}", commandId, authorization);
    }

    /** {@code DELETE /api/v1/replies/{commandId}/hold} on the owner, which checks the outcome and publishes. */
    public Mono<ResponseEntity<byte[]>> cancelHold(String owner, String commandId, String authorization) {
        return forward(HttpMethod.DELETE, owner, "/api/v1/replies/{commandId}/hold", commandId, authorization);
    }

    private Mono<ResponseEntity<byte[]>> forward(HttpMethod method, String owner, String path, String commandId,
                                                 String authorization) {
        return web.method(method)
                .uri(transport.base(owner) + path, commandId)
                .header(HttpHeaders.AUTHORIZATION, authorization)
                .header(FORWARDED_HEADER, "1")
                .exchangeToMono(response -> response.toEntity(byte[].class))
                .map(PeerClient::relayable)
                .onErrorMap(error -> ServiceResponses.unreachable(SERVICE, error));
    }

    /** Status, body and the headers that describe them; hop-by-hop and framing headers are the relay's own. */
    private static ResponseEntity<byte[]> relayable(ResponseEntity<byte[]> answer) {
        HttpHeaders headers = new HttpHeaders();
        StreamsRouting.relayedHeaders(answer.getHeaders()::getFirst).forEach(headers::set);
        return new ResponseEntity<>(answer.getBody(), headers, answer.getStatusCode());
    }
}
