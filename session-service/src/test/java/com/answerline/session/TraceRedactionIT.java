package com.answerline.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;

import io.opentelemetry.api.trace.SpanKind;

import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import com.answerline.platform.testing.InMemorySpans;

/**
 * What leaves session-service when spans are exported (issue 17): its API's paths hold the conversation id
 * {@code <phone_number_id>:<customer number>}, and no exported span name or attribute may (platform's
 * TraceRedaction, applied to every observation of every service).
 */
class TraceRedactionIT {

    private static final String NUMBER = "15551237777";
    private static final String CONVERSATION = "100000000000001:" + NUMBER;

    @Test
    void shouldExportTheSpansOfRequestsForAConversationWithoutTheCustomersNumber() throws Exception {
        try (SessionApps apps = SessionApps.onNewBroker("mock://session-trace-redaction-it")) {
            // Given the service with its spans exported to memory
            int port = SessionApps.freePort();
            ConfigurableApplicationContext app = apps.start("session-trace-redaction-it",
                    Files.createTempDirectory("session-trace-redaction-it"), port,
                    "--spring.main.sources=" + InMemorySpans.AsBean.class.getName(),
                    "--management.opentelemetry.tracing.export.schedule-delay=100ms");
            InMemorySpans spans = app.getBean(InMemorySpans.AsBean.class).spans();

            // When a client asks for the conversation and its thread, with the number in the query too
            HttpClient http = HttpClient.newHttpClient();
            for (String path : new String[] {"/api/v1/conversations/" + CONVERSATION,
                    "/api/v1/conversations/" + CONVERSATION + "/messages?limit=5&from=%2B" + NUMBER}) {
                http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
            }

            // Then once both server spans are exported, no span name or attribute holds the customer's number
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    spans.spans().stream().filter(span -> span.getKind() == SpanKind.SERVER).count() >= 2);
            assertThat(spans.texts()).noneMatch(text -> text.contains(NUMBER))
                    // and the paths are there, the conversation as the route's template
                    .filteredOn(text -> text.startsWith("http.url=/api/v1/conversations/{conversationId}")).hasSize(2);
        }
    }
}
