package com.answerline.ingest.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real HTTP server on 127.0.0.1 answering session-service's media lookup
 * ({@code GET /api/v1/conversations/{id}/media/{mediaId}}, the tenant the relayed token's) and the WhatsApp Cloud API's media retrieval
 * ({@code GET /v23.0/{mediaId}}) and download (the URL the retrieval answers), so the gateway's media endpoint runs
 * over real sockets. Files are generated as they are sent (a byte pattern of any length), optionally held after
 * the first chunk until the test releases them, or broken off midway. What the gateway asked is recorded.
 */
final class FakeCloudApi implements AutoCloseable {

    static final String TOKEN = "test-business-token";
    static final int CHUNK = 64 * 1024;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * How a file is served.
     *
     * @param announcedFileSize the retrieval's {@code file_size}, null to leave it out
     * @param contentLength     whether the download says its length (else chunked)
     * @param breakAfter        bytes after which the download breaks off (-1: never)
     * @param hold              when set, the download sends its first chunk, then waits for it to complete
     * @param downloadHost      the host the download URL names (normally this server's)
     */
    record Served(String mimeType, long size, Long announcedFileSize, boolean contentLength, long breakAfter,
                  Sinks.Empty<Void> hold, String downloadHost) {

        static Served file(String mimeType, long size) {
            return new Served(mimeType, size, size, true, -1, null, "127.0.0.1");
        }
    }

    /** tenant/conversation/mediaId -> session-service's answer (a MediaReference as JSON). */
    final Map<String, Map<String, Object>> references = new ConcurrentHashMap<>();
    final Map<String, Served> files = new ConcurrentHashMap<>();
    final List<String> retrievals = new CopyOnWriteArrayList<>();
    final List<String> downloads = new CopyOnWriteArrayList<>();
    final List<String> authorizations = new CopyOnWriteArrayList<>();
    /** The retrieval answers this status with Meta's error envelope (0: answer normally). */
    volatile int retrievalStatus;
    /** The retrieval answers only after this long. */
    volatile Duration retrievalDelay = Duration.ZERO;
    volatile int downloadStatus;
    /** Session-service answers 503 (Retry-After 7). */
    volatile boolean sessionDown;

    private final DisposableServer server;

    FakeCloudApi() {
        server = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes
                        .get("/api/v1/conversations/{id}/media/{mediaId}", this::reference)
                        .get("/v23.0/{mediaId}", this::retrieve)
                        .get("/download/{mediaId}", this::download))
                .bindNow();
    }

    String url() {
        return "http://127.0.0.1:" + server.port();
    }

    void reset() {
        references.clear();
        files.clear();
        retrievals.clear();
        downloads.clear();
        authorizations.clear();
        retrievalStatus = 0;
        retrievalDelay = Duration.ZERO;
        downloadStatus = 0;
        sessionDown = false;
    }

    /** Session-service knows {@code mediaId} as one of the tenant's conversation's. */
    void knows(String tenant, String conversation, String mediaId, String mimeType, String fileName) {
        Map<String, Object> reference = new LinkedHashMap<>();
        reference.put("mediaId", mediaId);
        reference.put("phoneNumberId", conversation.substring(0, conversation.indexOf(':')));
        reference.put("mimeType", mimeType);
        reference.put("fileName", fileName);
        reference.put("sizeBytes", null);
        reference.put("entryId", "in:wamid.media");
        references.put(tenant + "/" + conversation + "/" + mediaId, reference);
    }

    /** The byte at position {@code i} of every served file. */
    static byte byteAt(long i) {
        return (byte) (i * 31 + (i >> 16));
    }

    private Mono<Void> reference(HttpServerRequest request, HttpServerResponse response) {
        if (sessionDown) {
            return response.status(HttpResponseStatus.SERVICE_UNAVAILABLE).header("Retry-After", "7").send().then();
        }
        String conversation = QueryStringDecoder.decodeComponent(request.param("id"));
        // The tenant of the agent's token the gateway relays, as session-service takes it.
        String tenant = String.valueOf(FakeSessionAndDispatch.tenantOf(request.requestHeaders().get("Authorization")));
        Map<String, Object> found = references.get(tenant + "/" + conversation + "/" + request.param("mediaId"));
        return found == null
                ? json(response, HttpResponseStatus.NOT_FOUND, Map.of("status", 404, "detail", "no such media"))
                : json(response, HttpResponseStatus.OK, found);
    }

    private Mono<Void> retrieve(HttpServerRequest request, HttpServerResponse response) {
        String mediaId = request.param("mediaId");
        retrievals.add(request.uri());
        authorizations.add(String.valueOf(request.requestHeaders().get("Authorization")));
        Served file = files.get(mediaId);
        Mono<Void> answer;
        if (!("Bearer " + TOKEN).equals(request.requestHeaders().get("Authorization"))) {
            answer = json(response, HttpResponseStatus.UNAUTHORIZED, Map.of("error", Map.of("code", 190, "message", "Invalid OAuth access token")));
        } else if (retrievalStatus != 0) {
            answer = json(response, HttpResponseStatus.valueOf(retrievalStatus),
                    Map.of("error", Map.of("code", 131000, "message", "Something went wrong", "type", "OAuthException")));
        } else if (file == null) {
            answer = json(response, HttpResponseStatus.NOT_FOUND, Map.of("error", Map.of("code", 100, "message", "no such object")));
        } else {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("messaging_product", "whatsapp");
            body.put("url", "http://" + file.downloadHost() + ":" + server.port() + "/download/" + mediaId + "?ext=1&hash=x");
            body.put("mime_type", file.mimeType());
            body.put("sha256", "not-checked");
            if (file.announcedFileSize() != null) {
                // A string, as in Meta's documentation examples; the client reads numbers too.
                body.put("file_size", Long.toString(file.announcedFileSize()));
            }
            body.put("id", mediaId);
            answer = json(response, HttpResponseStatus.OK, body);
        }
        return retrievalDelay.isZero() ? answer : Mono.delay(retrievalDelay).then(answer);
    }

    private Mono<Void> download(HttpServerRequest request, HttpServerResponse response) {
        String mediaId = request.param("mediaId");
        downloads.add(request.uri());
        authorizations.add(String.valueOf(request.requestHeaders().get("Authorization")));
        Served file = files.get(mediaId);
        if (!("Bearer " + TOKEN).equals(request.requestHeaders().get("Authorization")) || file == null) {
            return response.status(HttpResponseStatus.NOT_FOUND).send().then();
        }
        if (downloadStatus != 0) {
            return response.status(downloadStatus).sendString(Mono.just("gone")).then();
        }
        response.header("Content-Type", file.mimeType());
        if (file.contentLength()) {
            response.header("Content-Length", Long.toString(file.size()));
        }
        long sent = file.breakAfter() >= 0 ? Math.min(file.breakAfter(), file.size()) : file.size();
        Flux<ByteBuf> body = chunks(0, sent);
        if (file.hold() != null) {
            long first = Math.min(CHUNK, sent);
            body = Flux.concat(chunks(0, first), file.hold().asMono().thenMany(Flux.defer(() -> chunks(first, sent))));
        }
        if (file.breakAfter() >= 0) {
            body = body.concatWith(Flux.error(new IOException("provider broke off the download")));
        }
        return response.send(body).then();
    }

    /** Bytes [from, to) of the pattern, a chunk at a time, generated as they are sent. */
    private static Flux<ByteBuf> chunks(long from, long to) {
        return Flux.generate(() -> from, (position, sink) -> {
            if (position >= to) {
                sink.complete();
                return position;
            }
            int length = (int) Math.min(CHUNK, to - position);
            byte[] chunk = new byte[length];
            for (int i = 0; i < length; i++) {
                chunk[i] = byteAt(position + i);
            }
            sink.next(Unpooled.wrappedBuffer(chunk));
            return position + length;
        });
    }

    private static Mono<Void> json(HttpServerResponse response, HttpResponseStatus status, Object body) {
        return response.status(status).header("Content-Type", "application/json")
                .sendString(Mono.just(JSON.writeValueAsString(body)), StandardCharsets.UTF_8).then();
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
