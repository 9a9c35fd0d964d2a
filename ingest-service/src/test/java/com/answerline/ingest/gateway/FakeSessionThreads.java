package com.answerline.ingest.gateway;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real HTTP server on 127.0.0.1 (random port) answering session-service's thread and media-reference contract, so
 * the gateway's client runs over real sockets and JSON: 404 for another tenant's conversation (the tenant of the relayed
 * token) and unknown ones, 400
 * naming {@code before} for a cursor it did not hand out ({@code p:<offset>} here), 503 while down. A stand-in: the
 * real read is tested in session-service. What the gateway asked is recorded.
 */
final class FakeSessionThreads implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Conversation id -> its tenant and items, newest first, as session-service renders them. */
    final Map<String, Thread> threads = new ConcurrentHashMap<>();
    final List<String> requests = new CopyOnWriteArrayList<>();
    volatile boolean down;

    private final DisposableServer server;

    record Thread(String tenantId, List<Map<String, Object>> items) {
    }

    FakeSessionThreads() {
        this.server = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes
                        .get("/api/v1/conversations/{id}/messages", (request, response) -> {
                            requests.add(request.uri());
                            String id = QueryStringDecoder.decodeComponent(request.param("id"));
                            Map<String, List<String>> query = new QueryStringDecoder(request.uri()).parameters();
                            if (down) {
                                return unavailable(response);
                            }
                            Thread thread = threads.get(id);
                            String tenantId = FakeSessionAndDispatch.tenantOf(
                                    request.requestHeaders().get("Authorization"));
                            if (thread == null || !thread.tenantId().equals(tenantId)) {
                                return json(response, HttpResponseStatus.NOT_FOUND, Map.of("status", 404));
                            }
                            String before = first(query, "before");
                            if (before != null && !before.startsWith("p")) {
                                return json(response, HttpResponseStatus.BAD_REQUEST,
                                        Map.of("status", 400, "field", "before", "detail", "before is not a cursor"));
                            }
                            int offset = before == null ? 0 : Integer.parseInt(before.substring(1));
                            int limit = Integer.parseInt(first(query, "limit"));
                            List<Map<String, Object>> items = thread.items().subList(
                                    Math.min(offset, thread.items().size()),
                                    Math.min(offset + limit, thread.items().size()));
                            Map<String, Object> page = new LinkedHashMap<>();
                            page.put("conversationId", id);
                            page.put("items", items);
                            page.put("nextCursor", offset + limit < thread.items().size() ? "p" + (offset + limit) : null);
                            return json(response, HttpResponseStatus.OK, page);
                        })
                        .get("/api/v1/conversations/{id}/media/{mediaId}", (request, response) -> {
                            requests.add(request.uri());
                            String id = QueryStringDecoder.decodeComponent(request.param("id"));
                            String mediaId = QueryStringDecoder.decodeComponent(request.param("mediaId"));
                            Map<String, List<String>> query = new QueryStringDecoder(request.uri()).parameters();
                            Thread thread = threads.get(id);
                            String tenantId = FakeSessionAndDispatch.tenantOf(
                                    request.requestHeaders().get("Authorization"));
                            Map<String, Object> media = thread == null || !thread.tenantId().equals(tenantId)
                                    ? null : thread.items().stream()
                                    .filter(item -> item.get("media") instanceof Map<?, ?> m && mediaId.equals(m.get("id")))
                                    .findFirst().map(item -> reference(id, mediaId, item)).orElse(null);
                            return media == null ? json(response, HttpResponseStatus.NOT_FOUND, Map.of("status", 404))
                                    : json(response, HttpResponseStatus.OK, media);
                        }))
                .bindNow();
    }

    String url() {
        return "http://127.0.0.1:" + server.port();
    }

    /** A customer's image as session-service renders a thread item, with a field the gateway does not know yet. */
    static Map<String, Object> image(String conversationId, String wamid, String mediaId, String at) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", "in:" + wamid);
        item.put("direction", "INBOUND");
        item.put("channel", "WHATSAPP");
        item.put("at", at);
        item.put("type", "image");
        item.put("text", "the broken part");
        item.put("providerMessageId", wamid);
        item.put("media", Map.of("id", mediaId, "mimeType", "image/jpeg", "sizeBytes", 48213,
                "href", "/api/v1/conversations/" + conversationId + "/media/" + mediaId));
        item.put("reactions", List.of(Map.of("emoji", "👍", "at", at)));
        item.put("updatedAt", at);
        item.put("somethingNew", "ignored");
        return item;
    }

    /** Our reply as session-service renders it: read, with its agent and cost. */
    static Map<String, Object> reply(String commandId, String at) {
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", "out:" + commandId + "/REPLY");
        item.put("direction", "OUTBOUND");
        item.put("channel", "WHATSAPP");
        item.put("at", at);
        item.put("type", "text");
        item.put("text", "On its way");
        item.put("commandId", commandId);
        item.put("step", "REPLY");
        item.put("agentId", "agent-7");
        item.put("status", "SENT");
        item.put("reason", "WINDOW_OPEN");
        item.put("delivery", Map.of("state", "READ", "acceptedAt", at, "readAt", at));
        item.put("estimatedCost", Map.of("currency", "EUR", "amount", "0.0456", "amountMicros", 45600,
                "basis", "UTILITY DE"));
        item.put("updatedAt", at);
        return item;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> reference(String conversationId, String mediaId, Map<String, Object> item) {
        Map<String, Object> media = (Map<String, Object>) item.get("media");
        Map<String, Object> reference = new LinkedHashMap<>();
        reference.put("mediaId", mediaId);
        reference.put("phoneNumberId", conversationId.substring(0, conversationId.indexOf(':')));
        reference.put("mimeType", media.get("mimeType"));
        reference.put("fileName", null);
        reference.put("sizeBytes", media.get("sizeBytes"));
        reference.put("entryId", item.get("id"));
        return reference;
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> values = query.getOrDefault(name, new ArrayList<>());
        return values.isEmpty() ? null : values.get(0);
    }

    private static Mono<Void> json(HttpServerResponse response, HttpResponseStatus status, Object body) {
        String type = status == HttpResponseStatus.OK ? "application/json" : "application/problem+json";
        return response.status(status).header("Content-Type", type)
                .sendString(Mono.just(JSON.writeValueAsString(body))).then();
    }

    private static Mono<Void> unavailable(HttpServerResponse response) {
        return response.status(HttpResponseStatus.SERVICE_UNAVAILABLE).header("Retry-After", "4")
                .header("Content-Type", "application/problem+json")
                .sendString(Mono.just("{\"status\":503,\"detail\":\"not ready\"}")).then();
    }

    @Override
    public void close() {
        server.disposeNow();
    }
}
