package com.answerline.schemas.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The shared test broker keeps its promises: loopback only, exactly-once on one node, no auto-created topics. */
class LoopbackKafkaBrokerIT {

    static LoopbackKafkaBroker broker;

    @BeforeAll
    static void start() {
        broker = LoopbackKafkaBroker.start();
    }

    @AfterAll
    static void stop() {
        broker.close();
    }

    @Test
    void shouldListenOnLoopbackOnly() {
        // Given the running broker / When / Then its broker and controller ports are bound to 127.0.0.1 only
        assertThat(broker.bootstrapServers()).isEqualTo("127.0.0.1:" + broker.brokerPort());
        broker.assertListensOnLoopbackOnly();
    }

    @Test
    void shouldCommitATransactionAndHideAnAbortedOne() throws Exception {
        // Given a topic
        String topic = "eos-" + UUID.randomUUID();
        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        // When one transaction commits and another aborts (needs the transaction log with one replica)
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, "it-" + UUID.randomUUID()),
                new StringSerializer(), new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "committed"));
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "aborted"));
            producer.flush();
            producer.abortTransaction();
        }
        // Then a read_committed consumer in a group (offsets topic with one replica) sees only the committed one
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (values.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    values.add(record.value());
                }
            }
            assertThat(values).containsExactly("committed");
            consumer.commitSync();
        }
    }

    @Test
    void shouldNotCreateATopicOnFirstUse() {
        // Given no topic named so
        String topic = "never-declared-" + UUID.randomUUID();
        // When a producer writes to it
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 3_000),
                new StringSerializer(), new StringSerializer())) {
            // Then the write fails and the topic still does not exist
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, "k", "v")).get(10, TimeUnit.SECONDS))
                    .isNotNull();
        }
        try (Admin admin = admin()) {
            assertThatThrownBy(() -> admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(UnknownTopicOrPartitionException.class);
        }
    }

    @Test
    void shouldDeleteItsDataWhenClosed() {
        // Given a second broker with its data folder
        LoopbackKafkaBroker other = LoopbackKafkaBroker.start();
        Path data = other.dataDir();
        assertThat(data).isDirectory();
        // When it is closed (twice: a shutdown hook may close it again)
        other.close();
        other.close();
        // Then its data is gone
        assertThat(Files.exists(data)).isFalse();
    }

    @Test
    void shouldComeBackOnTheSamePortWithItsDataAfterAStop() throws Exception {
        // Given a second broker holding one record
        try (LoopbackKafkaBroker other = LoopbackKafkaBroker.start()) {
            String topic = "restart-" + UUID.randomUUID();
            String bootstrap = other.bootstrapServers();
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            }
            try (KafkaProducer<String, String> producer = producer(bootstrap)) {
                producer.send(new ProducerRecord<>(topic, "k", "before")).get(30, TimeUnit.SECONDS);
            }
            // When it is stopped: nothing answers on its port, and a write fails
            other.stop();
            assertThat(other.isRunning()).isFalse();
            assertThatThrownBy(() -> new Socket("127.0.0.1", other.brokerPort()).close())
                    .isInstanceOf(ConnectException.class);
            try (KafkaProducer<String, String> producer = producer(bootstrap)) {
                assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, "k", "while-down")).get(10, TimeUnit.SECONDS))
                        .isNotNull();
            }
            // Then, restarted, it answers on the same port (loopback only), with the record written before
            other.restart();
            assertThat(other.isRunning()).isTrue();
            assertThat(other.bootstrapServers()).isEqualTo(bootstrap);
            other.assertListensOnLoopbackOnly();
            try (KafkaProducer<String, String> producer = producer(bootstrap)) {
                producer.send(new ProducerRecord<>(topic, "k", "after")).get(30, TimeUnit.SECONDS);
            }
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                    ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID(),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                    new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of(topic));
                List<String> values = new ArrayList<>();
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (values.size() < 2 && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                        values.add(record.value());
                    }
                }
                assertThat(values).containsExactly("before", "after");
            }
        }
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 3_000, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 5_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000),
                new StringSerializer(), new StringSerializer());
    }

    private static Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }
}
