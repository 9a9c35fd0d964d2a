package com.answerline.bench.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.function.Predicate;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.answerline.schemas.serde.AvroSerdeConfig;
import com.answerline.schemas.serde.KafkaAvroDeserializer;
import com.answerline.schemas.serde.KafkaAvroSerializer;

/**
 * The harness's Kafka clients, configured like an upstream system's: Avro in the Confluent wire format through the
 * stack's registry, idempotent producers with acks=all, read_committed consumers outside any group (partitions
 * assigned, nothing committed), so the harness never takes part in the services' groups.
 */
public final class Kafka implements AutoCloseable {

    private final String bootstrap;
    private final String registry;
    private final Admin admin;

    public Kafka(String bootstrap, String registry) {
        this.bootstrap = bootstrap;
        this.registry = registry;
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("request.timeout.ms", 10_000);
        props.put("default.api.timeout.ms", 30_000);
        this.admin = Admin.create(props);
    }

    public String bootstrap() {
        return bootstrap;
    }

    /** Avro values through the registry (schemas registered as the services do). */
    public KafkaProducer<String, Object> avroProducer() {
        Map<String, Object> config = producerConfig();
        config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry);
        config.put(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, true);
        return new KafkaProducer<>(config, new StringSerializer(), kafkaAvroSerializer(config));
    }

    /** Raw bytes: poison records, and keys or values the harness builds itself. */
    public KafkaProducer<byte[], byte[]> bytesProducer() {
        return new KafkaProducer<>(producerConfig(), new ByteArraySerializer(), new ByteArraySerializer());
    }

    private Map<String, Object> producerConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
        config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        config.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024);
        return config;
    }

    private static KafkaAvroSerializer kafkaAvroSerializer(Map<String, Object> config) {
        KafkaAvroSerializer serializer = new KafkaAvroSerializer();
        serializer.configure(config, false);
        return serializer;
    }

    /**
     * A record value the harness could not decode (a poison record of the bad-input suite, say): the harness reads
     * past it, as the services do, instead of stopping at it.
     */
    public record Undecodable(String cause) {
    }

    /** Avro values decoded to the generated classes; an undecodable value is an {@link Undecodable}. */
    public KafkaConsumer<String, Object> avroConsumer() {
        Map<String, Object> config = consumerConfig();
        config.put(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry);
        config.put(AvroSerdeConfig.SPECIFIC_AVRO_READER, true);
        KafkaAvroDeserializer avro = new KafkaAvroDeserializer();
        avro.configure(config, false);
        Deserializer<Object> values = (topic, data) -> {
            try {
                return avro.deserialize(topic, data);
            } catch (RuntimeException e) {
                return new Undecodable(e.getMessage());
            }
        };
        return new KafkaConsumer<>(config, new StringDeserializer(), values);
    }

    /** Long values (the fold baseline's counts), read committed. */
    public KafkaConsumer<String, Long> longConsumer() {
        return new KafkaConsumer<>(consumerConfig(), new StringDeserializer(), new LongDeserializer());
    }

    /** Raw bytes: dead-letter twins, whose records may be undecodable by design. */
    public KafkaConsumer<byte[], byte[]> bytesConsumer() {
        return new KafkaConsumer<>(consumerConfig(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private Map<String, Object> consumerConfig() {
        Map<String, Object> config = new HashMap<>();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "bench-" + UUID.randomUUID());
        config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
        config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 16 * 1024 * 1024);
        return config;
    }

    /** The partitions of the topics. */
    public List<TopicPartition> partitions(Collection<String> topics) {
        try {
            List<TopicPartition> partitions = new ArrayList<>();
            for (TopicDescription description : admin.describeTopics(topics).allTopicNames().get().values()) {
                description.partitions().forEach(p -> partitions.add(new TopicPartition(description.name(), p.partition())));
            }
            return partitions;
        } catch (ExecutionException e) {
            throw new IllegalStateException("describing " + topics + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The current end offsets (read_committed: the last stable offsets) of the topics' partitions. */
    public Map<TopicPartition, Long> endOffsets(Collection<String> topics) {
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        partitions(topics).forEach(p -> latest.put(p, OffsetSpec.latest()));
        try {
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(latest, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get()
                    .forEach((partition, info) -> ends.put(partition, info.offset()));
            return ends;
        } catch (ExecutionException e) {
            throw new IllegalStateException("end offsets of " + topics + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Records added to the topics since {@code before} (end offsets then and now). */
    public long growth(Collection<String> topics, Map<TopicPartition, Long> before) {
        return endOffsets(topics).entrySet().stream()
                .mapToLong(e -> e.getValue() - before.getOrDefault(e.getKey(), 0L)).sum();
    }

    /** Creates a topic for the harness's own use (the raw-Kafka baseline); an existing one is kept. */
    public void createTopic(String name, int partitions) {
        try {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("creating " + name + ": " + e.getCause(), e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public void deleteTopic(String name) {
        try {
            admin.deleteTopics(Set.of(name)).all().get();
        } catch (ExecutionException e) {
            // gone already
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Reads the topics from the given offsets (the beginning for partitions not named) and feeds every record to
     * {@code sink} until {@code done} says so or {@code timeout} passes; returns whether {@code done} was reached.
     */
    public <K, V> boolean readUntil(Consumer<K, V> consumer, Collection<String> topics,
                                    Map<TopicPartition, Long> from, java.util.function.Consumer<ConsumerRecord<K, V>> sink,
                                    java.util.function.BooleanSupplier done, Duration timeout) {
        List<TopicPartition> partitions = partitions(topics);
        consumer.assign(partitions);
        for (TopicPartition partition : partitions) {
            Long offset = from.get(partition);
            if (offset != null) {
                consumer.seek(partition, offset);
            } else {
                consumer.seekToBeginning(List.of(partition));
            }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            ConsumerRecords<K, V> records = consumer.poll(Duration.ofMillis(100));
            records.forEach(sink);
        }
        return true;
    }

    /**
     * Goes on reading with an assigned {@code consumer} from where it stands up to {@code ends} (end offsets taken by
     * the caller, e.g. after a load, so that a read that stopped at a condition still sees what was committed after
     * it); returns whether every partition reached its end within {@code timeout}.
     */
    public static <K, V> boolean readTo(Consumer<K, V> consumer, Map<TopicPartition, Long> ends,
                                        java.util.function.Consumer<ConsumerRecord<K, V>> sink, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            consumer.poll(Duration.ofMillis(100)).forEach(sink);
        }
        return true;
    }

    /** Every record of the topics from {@code from} up to their current ends. */
    public <K, V> List<ConsumerRecord<K, V>> readToEnd(KafkaConsumer<K, V> consumer, Collection<String> topics,
                                                       Map<TopicPartition, Long> from, Predicate<ConsumerRecord<K, V>> keep) {
        Map<TopicPartition, Long> ends = endOffsets(topics);
        List<ConsumerRecord<K, V>> records = new ArrayList<>();
        readUntil(consumer, topics, from, r -> {
            if (keep.test(r)) {
                records.add(r);
            }
        }, () -> ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue()),
                Duration.ofMinutes(2));
        return records;
    }

    /** The committed offsets of a consumer group (a Streams app's: its application id), by partition. */
    public Map<TopicPartition, Long> committedOffsets(String group) {
        try {
            Map<TopicPartition, Long> committed = new HashMap<>();
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                    .forEach((partition, offset) -> {
                        if (offset != null) {
                            committed.put(partition, offset.offset());
                        }
                    });
            return committed;
        } catch (ExecutionException e) {
            throw new IllegalStateException("committed offsets of " + group + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The members of a consumer group now (member id to assigned partitions); empty when it has none. */
    public Map<String, Set<TopicPartition>> members(String group) {
        try {
            Map<String, Set<TopicPartition>> members = new HashMap<>();
            admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get().members()
                    .forEach(m -> members.put(m.consumerId(), Set.copyOf(m.assignment().topicPartitions())));
            return members;
        } catch (ExecutionException e) {
            throw new IllegalStateException("members of " + group + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
