package com.answerline.platform.kafka;

import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.kafka.autoconfigure.KafkaProperties;

/**
 * The one rule for configuring a Kafka client in every service: start from Spring Boot's {@code spring.kafka.*}
 * ({@link KafkaProperties}), so what an operator sets there once (bootstrap servers, {@code security.protocol},
 * {@code spring.kafka.ssl.*}, {@code sasl.*} and {@code client.rack} under {@code spring.kafka.properties}) reaches
 * every producer, consumer, admin client and Streams app, with the per-client sections Boot has
 * ({@code spring.kafka.producer|consumer|admin|streams.*}) on top. A service adds only what makes the client that
 * client (application id, serializers, isolation level); it never builds a client from bootstrap servers alone.
 *
 * <p>The Avro serdes read their settings (Confluent's names: {@code schema.registry.url}, {@code basic.auth.*},
 * {@code bearer.auth.*}, {@code schema.registry.ssl.*}) from {@code spring.kafka.properties} too: {@link #serde}.
 * Each method returns a new mutable map.
 */
public final class KafkaClients {

    private KafkaClients() {
    }

    /** A producer's configuration: common, security, {@code spring.kafka.producer.*}. */
    public static Map<String, Object> producer(KafkaProperties kafka) {
        return new HashMap<>(kafka.buildProducerProperties());
    }

    /** A consumer's configuration: common, security, {@code spring.kafka.consumer.*}. */
    public static Map<String, Object> consumer(KafkaProperties kafka) {
        return new HashMap<>(kafka.buildConsumerProperties());
    }

    /** An admin client's configuration: common, security, {@code spring.kafka.admin.*}. */
    public static Map<String, Object> admin(KafkaProperties kafka) {
        return new HashMap<>(kafka.buildAdminProperties());
    }

    /**
     * A Streams app's configuration: common, security, {@code spring.kafka.streams.*}. Kafka Streams passes it on to
     * its own producers, consumers and admin client.
     */
    public static Map<String, Object> streams(KafkaProperties kafka) {
        return new HashMap<>(kafka.buildStreamsProperties());
    }

    /** The Avro serdes' settings: {@code spring.kafka.properties} (registry URL, credentials, TLS). */
    public static Map<String, Object> serde(KafkaProperties kafka) {
        return new HashMap<>(kafka.getProperties());
    }
}
