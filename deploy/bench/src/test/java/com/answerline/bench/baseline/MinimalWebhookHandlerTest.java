package com.answerline.bench.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.reactive.function.server.RouterFunctions;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

import com.answerline.bench.traffic.MetaWebhooks;

/** The minimal handler over real HTTP on loopback, with Kafka's own MockProducer in place of a broker. */
class MinimalWebhookHandlerTest {

    private static final byte[] BODY = "{\"object\":\"whatsapp_business_account\"}".getBytes(StandardCharsets.UTF_8);
    private final HttpClient client = HttpClient.newHttpClient();
    private DisposableServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.disposeNow();
        }
    }

    @Test
    void shouldProduceASignedWebhookOnceAndAnswer200AfterTheAcknowledgement() throws Exception {
        MockProducer<byte[], byte[]> producer = start(true);
        HttpResponse<String> answer = post(MetaWebhooks.demo().signature(BODY));
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(producer.history()).singleElement().satisfies(record -> {
            assertThat(record.topic()).isEqualTo("webhooks");
            assertThat(record.value()).isEqualTo(BODY);
        });
    }

    @Test
    void shouldRefuseAWrongOrMissingSignatureWithoutProducing() throws Exception {
        MockProducer<byte[], byte[]> producer = start(true);
        assertThat(post(MetaWebhooks.signatureWith("another-secret", BODY)).statusCode()).isEqualTo(401);
        assertThat(post("sha256=not-hex").statusCode()).isEqualTo(401);
        assertThat(post(null).statusCode()).isEqualTo(401);
        assertThat(producer.history()).isEmpty();
    }

    @Test
    void shouldNotAnswer200WhenKafkaRefusedTheRecord() throws Exception {
        MockProducer<byte[], byte[]> producer = start(false);
        var answer = client.sendAsync(request(MetaWebhooks.demo().signature(BODY)), HttpResponse.BodyHandlers.ofString());
        await().until(() -> producer.history().size() == 1);
        producer.errorNext(new TimeoutException("not acknowledged"));
        assertThat(answer.get().statusCode()).isEqualTo(500);
    }

    private MockProducer<byte[], byte[]> start(boolean autoComplete) {
        MockProducer<byte[], byte[]> producer = new MockProducer<>(autoComplete, null, new ByteArraySerializer(),
                new ByteArraySerializer());
        server = HttpServer.create().host("127.0.0.1").port(0).handle(new ReactorHttpHandlerAdapter(
                RouterFunctions.toHttpHandler(MinimalWebhookHandler.routes(MetaWebhooks.DEMO_APP_SECRET, producer,
                        "webhooks")))).bindNow();
        return producer;
    }

    private HttpResponse<String> post(String signature) throws Exception {
        return client.send(request(signature), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest request(String signature) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + MinimalWebhookHandler.PATH)).POST(HttpRequest.BodyPublishers.ofByteArray(BODY));
        if (signature != null) {
            request.header("X-Hub-Signature-256", signature);
        }
        return request.build();
    }
}
