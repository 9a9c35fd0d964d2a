package com.answerline.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import com.jayway.jsonpath.JsonPath;

/**
 * Plain JSON over HTTP to the running stack, as a newcomer's curl would do it: no service classes.
 * Ports are the demo defaults (the same ANSWERLINE_*_PORT variables as deploy/local/stack).
 */
final class StackHttp {

    static final String INGEST = "http://127.0.0.1:" + port("ANSWERLINE_INGEST_PORT", 8081);
    /** ingest-service's listener for the providers' webhooks. */
    static final String WEBHOOKS = "http://127.0.0.1:" + port("ANSWERLINE_INGEST_WEBHOOK_PORT", 8084);
    static final String SESSION = "http://127.0.0.1:" + port("ANSWERLINE_SESSION_PORT", 8082);
    static final String SANDBOX = "http://127.0.0.1:" + port("ANSWERLINE_SANDBOX_PORT", 8089);
    static final String DISPATCH = "http://127.0.0.1:" + port("ANSWERLINE_DISPATCH_PORT", 8083);
    /** Each service's actuator, on its management port (the API ports serve no /actuator). */
    static final String INGEST_MANAGEMENT = "http://127.0.0.1:" + port("ANSWERLINE_INGEST_MANAGEMENT_PORT", 9081);
    static final String SESSION_MANAGEMENT = "http://127.0.0.1:" + port("ANSWERLINE_SESSION_MANAGEMENT_PORT", 9082);
    static final String DISPATCH_MANAGEMENT = "http://127.0.0.1:" + port("ANSWERLINE_DISPATCH_MANAGEMENT_PORT", 9083);
    static final String PROMETHEUS = "http://127.0.0.1:" + port("ANSWERLINE_PROMETHEUS_PORT", 9090);

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** Agents' tokens by tenant (the sandbox's last an hour, longer than any run): session's API takes nothing else. */
    private final Map<String, String> tokens = new ConcurrentHashMap<>();

    record Response(int status, String body, HttpHeaders headers) {

        <T> T read(String jsonPath) {
            return JsonPath.read(body, jsonPath);
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    Response postJson(String url, String json) {
        return postJson(url, json, null);
    }

    Response postJson(String url, String json, String bearerToken, String... headerNamesAndValues) {
        return post(url, "application/json", json, bearerToken, headerNamesAndValues);
    }

    /** A POST with any content type (a provider's webhook: JSON with its signature header, or a form). */
    Response post(String url, String contentType, String body, String bearerToken, String... headerNamesAndValues) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(15))
                .header("Content-Type", contentType)
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearerToken != null) {
            request.header("Authorization", "Bearer " + bearerToken);
        }
        if (headerNamesAndValues.length > 0) {
            request.headers(headerNamesAndValues);
        }
        return send(request.build());
    }

    Response get(String url) {
        return get(url, null);
    }

    /**
     * A GET of session-service's own API ({@code pathAndQuery} under {@code sessionBase}), as the gateway makes it:
     * with an agent's token of {@code tenantId} from the sandbox at {@code sandboxBase}; the tenant is the token's.
     */
    Response session(String sessionBase, String sandboxBase, String pathAndQuery, String tenantId) {
        String token = tokens.computeIfAbsent(sandboxBase + " " + tenantId,
                key -> agentToken(sandboxBase, "e2e-reader", tenantId));
        return get(sessionBase + pathAndQuery, token);
    }

    /** {@link #session(String, String, String, String)} on the demo stack, as an agent of tenant demo. */
    Response session(String pathAndQuery) {
        return session(SESSION, SANDBOX, pathAndQuery, "demo");
    }

    /** A GET of a text resource (Prometheus' text format of /actuator/prometheus). */
    Response getText(String url) {
        return send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15)).header("Accept", "text/plain")
                .GET().build());
    }

    Response get(String url, String bearerToken) {
        return send(jsonRequest(url, bearerToken).GET().build());
    }

    Response putJson(String url, String json) {
        return send(jsonRequest(url, null).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    Response delete(String url, String bearerToken) {
        return send(jsonRequest(url, bearerToken).DELETE().build());
    }

    private static HttpRequest.Builder jsonRequest(String url, String bearerToken) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15))
                .header("Accept", "application/json");
        if (bearerToken != null) {
            request.header("Authorization", "Bearer " + bearerToken);
        }
        return request;
    }

    /** Opens a server-sent-events stream; the caller reads its lines and closes it. */
    HttpResponse<Stream<String>> openEventStream(String url, String bearerToken) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .header("Accept", "text/event-stream")
                .header("Authorization", "Bearer " + bearerToken)
                .GET().build();
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofLines());
        } catch (IOException e) {
            throw new IllegalStateException("GET " + url + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * The sandbox customer writes on WhatsApp to the business number {@code phoneNumberId}, the message dated
     * {@code sentAt}; returns the conversation id once session-service has folded the message, so a reply is
     * routed against the real window.
     */
    String customerWrites(String phoneNumberId, String customer, Instant sentAt, Duration timeout) {
        String conversation = phoneNumberId + ":" + customer;
        String tenant = "100000000000002".equals(phoneNumberId) ? "other" : "demo";
        Response before = session(SESSION, SANDBOX, "/api/v1/conversations/" + conversation, tenant);
        int inbound = before.status() == 200 ? before.<Integer>read("$.inboundCount") : 0;
        Response sent = postJson(SANDBOX + "/sandbox/customers/" + customer + "/messages",
                "{\"phoneNumberId\":\"" + phoneNumberId + "\",\"text\":\"Hello\",\"sentAt\":\"" + sentAt + "\"}");
        assertThat(sent.status()).as("sandbox customer simulator: %s", sent).isBetween(200, 299);
        await("message " + (inbound + 1) + " of " + conversation + " folded").atMost(timeout)
                .pollInterval(Duration.ofMillis(250)).until(() -> {
                    Response view = session(SESSION, SANDBOX, "/api/v1/conversations/" + conversation, tenant);
                    return view.status() == 200 && view.<Integer>read("$.inboundCount") > inbound;
                });
        return conversation;
    }

    /** An agent posts a reply through the gateway; returns its outcome URL. */
    String reply(String conversation, String body, String token) {
        Response accepted = postJson(INGEST + "/api/v1/conversations/" + conversation + "/replies", body, token);
        assertThat(accepted.status()).as("%s", accepted).isEqualTo(202);
        return INGEST + accepted.<String>read("$.links.outcome");
    }

    /** Waits until the outcome at {@code outcomeUrl} has {@code value} in its top-level {@code field}; returns it. */
    Map<String, Object> awaitOutcome(String outcomeUrl, String token, String field, String value, Duration timeout) {
        await(field + " " + value + " " + outcomeUrl).atMost(timeout).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            Response outcome = get(outcomeUrl, token);
            assertThat(outcome.status()).as("%s", outcome).isEqualTo(200);
            assertThat(outcome.<String>read("$." + field)).as("%s", outcome).isEqualTo(value);
        });
        return get(outcomeUrl, token).read("$");
    }

    /** Waits for the command's final outcome (any status) and answers it. */
    Map<String, Object> awaitFinalOutcome(String outcomeUrl, String token, Duration timeout) {
        org.awaitility.Awaitility.await("final outcome " + outcomeUrl).atMost(timeout)
                .pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                    Response outcome = get(outcomeUrl, token);
                    org.assertj.core.api.Assertions.assertThat(outcome.status()).as("%s", outcome).isEqualTo(200);
                    org.assertj.core.api.Assertions.assertThat(outcome.<Boolean>read("$.final")).as("%s", outcome).isTrue();
                });
        return get(outcomeUrl, token).read("$");
    }

    /** An agent's bearer token from the sandbox identity provider. */
    String agentToken(String agentId, String tenantId) {
        return agentToken(SANDBOX, agentId, tenantId);
    }

    /** An agent's bearer token from the identity provider of the sandbox at {@code sandboxBase}. */
    String agentToken(String sandboxBase, String agentId, String tenantId) {
        Response response = postJson(sandboxBase + "/sandbox/tokens",
                """
                {"agentId":"%s","tenantId":"%s","roles":["agent"]}""".formatted(agentId, tenantId));
        if (response.status() != 200 && response.status() != 201) {
            throw new IllegalStateException("sandbox token endpoint answered " + response);
        }
        return response.read("$.token");
    }

    private Response send(HttpRequest request) {
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Response(response.statusCode(), response.body(), response.headers());
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** A port of the stack: its ANSWERLINE_*_PORT variable (as deploy/local/stack reads it) or the default. */
    static int port(String variable, int defaultPort) {
        String value = System.getenv(variable);
        return value == null || value.isBlank() ? defaultPort : Integer.parseInt(value);
    }
}
