package com.answerline.bench.badinput;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;

import com.answerline.bench.stack.Endpoints;
import com.answerline.bench.stage.Conversations;
import com.answerline.bench.traffic.Json;
import com.answerline.bench.traffic.MetaWebhooks;

/**
 * The bad HTTP inputs of a run, for every endpoint the stack serves to the outside (ingest's webhooks and gateway,
 * session-service's and dispatch-service's internal APIs, the provider sandbox): generated bodies from a valid one
 * ({@link Mutations}), bad path segments, query parameters and headers, wrong and missing signatures and tokens.
 * session's and dispatch's APIs take agents' tokens only: their generated inputs carry demo's agent's token (so they
 * reach the parsers), and {@link #refusedCredentials} are the calls they must refuse.
 * Webhook bodies are <b>signed correctly</b> unless the case is about the signature, so they reach the parser.
 * Credentials are the local stack's local-development values.
 */
final class HttpCases {

    /**
     * One request. {@code oversized}: above a documented size limit, so the server may close the connection.
     * {@code expected}: the answers this request must get (null: any answer below 500, or the documented 503).
     */
    record Case(String endpoint, String kind, String method, String uri, Map<String, String> headers, byte[] body,
                boolean oversized, Expected expected) {

        Case(String endpoint, String kind, String method, String uri, Map<String, String> headers, byte[] body,
             boolean oversized) {
            this(endpoint, kind, method, uri, headers, body, oversized, null);
        }
    }

    /**
     * What a request must be answered with: one of {@code statuses}, as RFC 9457 problem details carrying that status,
     * and a 400 naming {@code field} (when given).
     */
    record Expected(Set<Integer> statuses, String field) {

        static Expected badRequest(String field) {
            return new Expected(Set.of(400), field);
        }

        static Expected notFound() {
            return new Expected(Set.of(404), null);
        }

        boolean metBy(int status, String body) {
            if (!statuses.contains(status)) {
                return false;
            }
            try {
                JsonNode problem = Json.MAPPER.readTree(body);
                return problem.path("status").asInt() == status
                        && (field == null || status != 400 || field.equals(problem.path("field").asText()));
            } catch (java.io.IOException e) {
                return false;
            }
        }
    }

    static final String TWILIO_TOKEN = "local-dev-twilio-auth-token";
    static final String TWILIO_ACCOUNT = "AC00000000000000000000000000000000";
    static final String WHATSAPP_TOKEN = "local-dev-whatsapp-token";
    static final String BUSINESS_DISPLAY = "+15550000001";
    /** The business number of the local stack's second tenant ({@code other}). */
    static final String OTHER_NUMBER = "100000000000002";
    /** A customer nobody in a run writes as: its conversation has no thread. */
    static final String NOBODY = "15559990000";
    /** Conversation ids every read refuses as malformed (path segments, encoded). */
    static final List<String> MALFORMED_IDS = List.of("no-colon", "100000000000001%3A", "%3A15551234567",
            "abc%3A15551234567", "100000000000001%3A15551234567%3A9", "100000000000001%3A%20");
    static final List<String> BAD_LIMITS = List.of("0", "101", "-1", "ten", "1.5", "99999999999");
    /**
     * Categories a reply may not carry: the other template categories, the contract's reading default (not a mark),
     * look-alikes.
     */
    static final List<String> BAD_CATEGORIES = List.of("MARKETING", "AUTHENTICATION", "UNSPECIFIED", "SERVICE",
            "UTILITY_", "utilty", "UTILITY,MARKETING", "\u0055TILITY\u200B", "ＵＴＩＬＩＴＹ");

    /**
     * The run's bearer tokens: demo's agent's, an agent's of tenant other, demo's agent's expired an hour ago (the
     * sandbox's key), and demo's agent's signed with another key ({@link #forged}).
     */
    record Tokens(String agent, String otherTenant, String expired, String forged) {
    }

    private final Endpoints endpoints;
    private final Mutations mutations;
    private final int perEndpoint;
    /** The customer the bad inputs speak for: not one of the good customers, whose counts are checked. */
    private final String badPhone;
    private final String agentToken;
    private final Tokens tokens;
    private final List<Case> cases = new ArrayList<>();

    HttpCases(Endpoints endpoints, long seed, int perEndpoint, String badPhone, Tokens tokens) {
        this.endpoints = endpoints;
        this.mutations = new Mutations(seed);
        this.perEndpoint = perEndpoint;
        this.badPhone = badPhone;
        this.agentToken = tokens.agent();
        this.tokens = tokens;
    }

    List<Case> all() {
        whatsAppWebhook();
        whatsAppHandshake();
        smsWebhook("/webhooks/sms", Map.of("From", "+" + badPhone, "To", BUSINESS_DISPLAY, "Body", "hello",
                "MessageSid", "SM00000000000000000000000000000001", "NumMedia", "0"));
        smsWebhook("/webhooks/sms/status", Map.of("MessageSid", "SM00000000000000000000000000000002",
                "MessageStatus", "delivered", "From", BUSINESS_DISPLAY, "To", "+" + badPhone));
        gateway();
        gatewayThread();
        session();
        sessionThread();
        dispatch();
        sandbox();
        return cases;
    }

    private void whatsAppWebhook() {
        String uri = endpoints.webhooks() + "/webhooks/whatsapp";
        MetaWebhooks webhooks = MetaWebhooks.demo();
        byte[] valid = webhooks.textMessage(badPhone, "wamid.badinput", Instant.now(), "hello");
        for (Mutations.Variant variant : mutations.bodies(parse(valid), perEndpoint)) {
            cases.add(new Case("POST /webhooks/whatsapp", variant.kind(), "POST", uri,
                    Map.of("Content-Type", "application/json", MetaWebhooks.SIGNATURE_HEADER, webhooks.signature(variant.bytes())),
                    variant.bytes(), false));
        }
        List<String> signatures = new ArrayList<>(List.of("", "sha256=", "sha1=" + "0".repeat(40), "sha256=zz",
                MetaWebhooks.signatureWith("wrong-secret", valid), webhooks.signature(valid).toUpperCase()));
        // Generated strings made sendable: a control character or non-ASCII in a header is refused by the client
        // before it sends anything, and such a case would test nothing.
        mutations.strings(perEndpoint / 4).forEach(bad -> signatures.add(headerSafe(bad)));
        for (String signature : signatures) {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", "application/json");
            if (!signature.isEmpty()) {
                headers.put(MetaWebhooks.SIGNATURE_HEADER, signature);
            }
            cases.add(new Case("POST /webhooks/whatsapp", "wrong-signature", "POST", uri, headers, valid, false));
        }
        // Above the 3 MB limit, signed: 413, or the connection closed before the whole body is read.
        byte[] huge = webhooks.textMessage(badPhone, "wamid.badinput.huge", Instant.now(), "x".repeat(4 * 1024 * 1024));
        cases.add(new Case("POST /webhooks/whatsapp", "oversized", "POST", uri,
                Map.of("Content-Type", "application/json", MetaWebhooks.SIGNATURE_HEADER, webhooks.signature(huge)), huge, true));
        cases.add(new Case("POST /webhooks/whatsapp", "wrong-content-type", "POST", uri,
                Map.of("Content-Type", "text/plain", MetaWebhooks.SIGNATURE_HEADER, webhooks.signature(valid)), valid, false));
    }

    private void whatsAppHandshake() {
        String uri = endpoints.webhooks() + "/webhooks/whatsapp";
        List<String> bad = mutations.strings(perEndpoint / 2);
        for (int i = 0; i < bad.size(); i++) {
            String value = bad.get(i);
            Map<String, String> query = new LinkedHashMap<>(Map.of("hub.mode", "subscribe",
                    "hub.verify_token", "local-dev-verify-token", "hub.challenge", "42"));
            query.put(List.of("hub.mode", "hub.verify_token", "hub.challenge").get(i % 3), value);
            if (i % 7 == 0) {
                query.remove("hub.challenge");
            }
            cases.add(get("GET /webhooks/whatsapp", "bad-query", uri + "?" + form(query), Map.of()));
        }
    }

    private void smsWebhook(String path, Map<String, String> valid) {
        String endpoint = "POST " + path;
        String uri = endpoints.webhooks() + path;
        String signedUrl = uri; // the stack sets ingest's public-base-url to its webhook listener
        List<String> names = new ArrayList<>(valid.keySet());
        List<String> bad = mutations.strings(perEndpoint);
        for (int i = 0; i < bad.size(); i++) {
            Map<String, String> params = new TreeMap<>(valid);
            String name = names.get(i % names.size());
            if (i % 9 == 0) {
                params.remove(name);
            } else {
                params.put(name, bad.get(i));
            }
            byte[] body = form(params).getBytes(StandardCharsets.UTF_8);
            cases.add(new Case(endpoint, i % 9 == 0 ? "missing-field" : "bad-field", "POST", uri,
                    Map.of("Content-Type", "application/x-www-form-urlencoded", "X-Twilio-Signature",
                            twilioSignature(signedUrl, params)), body, false));
        }
        byte[] good = form(valid).getBytes(StandardCharsets.UTF_8);
        for (String signature : List.of("", "bm90IGEgc2lnbmF0dXJl", twilioSignature(signedUrl + "/other", valid), "%%%")) {
            Map<String, String> headers = new LinkedHashMap<>(Map.of("Content-Type", "application/x-www-form-urlencoded"));
            if (!signature.isEmpty()) {
                headers.put("X-Twilio-Signature", signature);
            }
            cases.add(new Case(endpoint, "wrong-signature", "POST", uri, headers, good, false));
        }
        for (String body : List.of("From=%ZZ&To=%", "&&&===", "From=" + "%E2%82".repeat(10), "{\"From\":\"+1\"}")) {
            cases.add(new Case(endpoint, "broken-form", "POST", uri, Map.of("Content-Type",
                    "application/x-www-form-urlencoded", "X-Twilio-Signature", twilioSignature(signedUrl, valid)),
                    body.getBytes(StandardCharsets.UTF_8), false));
        }
        cases.add(new Case(endpoint, "wrong-content-type", "POST", uri, Map.of("Content-Type", "application/json"),
                "{}".getBytes(StandardCharsets.UTF_8), false));
    }

    private void gateway() {
        String api = endpoints.ingest() + "/api/v1";
        String conversation = Conversations.DEMO_NUMBER + ":" + badPhone;
        Map<String, String> auth = bearer(agentToken);
        bodies("POST /api/v1/conversations/{id}/replies", "POST", api + "/conversations/" + conversation + "/replies",
                auth, "{\"text\":\"hello\",\"fallback\":\"SMS\",\"category\":\"UTILITY\",\"template\":{\"name\":"
                        + "\"order_update\",\"language\":\"en\",\"parameters\":[\"a\",\"b\"]}}");
        badCategories(api, conversation, auth);
        bodies("PUT /api/v1/conversations/{id}/assignee", "PUT", api + "/conversations/" + conversation + "/assignee",
                auth, "{\"agentId\":\"bench-agent\"}");
        List<String> bad = mutations.strings(perEndpoint);
        for (int i = 0; i < bad.size(); i++) {
            String segment = pathSegment(bad.get(i));
            String value = query(bad.get(i));
            switch (i % 8) {
                case 0 -> cases.add(new Case("POST /api/v1/conversations/{id}/replies", "bad-path", "POST",
                        api + "/conversations/" + segment + "/replies", json(auth), "{\"text\":\"hi\"}".getBytes(), false));
                case 1 -> {
                    cases.add(get("GET /api/v1/conversations/{id}", "bad-path", api + "/conversations/" + segment, auth));
                    // the preview's draft and policy (a draft longer than a reply is a 400 naming text)
                    cases.add(get("GET /api/v1/conversations/{id}", "bad-query", api + "/conversations/" + conversation
                            + "?text=" + value + (i % 16 == 1 ? "" : "x".repeat(4097)) + "&fallback=" + value, auth));
                }
                case 2 -> cases.add(get("GET /api/v1/conversations", "bad-query", api + "/conversations?tenantId=" + value
                        + "&cursor=" + value + "&limit=" + value, auth));
                case 3 -> cases.add(get("GET /api/v1/replies/{id}", "bad-path", api + "/replies/" + segment, auth));
                case 4 -> cases.add(new Case("DELETE /api/v1/replies/{id}/hold", "bad-path", "DELETE",
                        api + "/replies/" + segment + "/hold", auth, null, false));
                case 5 -> cases.add(new Case("DELETE /api/v1/conversations/{id}/assignee", "bad-path", "DELETE",
                        api + "/conversations/" + segment + "/assignee", auth, null, false));
                case 6 -> cases.add(get("GET /api/v1/events", "bad-query", api + "/events?conversationId=" + value, auth));
                default -> {
                    // Bad credentials and bad Idempotency-Keys on an otherwise good reply.
                    Map<String, String> headers = new LinkedHashMap<>(json(Map.of()));
                    if (i % 16 == 7) {
                        headers.putAll(auth);
                        headers.put("Idempotency-Key", headerSafe(bad.get(i)) + "x".repeat(i % 3 == 0 ? 300 : 0));
                    } else {
                        headers.put("Authorization", List.of("Bearer " + headerSafe(bad.get(i)), "Bearer a.b.c",
                                "Basic " + Base64.getEncoder().encodeToString("a:b".getBytes()), "Bearer " + unsignedToken(),
                                headerSafe(bad.get(i))).get(i % 5));
                    }
                    cases.add(new Case("POST /api/v1/conversations/{id}/replies", "bad-credentials", "POST",
                            api + "/conversations/" + conversation + "/replies", headers, "{\"text\":\"hi\"}".getBytes(), false));
                }
            }
        }
    }

    /**
     * A reply's {@code category} is UTILITY or absent: every other value, in the body of an otherwise good reply (the
     * fixed ones and generated strings, which are never UTILITY) and in the preview's query (the fixed ones: a
     * generated string may be longer than a request line may be), must be a 400 naming {@code category}, and
     * nothing is published.
     */
    private void badCategories(String api, String conversation, Map<String, String> auth) {
        List<String> inBodies = new ArrayList<>(BAD_CATEGORIES);
        inBodies.add("");
        inBodies.addAll(mutations.strings(Math.max(2, perEndpoint / 8)));
        for (String value : inBodies) {
            byte[] body = ("{\"text\":\"hello\",\"fallback\":\"DIRECT_SEND\",\"category\":" + Json.quote(value) + "}")
                    .getBytes(StandardCharsets.UTF_8);
            cases.add(new Case("POST /api/v1/conversations/{id}/replies", "bad-category", "POST",
                    api + "/conversations/" + conversation + "/replies", json(auth), body, false,
                    Expected.badRequest("category")));
        }
        for (String value : BAD_CATEGORIES) {
            cases.add(expect(get("GET /api/v1/conversations/{id}", "bad-category", api + "/conversations/" + conversation
                    + "?text=hello&category=" + query(value), auth), Expected.badRequest("category")));
        }
    }

    /** session-service's reads with demo's agent's token (the tenant is the token's; a tenantId parameter is ignored). */
    private void session() {
        String api = endpoints.session() + "/api/v1/conversations";
        Map<String, String> auth = bearer(agentToken);
        for (String value : mutations.strings(perEndpoint / 2)) {
            cases.add(get("GET /api/v1/conversations/{id} (session)", "bad-path", api + "/" + pathSegment(value), auth));
            cases.add(get("GET /api/v1/conversations (session)", "bad-query", api + "?tenantId=" + query(value) + "&cursor="
                    + query(value) + "&limit=" + query(value), auth));
        }
    }

    /**
     * The thread and media reads of the gateway: malformed conversation ids, limits out of range and cursors it did not
     * hand out answer 400 naming the parameter; another tenant's conversation, one without messages and a media id
     * that is none of the conversation's answer 404.
     */
    private void gatewayThread() {
        String api = endpoints.ingest() + "/api/v1/conversations/";
        String conversation = Conversations.DEMO_NUMBER + ":" + badPhone;
        String othersConversation = OTHER_NUMBER + ":" + badPhone;
        Map<String, String> auth = bearer(agentToken);
        String messages = "GET /api/v1/conversations/{id}/messages";
        String media = "GET /api/v1/conversations/{id}/media/{mediaId}";
        for (String id : MALFORMED_IDS) {
            cases.add(expect(get(messages, "malformed-id", api + id + "/messages", auth), Expected.badRequest("conversationId")));
            cases.add(expect(get(media, "malformed-id", api + id + "/media/1234567890", auth),
                    Expected.badRequest("conversationId")));
        }
        for (String limit : BAD_LIMITS) {
            cases.add(expect(get(messages, "limit-out-of-range", api + conversation + "/messages?limit=" + limit, auth),
                    Expected.badRequest("limit")));
        }
        for (String cursor : badCursors()) {
            cases.add(expect(get(messages, "bad-cursor", api + conversation + "/messages?before=" + cursor, auth),
                    Expected.badRequest("before")));
        }
        cases.add(expect(get(messages, "other-tenant", api + othersConversation + "/messages", auth), Expected.notFound()));
        cases.add(expect(get(messages, "no-thread", api + Conversations.DEMO_NUMBER + ":" + NOBODY + "/messages", auth),
                Expected.notFound()));
        cases.add(expect(get(media, "other-tenant", api + othersConversation + "/media/1234567890", auth),
                Expected.notFound()));
        cases.add(expect(get(media, "unknown-media", api + conversation + "/media/1234567890", auth), Expected.notFound()));
        // Generated values: any answer below 500 (the servers' own firewalls may refuse some encodings before the API).
        for (String value : mutations.strings(perEndpoint / 2)) {
            cases.add(get(messages, "bad-path", api + pathSegment(value) + "/messages", auth));
            cases.add(get(messages, "bad-query", api + conversation + "/messages?before=" + query(value) + "&limit="
                    + query(value), auth));
            cases.add(get(media, "bad-path", api + conversation + "/media/" + pathSegment(value), auth));
        }
    }

    /** The same reads on session-service's internal API, with demo's agent's token (the tenant is the token's). */
    private void sessionThread() {
        String api = endpoints.session() + "/api/v1/conversations/";
        String conversation = Conversations.DEMO_NUMBER + ":" + badPhone;
        String messages = "GET /api/v1/conversations/{id}/messages (session)";
        String media = "GET /api/v1/conversations/{id}/media/{mediaId} (session)";
        Map<String, String> auth = bearer(agentToken);
        for (String id : MALFORMED_IDS) {
            cases.add(expect(get(messages, "malformed-id", api + id + "/messages", auth),
                    Expected.badRequest("conversationId")));
        }
        for (String limit : BAD_LIMITS) {
            cases.add(expect(get(messages, "limit-out-of-range", api + conversation + "/messages?limit=" + limit, auth),
                    Expected.badRequest("limit")));
        }
        for (String cursor : badCursors()) {
            cases.add(expect(get(messages, "bad-cursor", api + conversation + "/messages?before=" + cursor, auth),
                    Expected.badRequest("before")));
        }
        // demo's conversation read by an agent of other, whatever the query says
        cases.add(expect(get(messages, "other-tenant", api + conversation + "/messages?tenantId=demo",
                bearer(tokens.otherTenant())), Expected.notFound()));
        cases.add(expect(get(media, "unknown-media", api + conversation + "/media/1234567890", auth),
                Expected.notFound()));
        cases.add(expect(get(media, "bad-media-id", api + conversation + "/media/a%20b", auth),
                Expected.badRequest("mediaId")));
        for (String value : mutations.strings(perEndpoint / 2)) {
            cases.add(get(messages, "bad-query", api + conversation + "/messages?tenantId=" + query(value) + "&before="
                    + query(value) + "&limit=" + query(value), auth));
            cases.add(get(media, "bad-path", api + pathSegment(value) + "/media/" + pathSegment(value), auth));
        }
    }

    /**
     * session's and dispatch's APIs reached directly about demo's {@code conversation} with credentials they must
     * refuse: no token, demo's agent's token forged (another key), expired, each 401 on every read and the preview; an
     * agent's token of tenant other, 404 on every read of the conversation and its preview (the list answers other's own
     * conversations, so it is not among these). Each answer must be problem details.
     */
    static List<Case> refusedCredentials(Endpoints endpoints, String conversation, Tokens tokens) {
        String session = endpoints.session() + "/api/v1/conversations";
        String preview = endpoints.dispatch() + "/api/v1/channel-preview";
        byte[] previewBody = ("{\"tenantId\":\"demo\",\"conversationId\":\"" + conversation + "\",\"fallback\":\"AUTO\","
                + "\"session\":{\"version\":1,\"windowExpiresAt\":\"2099-01-01T00:00:00Z\",\"customerPhone\":\""
                + conversation.substring(conversation.indexOf(':') + 1) + "\"}}").getBytes(StandardCharsets.UTF_8);
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("no-token", null);
        refused.put("forged-token", tokens.forged());
        refused.put("expired-token", tokens.expired());
        List<Case> cases = new ArrayList<>();
        refused.forEach((kind, token) -> {
            Map<String, String> auth = token == null ? Map.of() : bearer(token);
            Expected unauthorized = new Expected(Set.of(401), null);
            cases.add(expect(get("GET /api/v1/conversations/{id} (session)", kind, session + "/" + conversation, auth),
                    unauthorized));
            cases.add(expect(get("GET /api/v1/conversations (session)", kind, session + "?limit=100", auth), unauthorized));
            cases.add(expect(get("GET /api/v1/conversations/{id}/messages (session)", kind,
                    session + "/" + conversation + "/messages", auth), unauthorized));
            cases.add(expect(get("GET /api/v1/conversations/{id}/media/{mediaId} (session)", kind,
                    session + "/" + conversation + "/media/1234567890", auth), unauthorized));
            cases.add(new Case("POST /api/v1/channel-preview (dispatch)", kind, "POST", preview, json(auth), previewBody,
                    false, unauthorized));
        });
        Map<String, String> other = bearer(tokens.otherTenant());
        cases.add(expect(get("GET /api/v1/conversations/{id} (session)", "other-tenant", session + "/" + conversation,
                other), Expected.notFound()));
        cases.add(expect(get("GET /api/v1/conversations/{id}/messages (session)", "other-tenant",
                session + "/" + conversation + "/messages?tenantId=demo", other), Expected.notFound()));
        cases.add(expect(get("GET /api/v1/conversations/{id}/media/{mediaId} (session)", "other-tenant",
                session + "/" + conversation + "/media/1234567890?tenantId=demo", other), Expected.notFound()));
        cases.add(new Case("POST /api/v1/channel-preview (dispatch)", "other-tenant", "POST", preview, json(other),
                previewBody, false, Expected.notFound()));
        return cases;
    }

    /**
     * {@code token} with its signature replaced by one of another RSA key (same header, kid and claims): what someone
     * without the identity provider's key can make.
     */
    static String forged(String token) {
        String signed = token.substring(0, token.lastIndexOf('.'));
        try {
            java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            java.security.Signature rsa = java.security.Signature.getInstance("SHA256withRSA");
            rsa.initSign(generator.generateKeyPair().getPrivate());
            rsa.update(signed.getBytes(StandardCharsets.US_ASCII));
            return signed + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rsa.sign());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Cursors no read handed out: not base64url, too long, or base64url of something that is not a position. */
    private static List<String> badCursors() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return List.of("not%20a%20cursor", "%25%25%25", "A".repeat(2_000), "A".repeat(3_000),
                b64.encodeToString("hello".getBytes()),
                b64.encodeToString("0000000000000000001in:".getBytes()), "MTIz%2F%2B");
    }

    private static Case expect(Case request, Expected expected) {
        return new Case(request.endpoint(), request.kind(), request.method(), request.uri(), request.headers(),
                request.body(), request.oversized(), expected);
    }

    private void dispatch() {
        bodies("POST /api/v1/channel-preview (dispatch)", "POST", endpoints.dispatch() + "/api/v1/channel-preview",
                bearer(agentToken),
                "{\"tenantId\":\"demo\",\"conversationId\":\"" + Conversations.DEMO_NUMBER + ":" + badPhone + "\",\"fallback\":"
                        + "\"AUTO\",\"template\":{\"name\":\"order_update\",\"language\":\"en\",\"parameters\":[\"a\"]},"
                        + "\"text\":\"hello\",\"category\":\"UTILITY\",\"session\":{\"version\":3,"
                        + "\"windowExpiresAt\":\"2026-12-05T10:00:00Z\","
                        + "\"windowOpenedAt\":\"2026-12-04T10:00:00Z\",\"freeEntryPoint\":true,"
                        + "\"unansweredSince\":\"2026-12-04T10:00:00Z\",\"customerPhone\":\""
                        + badPhone + "\",\"customerBsuid\":\"US.1\",\"customerProfileName\":\"A\"}}");
    }

    private void sandbox() {
        String base = endpoints.sandbox();
        int share = Math.max(4, perEndpoint / 4);
        bodies("POST /sandbox/customers/{n}/messages", "POST", base + "/sandbox/customers/" + badPhone + "/messages", Map.of(),
                "{\"phoneNumberId\":\"" + Conversations.DEMO_NUMBER + "\",\"text\":\"hello\"}", share);
        bodies("POST /sandbox/customers/{n}/sms", "POST", base + "/sandbox/customers/" + badPhone + "/sms", Map.of(),
                "{\"to\":\"" + BUSINESS_DISPLAY + "\",\"text\":\"hello\"}", share);
        bodies("PUT /sandbox/settings", "PUT", base + "/sandbox/settings", Map.of(), "{\"statusWebhooks\":true}", share);
        bodies("POST /sandbox/faults", "POST", base + "/sandbox/faults", Map.of(),
                "{\"whatsapp\":{\"mode\":\"OK\"},\"sms\":{\"mode\":\"OK\"}}", share);
        bodies("POST /sandbox/tokens", "POST", base + "/sandbox/tokens", Map.of(),
                "{\"agentId\":\"a\",\"tenantId\":\"demo\",\"roles\":[\"agent\"],\"name\":\"A\"}", share);
        bodies("POST /v{version}/{id}/messages (sandbox)", "POST", base + "/v21.0/" + Conversations.DEMO_NUMBER + "/messages",
                bearer(WHATSAPP_TOKEN), "{\"messaging_product\":\"whatsapp\",\"recipient_type\":\"individual\",\"to\":\""
                        + badPhone + "\",\"type\":\"text\",\"text\":{\"body\":\"hello\"}}", share);
        String twilio = base + "/2010-04-01/Accounts/" + TWILIO_ACCOUNT + "/Messages.json";
        Map<String, String> basic = Map.of("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((TWILIO_ACCOUNT + ":" + TWILIO_TOKEN).getBytes(StandardCharsets.UTF_8)),
                "Content-Type", "application/x-www-form-urlencoded");
        for (String value : mutations.strings(share)) {
            Map<String, String> params = new TreeMap<>(Map.of("To", "+" + badPhone, "From", BUSINESS_DISPLAY, "Body", "hello"));
            params.put(List.of("To", "From", "Body").get(mutations.nextInt(3)), value);
            cases.add(new Case("POST /2010-04-01/Accounts/{sid}/Messages.json (sandbox)", "bad-field", "POST", twilio, basic,
                    form(params).getBytes(StandardCharsets.UTF_8), false));
            cases.add(get("GET /sandbox/phones/{n}", "bad-path", base + "/sandbox/phones/" + pathSegment(value), Map.of()));
            cases.add(get("GET /v{version}/{waba}/message_templates (sandbox)", "bad-path",
                    base + "/v21.0/" + pathSegment(value) + "/message_templates", bearer(WHATSAPP_TOKEN)));
        }
    }

    private void bodies(String endpoint, String method, String uri, Map<String, String> headers, String valid) {
        bodies(endpoint, method, uri, headers, valid, perEndpoint);
    }

    private void bodies(String endpoint, String method, String uri, Map<String, String> headers, String valid, int count) {
        for (Mutations.Variant variant : mutations.bodies(parse(valid.getBytes(StandardCharsets.UTF_8)), count)) {
            cases.add(new Case(endpoint, variant.kind(), method, uri, json(headers), variant.bytes(), false));
        }
    }

    private static Case get(String endpoint, String kind, String uri, Map<String, String> headers) {
        return new Case(endpoint, kind, "GET", uri, headers, null, false);
    }

    private static Map<String, String> json(Map<String, String> headers) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put("Content-Type", "application/json");
        return all;
    }

    private static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    /** A JWT whose header says {@code alg: none}: must never be accepted. */
    private static String unsignedToken() {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes()) + "."
                + b64.encodeToString(("{\"sub\":\"mallory\",\"tenant_id\":\"demo\",\"roles\":[\"agent\"],\"aud\":"
                        + "\"answerline-gateway\",\"iss\":\"http://127.0.0.1:8089/sandbox\",\"exp\":4102444800}").getBytes()) + ".";
    }

    /** Header values cannot carry control characters or non-ASCII on HTTP/1.1 (the client refuses to send them). */
    static String headerSafe(String value) {
        StringBuilder safe = new StringBuilder();
        value.chars().filter(c -> c >= 0x20 && c < 0x7F).forEach(c -> safe.append((char) c));
        return safe.length() == 0 ? "%" : safe.toString();
    }

    private static String pathSegment(String value) {
        // Percent-encoded as a segment: a "/" stays inside it (%2F), spaces are %20.
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String query(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String form(Map<String, String> params) {
        StringBuilder form = new StringBuilder();
        params.forEach((name, value) -> form.append(form.length() == 0 ? "" : "&").append(query(name)).append('=')
                .append(query(value)));
        return form.toString();
    }

    /** Twilio's X-Twilio-Signature over the values as the server will decode them. */
    static String twilioSignature(String url, Map<String, String> params) {
        StringBuilder data = new StringBuilder(url);
        new TreeMap<>(params).forEach((name, value) -> data.append(name)
                .append(URLDecoder.decode(query(value), StandardCharsets.UTF_8)));
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(TWILIO_TOKEN.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(byte[] json) {
        try {
            return Json.MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a valid body of the suite is not JSON", e);
        }
    }
}
