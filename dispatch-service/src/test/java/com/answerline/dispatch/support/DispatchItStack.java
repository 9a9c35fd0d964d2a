package com.answerline.dispatch.support;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.kafka.config.KafkaListenerEndpointRegistry;
import org.springframework.kafka.listener.MessageListenerContainer;

import com.answerline.platform.testing.TestTokens;
import com.answerline.avro.Channel;
import com.answerline.avro.DecisionExplanation;
import com.answerline.avro.FallbackPolicy;
import com.answerline.avro.OutcomeReason;
import com.answerline.avro.SendRequest;
import com.answerline.avro.WindowState;
import com.answerline.dispatch.DispatchApplication;
import com.answerline.schemas.serde.KafkaAvroDeserializer;
import com.answerline.schemas.serde.KafkaAvroSerializer;
import com.answerline.schemas.testing.LoopbackKafkaBroker;
import com.answerline.schemas.topic.Topics;

/** What the dispatch ITs share: the application on a loopback broker and a provider stand-in, and Avro clients. */
public final class DispatchItStack {

    private DispatchItStack() {
    }

    /** The identity provider of dispatch's ITs: the preview answers only calls with an agent's token of it. */
    public static final TestTokens TOKENS = TestTokens.start();

    /**
     * The whole service on a random port, both providers pointed at {@code provider}; {@code extra}: more
     * arguments.
     */
    public static ConfigurableApplicationContext startApp(LoopbackKafkaBroker broker, String registry,
                                                          RecordingHttpServer provider, Path stateDir, String... extra) {
        List<String> arguments = new ArrayList<>(List.of(
                "--server.port=0",
                "--management.server.port=0",
                "--answerline.dispatch.jwt.jwks-uri=" + TOKENS.jwksUri(),
                "--spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                "--spring.kafka.properties.schema.registry.url=" + registry,
                "--answerline.dispatch.whatsapp.base-url=" + provider.baseUrl(),
                "--answerline.dispatch.sms.base-url=" + provider.baseUrl(),
                "--answerline.dispatch.streams.state-dir=" + stateDir));
        arguments.addAll(List.of(extra));
        return new SpringApplicationBuilder(DispatchApplication.class).run(arguments.toArray(String[]::new));
    }

    /**
     * A provider that accepts every send: WhatsApp Cloud API 200 with a new wamid, Twilio-shaped SMS 201 with a new
     * MessageSid. For {@link RecordingHttpServer#answer}.
     */
    public static RecordingHttpServer.Response accepted(RecordingHttpServer.Request request) {
        return request.path().endsWith("/Messages.json")
                ? new RecordingHttpServer.Response(201,
                        "{\"sid\":\"SM" + UUID.randomUUID().toString().replace("-", "") + "\",\"status\":\"queued\"}")
                : new RecordingHttpServer.Response(200,
                        "{\"messaging_product\":\"whatsapp\",\"messages\":[{\"id\":\"wamid." + UUID.randomUUID() + "\"}]}");
    }

    /** Waits until the sender's listener owns partitions (of send-requests and delivery-statuses). */
    public static void awaitSenderAssigned(ConfigurableApplicationContext app) {
        MessageListenerContainer sender = app.getBean(KafkaListenerEndpointRegistry.class).getListenerContainer("dispatch-sender");
        await().atMost(Duration.ofSeconds(60)).until(() -> !sender.getAssignedPartitions().isEmpty());
    }

    /**
     * Closes what an IT opened, in the order given (clients before the app, the app before the broker); nulls, left by
     * a start that failed half-way, are skipped. Every resource is closed even when one fails; the first failure is
     * thrown with the others suppressed.
     */
    public static void closeAll(AutoCloseable... resources) {
        RuntimeException failure = null;
        for (AutoCloseable resource : resources) {
            if (resource == null) {
                continue;
            }
            try {
                resource.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("closing the IT stack failed", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    public static KafkaProducer<String, Object> avroProducer(LoopbackKafkaBroker broker, String registry) {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, KafkaAvroSerializer.class,
                "schema.registry.url", registry));
    }

    /** A read_committed consumer of every partition of {@code dispatch-outcomes}, from the beginning. */
    public static KafkaConsumer<String, Object> outcomeConsumer(LoopbackKafkaBroker broker, String registry) {
        KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, KafkaAvroDeserializer.class,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                "schema.registry.url", registry,
                "specific.avro.reader", true));
        consumer.assign(partitions(Topics.DISPATCH_OUTCOMES.name()));
        consumer.seekToBeginning(consumer.assignment());
        return consumer;
    }

    /** A decided free-form WhatsApp reply (window open, policy SMS) to {@code phone} of the demo tenant, as the topology writes it. */
    public static SendRequest openWindowRequest(String phone) {
        return SendRequest.newBuilder()
                .setCommandId(UUID.randomUUID().toString())
                .setTenantId("demo")
                .setConversationId("100000000000001:" + phone)
                .setPhoneNumberId("100000000000001")
                .setChannel(Channel.WHATSAPP)
                .setRecipientPhone(phone)
                .setText("Your parcel left today.")
                .setOutcomeReason(OutcomeReason.WINDOW_OPEN)
                .setExplanation(DecisionExplanation.newBuilder()
                        .setWindowState(WindowState.OPEN)
                        .setWindowExpiresAt(Instant.now().plus(Duration.ofHours(2)))
                        .setTimeLeftMillis(Duration.ofHours(2).toMillis())
                        .setPolicy(FallbackPolicy.SMS)
                        .setSessionVersion(1L)
                        .setFallbackChain(List.of())
                        .setAlternatives(List.of())
                        .build())
                .setDecidedAt(Instant.now())
                .build();
    }

    public static List<TopicPartition> partitions(String topic) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < Topics.CONVERSATION_PARTITIONS; p++) {
            partitions.add(new TopicPartition(topic, p));
        }
        return partitions;
    }
}
