package com.answerline.e2e;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

import javax.imageio.ImageIO;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The console's counterpart without the stack, on 127.0.0.1 and a free port: the console's files straight from
 * ingest's sources (with the Content-Security-Policy ingest sends, {@code ConsoleHeaders}, the issuer being this
 * same origin), an OpenID Connect provider that checks the PKCE verifier against the S256 challenge and hands the
 * nonce back, and the gateway's endpoints answering the shapes of the API.md from
 * {@code src/test/resources/console-fake/} (times relative to now). Requests are recorded; live events are pushed
 * by the test. {@link ConsoleBrowserIT} runs the same console against the real stack.
 */
final class FakeGateway implements AutoCloseable {

    static final String CONSOLE_DIR = "ingest-service/src/main/resources/console";
    static final String AGENT = "agent-7";
    static final String TENANT = "demo";
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; "
            + "media-src 'self' blob:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "svg", "image/svg+xml",
            "json", "application/json");

    /** A request the console made: method, path (decoded) with its query (as sent), the headers the tests look at, the body. */
    record Request(String method, String uri, String authorization, String idempotencyKey, String body) {
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Path consoleDir;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<OutputStream> streams = new CopyOnWriteArrayList<>();
    private final Map<String, String[]> codes = new ConcurrentHashMap<>(); // code -> {challenge, nonce, redirect}
    private final Map<String, String> outcomes = new ConcurrentHashMap<>(); // commandId -> outcome JSON
    private final Map<String, String> heldElsewhere = new ConcurrentHashMap<>(); // conversationId -> holder
    private final List<String> verifiedExchanges = new CopyOnWriteArrayList<>();
    private volatile String accessToken;
    private volatile boolean tokenRevoked;

    FakeGateway() {
        consoleDir = LocalStackExtension.repoRoot().resolve(CONSOLE_DIR);
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    String consoleUrl() {
        return base() + "/console/";
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    List<Request> requests(String method, String pathPrefix) {
        return requests.stream().filter(r -> r.method().equals(method) && r.uri().startsWith(pathPrefix)).toList();
    }

    /** Token requests whose code_verifier matched the code's S256 challenge (the verifier each time). */
    List<String> verifiedExchanges() {
        return List.copyOf(verifiedExchanges);
    }

    /** From now on the API answers 401 to the token it issued (as after a key rotation or a revocation). */
    void revokeToken() {
        tokenRevoked = true;
    }

    void restoreToken() {
        tokenRevoked = false;
    }

    /** Sends a server-sent event to every open {@code /api/v1/events} stream. */
    void push(String event, String json) {
        // One data line per line of the JSON, as Spring writes multi-line data.
        String data = json.lines().map(line -> "data:" + line + "\n").collect(Collectors.joining());
        byte[] bytes = ("event:" + event + "\n" + data + "\n").getBytes(StandardCharsets.UTF_8);
        for (OutputStream stream : streams) {
            try {
                stream.write(bytes);
                stream.flush();
            } catch (IOException closed) {
                streams.remove(stream);
            }
        }
    }

    int openStreams() {
        return streams.size();
    }

    /** Ends every open stream as the gateway does at its token's expiry: an {@code expired} event, then the end. */
    void expireStreams() {
        byte[] bytes = "event:expired\ndata:{\"type\":\"token-expired\",\"detail\":\"reconnect with a fresh token\"}\n\n"
                .getBytes(StandardCharsets.UTF_8);
        for (OutputStream stream : streams) {
            streams.remove(stream);
            try (stream) {
                stream.write(bytes);
                stream.flush();
            } catch (IOException closed) {
                // already gone
            }
        }
    }

    /**
     * From now on taking or releasing {@code conversationId} is refused as the gateway refuses a plain agent acting on
     * another agent's conversation: 403 problem details naming {@code holder}; null lifts it.
     */
    void heldByAnotherAgent(String conversationId, String holder) {
        if (holder == null) {
            heldElsewhere.remove(conversationId);
        } else {
            heldElsewhere.put(conversationId, holder);
        }
    }

    /** The command id the fake gives the reply sent under an Idempotency-Key. */
    static String commandIdOf(String idempotencyKey) {
        return UUID.nameUUIDFromBytes(String.valueOf(idempotencyKey).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** What {@code GET /api/v1/replies/{commandId}} answers from now on (404 before). */
    void setOutcome(String commandId, String json) {
        outcomes.put(commandId, json);
    }

    private void handle(HttpExchange exchange) throws IOException {
        boolean keepOpen = false;
        try {
            String method = exchange.getRequestMethod();
            URI uri = exchange.getRequestURI();
            String path = uri.getPath();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String pathAndQuery = path + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
            requests.add(new Request(method, pathAndQuery, exchange.getRequestHeaders().getFirst("Authorization"),
                    exchange.getRequestHeaders().getFirst("Idempotency-Key"), body));
            if (path.equals("/")) {
                send(exchange, 200, "text/html; charset=utf-8", "<!doctype html><link rel=\"icon\" href=\"data:,\"><title>console scripts</title>");
            } else if (path.equals("/console/config.json")) {
                send(exchange, 200, TYPES.get("json"), """
                        {"issuer":"%s","clientId":"answerline-console","scope":"openid profile"}""".formatted(base()));
            } else if (path.startsWith("/console/")) {
                consoleFile(exchange, path.substring("/console/".length()));
            } else if (path.equals("/.well-known/openid-configuration")) {
                send(exchange, 200, TYPES.get("json"), """
                        {"issuer":"%1$s","authorization_endpoint":"%1$s/oidc/authorize","token_endpoint":"%1$s/oidc/token",
                         "response_types_supported":["code"],"code_challenge_methods_supported":["S256"]}""".formatted(base()));
            } else if (path.equals("/oidc/authorize")) {
                authorize(exchange, query(uri.getRawQuery()));
            } else if (path.equals("/oidc/token")) {
                token(exchange, query(body));
            } else if (path.startsWith("/api/")) {
                keepOpen = api(exchange, method, path, query(uri.getRawQuery()), body);
            } else {
                send(exchange, 404, "text/plain", "not found");
            }
        } catch (RuntimeException e) {
            send(exchange, 500, "text/plain", e.toString());
        } finally {
            if (!keepOpen) {
                exchange.close();
            }
        }
    }

    private void consoleFile(HttpExchange exchange, String relative) throws IOException {
        Path file = consoleDir.resolve(relative.isEmpty() ? "index.html" : relative).normalize();
        if (!file.startsWith(consoleDir) || !Files.isRegularFile(file)) {
            send(exchange, 404, "text/plain", "not found");
            return;
        }
        String name = file.getFileName().toString();
        exchange.getResponseHeaders().set("Content-Security-Policy", CSP);
        exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
        send(exchange, 200, TYPES.getOrDefault(name.substring(name.lastIndexOf('.') + 1), "application/octet-stream"),
                Files.readAllBytes(file));
    }

    private void authorize(HttpExchange exchange, Map<String, String> params) throws IOException {
        String redirect = params.get("redirect_uri");
        if (!"code".equals(params.get("response_type")) || !"answerline-console".equals(params.get("client_id"))
                || !consoleUrl().equals(redirect) || !"S256".equals(params.get("code_challenge_method"))
                || params.get("code_challenge") == null || params.get("state") == null) {
            send(exchange, 400, "text/plain", "bad authorization request: " + params);
            return;
        }
        String code = UUID.randomUUID().toString();
        codes.put(code, new String[] {params.get("code_challenge"), params.get("nonce"), redirect});
        exchange.getResponseHeaders().set("Location", redirect + "?code=" + code + "&state="
                + java.net.URLEncoder.encode(params.get("state"), StandardCharsets.UTF_8));
        exchange.sendResponseHeaders(302, -1);
    }

    private void token(HttpExchange exchange, Map<String, String> form) throws IOException {
        String[] issued = codes.remove(String.valueOf(form.get("code")));
        String verifier = form.get("code_verifier");
        if (issued == null || verifier == null || !issued[0].equals(s256(verifier)) || !issued[2].equals(form.get("redirect_uri"))
                || !"authorization_code".equals(form.get("grant_type"))) {
            send(exchange, 400, TYPES.get("json"), "{\"error\":\"invalid_grant\"}");
            return;
        }
        verifiedExchanges.add(verifier);
        long exp = Instant.now().plus(Duration.ofHours(1)).getEpochSecond();
        accessToken = jwt("{\"sub\":\"%s\",\"tenant_id\":\"%s\",\"roles\":[\"agent\"],\"name\":\"Agent Seven\",\"exp\":%d}"
                .formatted(AGENT, TENANT, exp));
        String idToken = jwt("{\"sub\":\"%s\",\"aud\":\"answerline-console\",\"nonce\":\"%s\",\"exp\":%d}"
                .formatted(AGENT, issued[1], exp));
        send(exchange, 200, TYPES.get("json"), """
                {"access_token":"%s","id_token":"%s","token_type":"Bearer","expires_in":3600}""".formatted(accessToken, idToken));
    }

    /** @return true for an event stream, which stays open (push writes to it; close() ends it) */
    private boolean api(HttpExchange exchange, String method, String path, Map<String, String> query, String body)
            throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        if (tokenRevoked || accessToken == null || !("Bearer " + accessToken).equals(authorization)) {
            send(exchange, 401, "application/problem+json", "{\"title\":\"Unauthorized\",\"status\":401}");
            return false;
        }
        String[] parts = path.split("/");
        if (method.equals("GET") && path.equals("/api/v1/events")) {
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            OutputStream stream = exchange.getResponseBody();
            stream.write(":stream open\n\n".getBytes(StandardCharsets.UTF_8));
            stream.flush();
            streams.add(stream);
            return true;
        } else if (method.equals("GET") && path.equals("/api/v1/conversations")) {
            send(exchange, 200, TYPES.get("json"), fixture("conversations.json", 1));
        } else if (method.equals("GET") && parts.length == 5 && path.startsWith("/api/v1/conversations/")) {
            String text = query.getOrDefault("text", "");
            boolean utility = "UTILITY".equals(query.get("category"));
            send(exchange, 200, TYPES.get("json"), fixture("conversation-" + customer(parts[4]) + ".json", 1 + text.length() / 153,
                    utility));
        } else if (method.equals("GET") && path.endsWith("/messages")) {
            send(exchange, 200, TYPES.get("json"), fixture("messages-" + customer(parts[4]) + ".json", 1));
        } else if (method.equals("GET") && path.contains("/media/MEDIA_IMG")) {
            send(exchange, 200, "image/png", png());
        } else if (method.equals("GET") && path.contains("/media/")) {
            send(exchange, 200, "application/pdf", "%PDF-1.4 fake".getBytes(StandardCharsets.US_ASCII));
        } else if (method.equals("POST") && path.endsWith("/replies")) {
            String commandId = commandIdOf(exchange.getRequestHeaders().getFirst("Idempotency-Key"));
            exchange.getResponseHeaders().set("Location", "/api/v1/replies/" + commandId);
            send(exchange, 202, TYPES.get("json"), """
                    {"commandId":"%1$s","status":"PENDING","links":{"outcome":"/api/v1/replies/%1$s"}}""".formatted(commandId));
        } else if (method.equals("GET") && path.startsWith("/api/v1/replies/")) {
            String outcome = outcomes.get(parts[4]);
            send(exchange, outcome == null ? 404 : 200, TYPES.get("json"), outcome == null ? "{\"status\":404}" : outcome);
        } else if (method.equals("DELETE") && path.endsWith("/hold")) {
            send(exchange, 202, TYPES.get("json"), "{\"commandId\":\"%s\",\"status\":\"HELD\"}".formatted(parts[4]));
        } else if (path.endsWith("/assignee") && heldElsewhere.containsKey(parts[4])) {
            String holder = heldElsewhere.get(parts[4]);
            send(exchange, 403, "application/problem+json", """
                    {"type":"urn:answerline:problem:forbidden","title":"Forbidden","status":403,"assigneeId":"%1$s",
                     "detail":"this conversation is assigned to %1$s; taking over another agent's conversation needs the supervisor role"}""".formatted(holder));
        } else if (path.endsWith("/assignee")) {
            send(exchange, 202, TYPES.get("json"), "{\"conversationId\":\"%s\",\"assigneeId\":%s}".formatted(parts[4],
                    method.equals("PUT") ? "\"" + AGENT + "\"" : "null"));
        } else {
            send(exchange, 404, "application/problem+json", "{\"status\":404}");
        }
        return false;
    }

    /** The customer part of a conversation id in a path ("100000000000001:15551230001" -> "15551230001"). */
    private static String customer(String encodedConversationId) {
        String id = URLDecoder.decode(encodedConversationId, StandardCharsets.UTF_8);
        return id.substring(id.indexOf(':') + 1);
    }

    private static String fixture(String name, int smsSegments) {
        return fixture(name, smsSegments, false);
    }

    /**
     * A fixture with its times relative to now; in a conversation, Direct Send (closed window) is allowed only for a
     * draft previewed as {@code utility}, as dispatch decides (else why NOT_UTILITY).
     */
    private static String fixture(String name, int smsSegments, boolean utility) {
        Instant now = Instant.now();
        Map<String, String> tokens = new HashMap<>();
        tokens.put("{{AGO_25H}}", now.minus(Duration.ofHours(25)).toString());
        tokens.put("{{AGO_1H}}", now.minus(Duration.ofHours(1)).toString());
        tokens.put("{{AGO_58M}}", now.minus(Duration.ofMinutes(58)).toString());
        tokens.put("{{AGO_57M}}", now.minus(Duration.ofMinutes(57)).toString());
        tokens.put("{{AGO_56M}}", now.minus(Duration.ofMinutes(56)).toString());
        tokens.put("{{AGO_55M}}", now.minus(Duration.ofMinutes(55)).toString());
        tokens.put("{{AGO_50M}}", now.minus(Duration.ofMinutes(50)).toString());
        tokens.put("{{AGO_6M}}", now.minus(Duration.ofMinutes(6)).toString());
        tokens.put("{{AGO_5M}}", now.minus(Duration.ofMinutes(5)).toString());
        tokens.put("{{IN_23H}}", now.plus(Duration.ofHours(23)).toString());
        tokens.put("{{SEGMENTS}}", String.valueOf(smsSegments));
        tokens.put("{{UTILITY}}", String.valueOf(utility));
        tokens.put("{{DIRECT_SEND_WHY}}", utility ? "" : "\"why\": \"NOT_UTILITY\", ");
        try (InputStream in = FakeGateway.class.getResourceAsStream("/console-fake/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + name);
            }
            String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            for (Map.Entry<String, String> token : tokens.entrySet()) {
                json = json.replace(token.getKey(), token.getValue());
            }
            return json;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A 160 x 100 picture of a parcel, so an image that loaded has a size. */
    private static byte[] png() throws IOException {
        BufferedImage image = new BufferedImage(160, 100, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(0xE8D5B0));
        g.fillRect(0, 0, 160, 100);
        g.setColor(new Color(0x8A5A00));
        g.fillRect(30, 20, 100, 60);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    static String s256(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String jwt(String claims) {
        Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
        return encoder.encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + encoder.encodeToString(claims.getBytes(StandardCharsets.UTF_8)) + ".";
    }

    private static Map<String, String> query(String raw) {
        if (raw == null || raw.isEmpty()) {
            return Map.of();
        }
        return java.util.Arrays.stream(raw.split("&"))
                .map(pair -> pair.split("=", 2))
                .collect(Collectors.toMap(pair -> URLDecoder.decode(pair[0], StandardCharsets.UTF_8),
                        pair -> pair.length > 1 ? URLDecoder.decode(pair[1], StandardCharsets.UTF_8) : "", (a, b) -> b));
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        send(exchange, status, type, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
