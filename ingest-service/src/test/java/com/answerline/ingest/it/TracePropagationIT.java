package com.answerline.ingest.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.answerline.avro.ReplyCommand;
import com.answerline.ingest.IngestApplication;
import com.answerline.platform.streams.StreamsInstance;
import com.answerline.platform.testing.InMemorySpans;
import com.answerline.schemas.testing.LoopbackKafkaBroker;
import com.answerline.schemas.topic.Topics;

/**
 * The first link of a reply's trace: an agent's request carrying a W3C {@code traceparent} is published as a
 * reply-commands record whose own {@code traceparent} continues that trace (same trace id, a new span), so
 * dispatch, which continues the record's trace, logs under the id the agent's client started. And what leaves the
 * process when spans are exported: never the customer's number (issue 17; platform's TraceRedaction).
 */
class TracePropagationIT {

    private static final LoopbackKafkaBroker BROKER = LoopbackKafkaBroker.start();
    private static final TestTokens TOKENS = TestTokens.start();
    private static final String CONVERSATION = "100000000000001:31687654322";
    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String CALLER_SPAN = "00f067aa0ba902b7";

    @AfterAll
    static void stop() {
        TOKENS.close();
        BROKER.close();
    }

    @Test
    void shouldPublishTheReplyCommandInTheTraceOfTheAgentsRequest() {
        try (ConfigurableApplicationContext app = startApp();
             KafkaConsumer<String, Object> commands = TestSupport.consumer(BROKER.bootstrapServers(),
                     Topics.REPLY_COMMANDS.name())) {
            // When an agent's client sends a reply within its own trace
            String location = WebTestClient.bindToServer()
                    .baseUrl("http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port"))
                    .responseTimeout(Duration.ofSeconds(30)).build()
                    .post().uri("/api/v1/conversations/{id}/replies", CONVERSATION)
                    .headers(h -> h.setBearerAuth(TOKENS.agent("agent-7", "demo")))
                    .header("traceparent", "00-" + TRACE_ID + "-" + CALLER_SPAN + "-01")
                    .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"text\":\"Your order ships today\"}")
                    .exchange().expectStatus().isAccepted()
                    .returnResult(String.class).getResponseHeaders().getLocation().getPath();
            String commandId = location.replace("/api/v1/replies/", "");

            // Then its reply-commands record carries one traceparent: the same trace, a span of ingest's own
            List<ConsumerRecord<String, Object>> seen = TestSupport.awaitRecords(commands,
                    r -> ((ReplyCommand) r.value()).getCommandId().equals(commandId));
            ConsumerRecord<String, Object> record = seen.stream()
                    .filter(r -> ((ReplyCommand) r.value()).getCommandId().equals(commandId)).findFirst().orElseThrow();
            List<String> traceparents = headers(record, "traceparent");
            assertThat(traceparents).singleElement().satisfies(traceparent -> {
                assertThat(traceparent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]");
                assertThat(traceparent.split("-")[1]).isEqualTo(TRACE_ID);
                assertThat(traceparent.split("-")[2]).isNotEqualTo(CALLER_SPAN);
            });
        }
    }

    @Test
    void shouldExportTheSpansOfAgentsRequestsWithoutTheCustomersNumber() throws IOException {
        // Given spans exported to memory, and a session-service stand-in on a free loopback port
        HttpServer session = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        session.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        session.start();
        String sessionUrl = "http://127.0.0.1:" + session.getAddress().getPort();
        try (ConfigurableApplicationContext app = startApp(InMemorySpans.AsBean.class,
                "--management.opentelemetry.tracing.export.schedule-delay=100ms",
                "--answerline.ingest.services.session-url=" + sessionUrl,
                "--answerline.ingest.services.dispatch-url=" + sessionUrl)) {
            InMemorySpans spans = app.getBean(InMemorySpans.AsBean.class).spans();
            WebTestClient client = WebTestClient.bindToServer()
                    .baseUrl("http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port"))
                    .responseTimeout(Duration.ofSeconds(30)).build();

            // When an agent replies to a conversation (the path and the Kafka record key hold the customer's number)
            // and reads it with a draft in the query (the gateway asks session-service with the same id)
            client.post().uri("/api/v1/conversations/{id}/replies", CONVERSATION)
                    .headers(h -> h.setBearerAuth(TOKENS.agent("agent-7", "demo")))
                    .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"text\":\"Your order ships today\"}")
                    .exchange().expectStatus().isAccepted();
            client.get().uri("/api/v1/conversations/{id}?text={text}", CONVERSATION, "call me on +31687654322")
                    .headers(h -> h.setBearerAuth(TOKENS.agent("agent-7", "demo")))
                    .exchange().expectStatus().isNotFound();

            // Then once the server, client and producer spans are exported, no span name or attribute holds the number
            await().atMost(Duration.ofSeconds(30)).until(() -> kinds(spans).stream().filter(SpanKind.SERVER::equals).count() >= 2
                    && kinds(spans).containsAll(List.of(SpanKind.CLIENT, SpanKind.PRODUCER)));
            assertThat(spans.texts()).noneMatch(text -> text.contains("31687654322"))
                    // and the paths are there, the conversation as the route's template
                    .filteredOn(text -> text.contains("/api/v1/conversations/{conversationId}")).hasSizeGreaterThanOrEqualTo(3);
        } finally {
            session.stop(0);
        }
    }

    private static List<SpanKind> kinds(InMemorySpans spans) {
        return spans.spans().stream().map(SpanData::getKind).toList();
    }

    private static List<String> headers(ConsumerRecord<String, Object> record, String name) {
        return StreamSupport.stream(record.headers().headers(name).spliterator(), false)
                .map(Header::value).map(value -> new String(value, StandardCharsets.UTF_8)).toList();
    }

    private static ConfigurableApplicationContext startApp() {
        return startApp(null);
    }

    private static ConfigurableApplicationContext startApp(Class<?> extra, String... args) {
        List<String> arguments = new ArrayList<>(List.of(
                "--server.address=127.0.0.1", "--server.port=0", "--management.server.port=0",
                "--spring.kafka.bootstrap-servers=" + BROKER.bootstrapServers(),
                "--spring.kafka.properties.schema.registry.url=" + TestSupport.REGISTRY,
                "--answerline.ingest.data-dir=" + TestSupport.freshDataDir(),
                "--answerline.ingest.streams.application-id=ingest-it-trace",
                "--answerline.ingest.jwt.jwks-uri=" + TOKENS.jwksUri(),
                "--logging.level.kafka=WARN", "--logging.level.state.change.logger=WARN",
                "--logging.level.org.apache.kafka=WARN"));
        arguments.addAll(List.of(args));
        Class<?>[] sources = extra == null ? new Class<?>[] {IngestApplication.class}
                : new Class<?>[] {IngestApplication.class, extra};
        ConfigurableApplicationContext app = new SpringApplicationBuilder(sources).run(arguments.toArray(String[]::new));
        StreamsInstance streams = app.getBean(StreamsInstance.class);
        await().atMost(Duration.ofSeconds(60)).until(() -> streams.get() != null
                && streams.get().state() == KafkaStreams.State.RUNNING);
        return app;
    }
}
