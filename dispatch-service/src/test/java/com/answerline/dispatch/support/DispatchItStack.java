package com.answerline.dispatch.support;

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

import com.answerline.avro.Channel;
import com.answerline.avro.DecisionExplanation;
import com.answerline.avro.FallbackPolicy;
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

    /** The whole service on a random port, both providers pointed at {@code provider}. */
    public static ConfigurableApplicationContext startApp(LoopbackKafkaBroker broker, String registry,
                                                          RecordingHttpServer provider, Path stateDir) {
        return new SpringApplicationBuilder(DispatchApplication.class).run(
                "--server.port=0",
                "--spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                "--spring.kafka.properties.schema.registry.url=" + registry,
                "--answerline.dispatch.whatsapp.base-url=" + provider.baseUrl(),
                "--answerline.dispatch.sms.base-url=" + provider.baseUrl(),
                "--answerline.dispatch.streams.state-dir=" + stateDir);
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
