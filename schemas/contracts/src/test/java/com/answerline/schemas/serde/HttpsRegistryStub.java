package com.answerline.schemas.serde;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import org.apache.avro.Schema;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;

/**
 * A registry behind HTTPS on 127.0.0.1 that demands one {@code Authorization} header: the Confluent REST calls the
 * serializer and deserializer make (register, schema by id), kept in an {@link InMemorySchemaRegistry}. A request
 * without the expected header is answered 401 as Confluent's registry does. Records the header of every request.
 */
final class HttpsRegistryStub implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern REGISTER = Pattern.compile("/subjects/([^/]+)/versions");
    private static final Pattern BY_ID = Pattern.compile("/schemas/ids/(\\d+)");

    private final HttpsServer server;
    private final String expectedAuthorization;
    private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();

    /**
     * @param needClientAuth the TLS handshake requires a client certificate the context's trust manager trusts
     */
    HttpsRegistryStub(SSLContext tls, boolean needClientAuth, String expectedAuthorization) throws IOException {
        this.expectedAuthorization = expectedAuthorization;
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters parameters) {
                SSLParameters ssl = getSSLContext().getDefaultSSLParameters();
                ssl.setNeedClientAuth(needClientAuth);
                parameters.setSSLParameters(ssl);
            }
        });
        server.createContext("/apis/ccompat/v7/", this::handle);
        server.start();
    }

    /** The Confluent API base URL, e.g. {@code https://127.0.0.1:PORT/apis/ccompat/v7}. */
    String url() {
        return "https://127.0.0.1:" + server.getAddress().getPort() + "/apis/ccompat/v7";
    }

    /** The {@code Authorization} header of every request received ({@code "(none)"} when absent), in order. */
    List<String> authorizations() {
        return authorizations;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        authorizations.add(authorization == null ? "(none)" : authorization);
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        if (!expectedAuthorization.equals(authorization)) {
            exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"registry\"");
            answer(exchange, 401, error(401, "Unauthorized"));
            return;
        }
        String path = exchange.getRequestURI().getRawPath().substring("/apis/ccompat/v7".length());
        Matcher register = REGISTER.matcher(path);
        Matcher byId = BY_ID.matcher(path);
        try {
            if (exchange.getRequestMethod().equals("POST") && register.matches()) {
                Schema schema = new Schema.Parser().parse(JSON.readTree(body).path("schema").asText());
                int id = registry.register(URLDecoder.decode(register.group(1), StandardCharsets.UTF_8), schema);
                answer(exchange, 200, JSON.createObjectNode().put("id", id));
            } else if (exchange.getRequestMethod().equals("GET") && byId.matches()) {
                Schema schema = registry.getById(Integer.parseInt(byId.group(1)));
                answer(exchange, 200, JSON.createObjectNode().put("schema", schema.toString()));
            } else {
                answer(exchange, 404, error(404, "HTTP 404 Not Found"));
            }
        } catch (SchemaRegistryException e) {
            answer(exchange, e.status(), error(e.errorCode(), e.getMessage()));
        }
    }

    private static ObjectNode error(int code, String message) {
        return JSON.createObjectNode().put("error_code", code).put("message", message);
    }

    private static void answer(HttpExchange exchange, int status, ObjectNode json) throws IOException {
        byte[] bytes = json.toString().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
