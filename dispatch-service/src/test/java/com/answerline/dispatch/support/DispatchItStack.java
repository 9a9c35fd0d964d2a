package com.answerline.dispatch.support;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

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

    public static List<TopicPartition> partitions(String topic) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < Topics.CONVERSATION_PARTITIONS; p++) {
            partitions.add(new TopicPartition(topic, p));
        }
        return partitions;
    }
}
