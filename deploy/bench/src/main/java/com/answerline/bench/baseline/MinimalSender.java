package com.answerline.bench.baseline;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.HttpHeaderNames;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import com.answerline.avro.Channel;
import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.SendRequest;
import com.answerline.schemas.serde.AvroSerdeConfig;
import com.answerline.schemas.serde.SpecificAvroSerde;

/**
 * Dispatch's baseline: the least a sender does per send request, with nothing of ours in it. It consumes
 * {@code SendRequest}s (the services' serde) in a consumer group, POSTs each as a WhatsApp text to the Cloud API (the
 * sandbox) with dispatch's concurrency ({@value #CONCURRENCY} conversations of a poll side by side, each
 * conversation's requests in order, as WhatsApp replies must be), produces one {@code DispatchOutcome} (SENT, with
 * the provider's message id) per request with acks=all, and commits the poll's offsets once every outcome of it is
 * acknowledged: at least once. No ledger, no decision, no retry, no rate limit, no circuit breaker, no metrics.
 *
 * <p>{@code java -cp ... com.answerline.bench.baseline.MinimalSender <bootstrap> <registry> <in> <out> <group>
 * <cloud-api-base-url> <access-token>}; prints {@code running} once it has its partitions, and stops when its
 * standard input closes. A request the provider refuses stops it (a baseline that skips sends sets no bar).
 */
public final class MinimalSender {

    /** Dispatch's {@code answerline.dispatch.sender.concurrency}. */
    public static final int CONCURRENCY = 64;
    /** Dispatch's {@code answerline.dispatch.providers.whatsapp.api-version}. */
    static final String API_VERSION = "v23.0";
    private static final ObjectMapper JSON = new ObjectMapper();

    private MinimalSender() {
    }

    /**
     * Runs {@code send} for every record of a poll: up to {@code concurrency} keys at once, each key's records one
     * after the other in their order; completes when all are done. (Dispatch's own batch does the same with more.)
     */
    public static <V> Mono<Void> inKeyOrder(List<ConsumerRecord<String, V>> records,
                                            Function<ConsumerRecord<String, V>, Mono<?>> send, int concurrency) {
        Map<String, List<ConsumerRecord<String, V>>> byKey = new LinkedHashMap<>();
        records.forEach(r -> byKey.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r));
        return Flux.fromIterable(byKey.values())
                .flatMap(keyed -> Flux.fromIterable(keyed).concatMap(send), concurrency)
                .then();
    }

    /** The Cloud API body of a text message, as dispatch sends one. */
    public static byte[] textMessage(SendRequest request) {
        ObjectNode body = JSON.createObjectNode();
        body.put("messaging_product", "whatsapp");
        body.put("recipient_type", "individual");
        body.put("to", request.getRecipientPhone());
        body.put("type", "text");
        body.putObject("text").put("body", request.getText());
        return body.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** The message id of a Cloud API answer; fails on anything else. */
    static String wamid(int status, String body) {
        if (status / 100 != 2) {
            throw new IllegalStateException("the Cloud API answered " + status + ": " + body);
        }
        try {
            JsonNode id = JSON.readTree(body).path("messages").path(0).path("id");
            if (!id.isTextual()) {
                throw new IllegalStateException("the Cloud API answered without a message id: " + body);
            }
            return id.asText();
        } catch (IOException e) {
            throw new IllegalStateException("the Cloud API answered what is not JSON: " + body, e);
        }
    }

    /** The outcome of a request sent with {@code wamid}. */
    public static DispatchOutcome sent(SendRequest request, String wamid, Instant at) {
        return DispatchOutcome.newBuilder()
                .setCommandId(request.getCommandId())
                .setTenantId(request.getTenantId())
                .setConversationId(request.getConversationId())
                .setStatus(OutcomeStatus.SENT)
                .setChannel(Channel.WHATSAPP)
                .setReason("WINDOW_OPEN")
                .setProviderMessageId(wamid)
                .setStep(request.getStep())
                .setFinal$(true)
                .setOccurredAt(at)
                .build();
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length != 7) {
            throw new IllegalArgumentException(
                    "usage: MinimalSender <bootstrap> <registry> <in> <out> <group> <cloud-api-base-url> <access-token>");
        }
        Map<String, Object> serde = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, args[1],
                AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, true);
        SpecificAvroSerde<SendRequest> requests = new SpecificAvroSerde<>();
        requests.configure(serde, false);
        SpecificAvroSerde<DispatchOutcome> outcomes = new SpecificAvroSerde<>();
        outcomes.configure(serde, false);
        Map<String, Object> consumerConfig = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0],
                ConsumerConfig.GROUP_ID_CONFIG, args[4],
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        // The services' producer: idempotent, acks=all, 5 ms linger.
        Map<String, Object> producerConfig = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, args[0],
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5);
        ConnectionProvider pool = ConnectionProvider.builder("minimal-sender").maxConnections(CONCURRENCY).build();
        HttpClient cloudApi = HttpClient.create(pool).baseUrl(args[5])
                .headers(h -> h.set(HttpHeaderNames.AUTHORIZATION, "Bearer " + args[6])
                        .set(HttpHeaderNames.CONTENT_TYPE, "application/json"));
        String out = args[3];
        try (KafkaConsumer<String, SendRequest> consumer = new KafkaConsumer<>(consumerConfig, new StringDeserializer(),
                requests.deserializer());
             KafkaProducer<String, DispatchOutcome> producer = new KafkaProducer<>(producerConfig, new StringSerializer(),
                     outcomes.serializer())) {
            StandardInput.onClose("minimal-sender", consumer::wakeup);
            consumer.subscribe(List.of(args[2]));
            boolean announced = false;
            while (true) {
                List<ConsumerRecord<String, SendRequest>> batch = new ArrayList<>();
                consumer.poll(Duration.ofMillis(100)).forEach(batch::add);
                if (!announced && !consumer.assignment().isEmpty()) {
                    System.out.println("running");
                    System.out.flush();
                    announced = true;
                }
                if (batch.isEmpty()) {
                    continue;
                }
                List<CompletableFuture<?>> acks = new ArrayList<>();
                inKeyOrder(batch, record -> cloudApi.post()
                        .uri("/" + API_VERSION + "/" + record.value().getPhoneNumberId() + "/messages")
                        .send(ByteBufFlux.fromInbound(Mono.just(textMessage(record.value()))))
                        .responseSingle((response, body) -> body.asString().defaultIfEmpty("")
                                .map(text -> wamid(response.status().code(), text)))
                        .doOnNext(wamid -> {
                            CompletableFuture<Object> ack = new CompletableFuture<>();
                            producer.send(new ProducerRecord<>(out, record.key(), sent(record.value(), wamid, Instant.now())),
                                    (metadata, error) -> {
                                        if (error == null) {
                                            ack.complete(metadata);
                                        } else {
                                            ack.completeExceptionally(error);
                                        }
                                    });
                            synchronized (acks) {
                                acks.add(ack);
                            }
                        }), CONCURRENCY).block();
                CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)).join();
                consumer.commitSync();
            }
        } catch (WakeupException stopped) {
            // standard input closed
        } finally {
            pool.dispose();
        }
    }
}
