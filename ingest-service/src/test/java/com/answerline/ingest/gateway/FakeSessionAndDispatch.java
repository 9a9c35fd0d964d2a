package com.answerline.ingest.gateway;

import java.time.Duration;
import java.time.Instant;
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

import com.answerline.schemas.window.ServiceWindow;

/**
 * Real HTTP servers on 127.0.0.1 (random ports) answering session-service's read contract and dispatch-service's
 * channel-preview contract, so the gateway's clients run over real sockets and real JSON. Stand-ins only: the
 * lead's end-to-end test runs the real services. What the gateway asked is recorded for the assertions.
 */
final class FakeSessionAndDispatch implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    final Map<String, Map<String, Object>> sessions = new ConcurrentHashMap<>();
    final List<Map<String, List<String>>> listQueries = new CopyOnWriteArrayList<>();
    final List<String> sessionReads = new CopyOnWriteArrayList<>();
    final List<Map<String, Object>> previewBodies = new CopyOnWriteArrayList<>();
    /** The Authorization header of every call, session's and dispatch's: the agent's token, relayed. */
    final List<String> authorizations = new CopyOnWriteArrayList<>();
    volatile boolean sessionDown;
    /** Answers only after this long (0 = at once): longer than the gateway's read timeout is a hung service. */
    volatile Duration sessionDelay = Duration.ZERO;
    volatile boolean dispatchDown;

    private final Instant now;
    private final DisposableServer session;
    private final DisposableServer dispatch;

    FakeSessionAndDispatch(Instant now) {
        this.now = now;
        this.session = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes
                        .get("/api/v1/conversations/{id}", (request, response) -> {
                            // Spring decodes path variables; so does this stand-in.
                            String id = QueryStringDecoder.decodeComponent(request.param("id"));
                            sessionReads.add(id);
                            authorizations.add(String.valueOf(request.requestHeaders().get("Authorization")));
                            if (sessionDown) {
                                return unavailable(response, "7");
                            }
                            Map<String, Object> found = sessions.get(id);
                            if (!sessionDelay.isZero()) {
                                return Mono.delay(sessionDelay).then(json(response, HttpResponseStatus.OK,
                                        "application/json", found));
                            }
                            return found == null
                                    ? json(response, HttpResponseStatus.NOT_FOUND, "application/problem+json",
                                            Map.of("status", 404, "detail", "no session for this conversation"))
                                    : json(response, HttpResponseStatus.OK, "application/json", found);
                        })
                        .get("/api/v1/conversations", (request, response) -> {
                            Map<String, List<String>> query = new QueryStringDecoder(request.uri()).parameters();
                            listQueries.add(query);
                            String authorization = request.requestHeaders().get("Authorization");
                            authorizations.add(String.valueOf(authorization));
                            if (sessionDown) {
                                return unavailable(response, "7");
                            }
                            return json(response, HttpResponseStatus.OK, "application/json",
                                    page(tenantOf(authorization), query));
                        }))
                .bindNow();
        this.dispatch = HttpServer.create().host("127.0.0.1").port(0)
                .route(routes -> routes.post("/api/v1/channel-preview", (request, response) ->
                        request.receive().aggregate().asString().flatMap(body -> {
                            authorizations.add(String.valueOf(request.requestHeaders().get("Authorization")));
                            @SuppressWarnings("unchecked")
                            Map<String, Object> preview = JSON.readValue(body, Map.class);
                            previewBodies.add(preview);
                            if (dispatchDown) {
                                return unavailable(response, "3").then();
                            }
                            return json(response, HttpResponseStatus.OK, "application/json", preview(preview)).then();
                        })))
                .bindNow();
    }

    String sessionUrl() {
        return "http://127.0.0.1:" + session.port();
    }

    String dispatchUrl() {
        return "http://127.0.0.1:" + dispatch.port();
    }

    /** A session as session-service's SessionView serializes it (instants ISO-8601). */
    static Map<String, Object> session(String tenantId, String conversationId, long version, Instant expiresAt,
                                       String assigneeId) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("conversationId", conversationId);
        view.put("tenantId", tenantId);
        view.put("phoneNumberId", conversationId.substring(0, conversationId.indexOf(':')));
        view.put("version", version);
        // Computed as session-service computes it (ServiceWindow, its default margin): the gateway forwards it.
        ServiceWindow window = ServiceWindow.at(expiresAt, GatewayFixtures.NOW, Duration.ofSeconds(60));
        view.put("windowOpen", window.open());
        view.put("windowState", window.state().name());
        view.put("windowSecondsLeft", window.secondsLeft());
        view.put("windowOpenedAt", expiresAt == null ? null : expiresAt.minusSeconds(24 * 3600).toString());
        view.put("windowExpiresAt", expiresAt == null ? null : expiresAt.toString());
        view.put("lastCustomerMessageAt", expiresAt == null ? null : expiresAt.minusSeconds(24 * 3600).toString());
        view.put("freeEntryPoint", false);
        view.put("customerPhone", conversationId.substring(conversationId.indexOf(':') + 1));
        view.put("customerBsuid", "NL.1349120865530274");
        view.put("customerProfileName", "Ada");
        view.put("assigneeId", assigneeId);
        view.put("assignedAt", assigneeId == null ? null : "2026-11-25T10:00:00Z");
        view.put("unansweredSince", "2026-11-25T11:30:00Z");
        view.put("firstResponseMillis", null);
        view.put("lastInboundChannel", "WHATSAPP");
        view.put("lastInboundAt", "2026-11-25T11:30:00Z");
        view.put("lastOutboundChannel", "SMS");
        view.put("lastOutboundOutcome", "SENT");
        view.put("lastOutboundAt", "2026-11-25T09:00:00Z");
        Map<String, Object> lastOutbound = new LinkedHashMap<>();
        lastOutbound.put("commandId", "cmd-1");
        lastOutbound.put("channel", "SMS");
        lastOutbound.put("status", "DELIVERED");
        lastOutbound.put("errorCode", null);
        lastOutbound.put("at", "2026-11-25T09:00:00Z");
        view.put("lastOutbound", lastOutbound);
        view.put("inboundCount", 3);
        view.put("outboundCount", 1);
        view.put("closedUnanswered", false);
        view.put("updatedAt", "2026-11-25T11:30:00Z");
        // A field the gateway does not know yet must not break it.
        view.put("somethingNew", "ignored");
        return view;
    }

    /**
     * The tenant of the bearer token the gateway relayed, as session-service and dispatch-service take it (a stand-in:
     * the payload is read, not verified; the services' own tests check tokens). Null without a token.
     */
    static String tenantOf(String authorization) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return null;
        }
        String[] parts = authorization.substring("Bearer ".length()).split("\\.");
        byte[] payload = java.util.Base64.getUrlDecoder().decode(parts[1]);
        return JSON.readTree(payload).path("tenant_id").asString(null);
    }

    /** Pages by position ("o:<offset>" cursors), tenant (the token's) and assignee filters applied like session-service. */
    private Map<String, Object> page(String tenantId, Map<String, List<String>> query) {
        String assignee = first(query, "assignee");
        int limit = Integer.parseInt(first(query, "limit"));
        String cursor = first(query, "cursor");
        int offset = cursor == null ? 0 : Integer.parseInt(cursor.substring(2));
        List<Map<String, Object>> matching = new ArrayList<>(sessions.values().stream()
                .filter(s -> s.get("tenantId").equals(tenantId))
                .filter(s -> assignee == null || assignee.equals(s.get("assigneeId")))
                .sorted((a, b) -> ((String) a.get("conversationId")).compareTo((String) b.get("conversationId")))
                .toList());
        List<Map<String, Object>> items = matching.subList(Math.min(offset, matching.size()),
                Math.min(offset + limit, matching.size()));
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("items", items);
        page.put("nextCursor", offset + limit < matching.size() ? "o:" + (offset + limit) : null);
        return page;
    }

    /** Not dispatch's rules (those are tested there): just enough to show the gateway relays what it is told. */
    @SuppressWarnings("unchecked")
    private Map<String, Object> preview(Map<String, Object> body) {
        Map<String, Object> session = (Map<String, Object>) body.get("session");
        Object expiresAt = session.get("windowExpiresAt");
        boolean open = expiresAt != null && Instant.parse((String) expiresAt).isAfter(now.plusSeconds(60));
        Map<String, Object> preview = new LinkedHashMap<>();
        preview.put("channel", open ? "WHATSAPP" : "SMS");
        preview.put("reason", open ? "WINDOW_OPEN" : "WINDOW_CLOSED_SMS_FALLBACK");
        preview.put("outcome", "SEND");
        preview.put("windowOpen", open);
        preview.put("windowState", open ? "OPEN" : "CLOSED");
        preview.put("windowExpiresAt", expiresAt);
        preview.put("policy", "AUTO".equals(body.get("fallback")) ? "SMS" : body.get("fallback"));
        preview.put("sessionVersion", session.get("version"));
        preview.put("fallbackChain", open ? List.of() : List.of("AUTO->SMS", "SMS"));
        preview.put("alternatives", List.of());
        preview.put("options", options(open, body.get("text") != null));
        return preview;
    }

    /** dispatch's option shape: absent fields left out, plus a field the gateway does not know yet. */
    private static List<Map<String, Object>> options(boolean open, boolean draft) {
        Map<String, Object> freeForm = new LinkedHashMap<>();
        freeForm.put("kind", "WHATSAPP_FREE_FORM");
        freeForm.put("channel", "WHATSAPP");
        freeForm.put("allowed", open);
        if (!open) {
            freeForm.put("why", "WINDOW_CLOSED");
        }
        freeForm.put("fallback", "AUTO");
        freeForm.put("estimatedCost", Map.of("currency", "EUR", "amount", "0.042", "amountMicros", 42_000,
                "basis", "SERVICE at UTILITY rate NL since 2026-10-01"));
        freeForm.put("somethingNew", "ignored");
        Map<String, Object> sms = new LinkedHashMap<>();
        sms.put("kind", "SMS_WITH_LINK");
        sms.put("channel", "SMS");
        sms.put("allowed", !open);
        if (open) {
            sms.put("why", "WINDOW_OPEN");
        }
        sms.put("fallback", "SMS");
        if (draft) {
            sms.put("sms", Map.of("segments", 2, "encoding", "UCS_2"));
        }
        sms.put("estimatedCost", Map.of("currency", "EUR", "amount", "0.17", "amountMicros", 170_000,
                "basis", "SMS 2 x NL since 2026-10-01"));
        Map<String, Object> template = new LinkedHashMap<>();
        template.put("kind", "TEMPLATE");
        template.put("channel", "WHATSAPP_TEMPLATE");
        template.put("allowed", true);
        template.put("fallback", "TEMPLATE");
        template.put("template", Map.of("name", "customer_care_reopen", "language", "en_US", "category", "UTILITY",
                "body", "Dear {{1}}, ... {{2}}", "parameterCount", 2));
        template.put("estimatedCost", Map.of("currency", "EUR", "amount", "0.042", "amountMicros", 42_000,
                "basis", "TEMPLATE UTILITY NL since 2026-10-01"));
        return List.of(freeForm, sms, template);
    }

    private static String first(Map<String, List<String>> query, String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }

    private static Mono<Void> json(HttpServerResponse response, HttpResponseStatus status, String contentType,
                                   Object body) {
        return response.status(status).header("Content-Type", contentType)
                .sendString(Mono.just(JSON.writeValueAsString(body))).then();
    }

    private static Mono<Void> unavailable(HttpServerResponse response, String retryAfter) {
        return response.status(HttpResponseStatus.SERVICE_UNAVAILABLE).header("Retry-After", retryAfter)
                .header("Content-Type", "application/problem+json")
                .sendString(Mono.just("{\"status\":503,\"detail\":\"not ready\"}")).then();
    }

    @Override
    public void close() {
        session.disposeNow();
        dispatch.disposeNow();
    }
}
