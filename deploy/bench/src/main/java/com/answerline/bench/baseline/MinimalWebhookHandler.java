package com.answerline.bench.baseline;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * Ingest's second baseline: the work every webhook must do and nothing else, as a minimal WebFlux handler (a functional
 * endpoint on Reactor Netty, the stack ingest runs on, without Spring Boot): read the body, check Meta's
 * {@code X-Hub-Signature-256} (HMAC-SHA256 of the exact body with the app secret, compared in constant time), produce
 * the body as one record with acks=all (idempotent, the services' producer settings), and answer 200 once Kafka
 * acknowledged it; 401 for a wrong signature. No parsing, no routing, no identities, no security chain, no metrics,
 * no load shedding.
 *
 * <p>{@code java -cp ... com.answerline.bench.baseline.MinimalWebhookHandler <bootstrap> <topic> <app-secret>}; prints
 * {@code listening <port>} once bound (a free port on 127.0.0.1), and stops when its standard input closes.
 */
public final class MinimalWebhookHandler {

    public static final String PATH = "/webhooks/whatsapp";
    static final String SIGNATURE_HEADER = "X-Hub-Signature-256";

    private MinimalWebhookHandler() {
    }

    /** The handler's routes: {@value #PATH} only. */
    public static RouterFunction<ServerResponse> routes(String appSecret, Producer<byte[], byte[]> producer,
                                                        String topic) {
        return RouterFunctions.route().POST(PATH, request -> request.bodyToMono(byte[].class)
                .defaultIfEmpty(new byte[0])
                .flatMap(body -> {
                    if (!signedWith(appSecret, body, request.headers().firstHeader(SIGNATURE_HEADER))) {
                        return ServerResponse.status(401).build();
                    }
                    return Mono.<Void>create(sink -> producer.send(new ProducerRecord<>(topic, body), (metadata, error) -> {
                        if (error == null) {
                            sink.success();
                        } else {
                            sink.error(error);
                        }
                    })).then(ServerResponse.ok().build());
                })).build();
    }

    /** Whether {@code header} is {@code sha256=<hex HMAC-SHA256 of body>} with {@code secret}. */
    public static boolean signedWith(String secret, byte[] body, String header) {
        if (header == null || !header.startsWith("sha256=")) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            byte[] expected = mac.doFinal(body);
            byte[] given = HexFormat.of().parseHex(header.substring("sha256=".length()));
            return MessageDigest.isEqual(expected, given);
        } catch (IllegalArgumentException e) {
            return false;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("every JDK has HmacSHA256", e);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: MinimalWebhookHandler <bootstrap> <topic> <app-secret>");
        }
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0],
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            HttpHandler handler = RouterFunctions.toHttpHandler(routes(args[2], producer, args[1]));
            DisposableServer server = HttpServer.create().host("127.0.0.1").port(0)
                    .handle(new ReactorHttpHandlerAdapter(handler)).bindNow();
            CountDownLatch stopped = new CountDownLatch(1);
            StandardInput.onClose("minimal-webhook-handler", stopped::countDown);
            System.out.println("listening " + server.port());
            System.out.flush();
            stopped.await();
            server.disposeNow();
        }
    }
}
