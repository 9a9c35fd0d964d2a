package com.answerline.sandbox;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A real HTTP server on 127.0.0.1 that records every request, standing in for ingest and callback receivers. */
public final class CapturingServer implements AutoCloseable {

    /** One received request. */
    public record Captured(String method, String path, Map<String, String> headers, byte[] body) {

        public String header(String name) {
            return headers.get(name.toLowerCase(java.util.Locale.ROOT));
        }

        public String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The body as form parameters (application/x-www-form-urlencoded). */
        public Map<String, List<String>> form() {
            Map<String, List<String>> form = new LinkedHashMap<>();
            for (String pair : bodyText().split("&")) {
                int eq = pair.indexOf('=');
                String key = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                form.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
            }
            return form;
        }
    }

    private final HttpServer server;
    private final List<Captured> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger responseStatus = new AtomicInteger(200);

    private CapturingServer(HttpServer server) {
        this.server = server;
    }

    public static CapturingServer start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            CapturingServer capturing = new CapturingServer(server);
            server.createContext("/", exchange -> {
                Map<String, String> headers = new LinkedHashMap<>();
                exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
                byte[] body = exchange.getRequestBody().readAllBytes();
                capturing.requests.add(new Captured(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                        headers, body));
                exchange.sendResponseHeaders(capturing.responseStatus.get(), -1);
                exchange.close();
            });
            server.start();
            return capturing;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public List<Captured> requests() {
        return List.copyOf(requests);
    }

    public void answerWith(int status) {
        responseStatus.set(status);
    }

    public void clear() {
        requests.clear();
        responseStatus.set(200);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
