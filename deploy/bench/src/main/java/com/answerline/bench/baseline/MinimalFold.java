package com.answerline.bench.baseline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

import com.answerline.avro.InboundMessage;
import com.answerline.schemas.serde.AvroSerdeConfig;
import com.answerline.schemas.serde.SpecificAvroSerde;

/**
 * The fold's baseline: the least a stateful exactly-once Kafka Streams app does per event, with nothing of ours in it.
 * It reads {@code InboundMessage}s with the serde session-service uses (Confluent wire format through the registry),
 * counts them per key in a persistent (RocksDB) store with a changelog and no cache, as session-service's stores are,
 * and forwards each new count, one output record per event as session-service forwards each new state. Same
 * guarantee (exactly_once_v2), commit interval (100 ms) and one stream thread; the caller gives it a topic with the
 * partitions of {@code inbound-messages}. Kafka Streams' defaults otherwise.
 *
 * <p>{@code java -cp ... com.answerline.bench.baseline.MinimalFold <bootstrap> <registry> <in> <out> <application-id>
 * <state-dir>}; prints {@code running} once the app is RUNNING, and stops when its standard input closes.
 */
public final class MinimalFold {

    /** The store of counts; its changelog is {@code <application-id>-counts-changelog}. */
    public static final String STORE = "counts";

    private MinimalFold() {
    }

    /** in (InboundMessage by key) -> count per key in a RocksDB store -> out (the key's new count, a long). */
    public static Topology topology(String in, String out, Serde<InboundMessage> values) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(STORE), Serdes.String(),
                Serdes.Long()));
        builder.stream(in, Consumed.with(Serdes.String(), values))
                .process(Count::new, STORE)
                .to(out, Produced.with(Serdes.String(), Serdes.Long()));
        return builder.build();
    }

    /** The Streams configuration matched to session-service's. */
    public static Properties config(String bootstrap, String applicationId, Path stateDir) {
        Properties config = new Properties();
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100L);
        config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
        config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        return config;
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 6) {
            throw new IllegalArgumentException("usage: MinimalFold <bootstrap> <registry> <in> <out> <application-id> <state-dir>");
        }
        Serde<InboundMessage> values = new SpecificAvroSerde<>();
        values.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, args[1]), false);
        Path stateDir = Files.createDirectories(Path.of(args[5]));
        CountDownLatch stopped = new CountDownLatch(1);
        try (KafkaStreams streams = new KafkaStreams(topology(args[2], args[3], values), config(args[0], args[4], stateDir))) {
            streams.setStateListener((now, before) -> {
                if (now == KafkaStreams.State.RUNNING) {
                    System.out.println("running");
                    System.out.flush();
                } else if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
                    stopped.countDown();
                }
            });
            streams.start();
            StandardInput.onClose("minimal-fold", stopped::countDown);
            stopped.await();
        }
    }

    /** Adds one to the key's count and forwards the new count. */
    static final class Count implements Processor<String, InboundMessage, String, Long> {

        private ProcessorContext<String, Long> context;
        private KeyValueStore<String, Long> counts;

        @Override
        public void init(ProcessorContext<String, Long> context) {
            this.context = context;
            this.counts = context.getStateStore(STORE);
        }

        @Override
        public void process(Record<String, InboundMessage> record) {
            Long before = counts.get(record.key());
            long count = before == null ? 1 : before + 1;
            counts.put(record.key(), count);
            context.forward(record.withValue(count));
        }
    }
}
