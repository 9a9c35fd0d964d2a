package com.answerline.platform.testing;

import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.mock.MockProducerFactory;

import com.answerline.platform.kafka.DeadLetters;
import com.answerline.platform.kafka.KafkaClients;
import com.answerline.platform.streams.StreamsApp;
import com.answerline.schemas.serde.SchemaRegistryClients;
import com.answerline.schemas.topic.Topic;

/**
 * A service's production topology in a {@link TopologyTestDriver} fed the service's production Streams configuration
 * ({@link StreamsApp#properties}, dead-letter handlers included), over an in-memory registry scope: what every
 * service's topology tests start from. The platform's dead-letter publisher writes to {@link #deadLetterProducer()}.
 *
 * <p>The driver reads every topic as one partition: a test of the upstream guard's forwarding belongs on a real
 * broker, or gives the guard one partition.
 */
public final class ProductionTopologyDriver implements AutoCloseable {

    private final String registryScope;
    private final Map<String, Object> serdeConfig;
    private final MockProducer<byte[], byte[]> deadLetters;
    private final TopologyTestDriver driver;

    /**
     * @param app           the service's Streams app, as the application builds it
     * @param topology      the production topology, given the serdes' settings
     * @param wallClockStart the driver's wall clock (punctuators, the guard's clock)
     */
    public ProductionTopologyDriver(String registryScope, StreamsApp app,
                                    Function<Map<String, Object>, Topology> topology, Instant wallClockStart) {
        this(registryScope, app, topology, wallClockStart,
                new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()));
    }

    /** @param deadLetters the producer the dead-letter publisher writes to */
    public ProductionTopologyDriver(String registryScope, StreamsApp app,
                                    Function<Map<String, Object>, Topology> topology, Instant wallClockStart,
                                    MockProducer<byte[], byte[]> deadLetters) {
        this.registryScope = registryScope;
        this.deadLetters = deadLetters;
        KafkaProperties kafka = new KafkaProperties();
        kafka.getProperties().put("schema.registry.url", "mock://" + registryScope);
        this.serdeConfig = KafkaClients.serde(kafka);
        Properties config = new Properties();
        config.putAll(app.properties(kafka,
                DeadLetters.recoverer(new KafkaTemplate<>(new MockProducerFactory<>(() -> deadLetters)))));
        this.driver = new TopologyTestDriver(topology.apply(serdeConfig), config, wallClockStart);
    }

    public TopologyTestDriver driver() {
        return driver;
    }

    /** The serdes' settings (the in-memory registry). */
    public Map<String, Object> serdeConfig() {
        return serdeConfig;
    }

    /** What the dead-letter publisher of the Streams handlers sent (raw bytes, cause in headers). */
    public MockProducer<byte[], byte[]> deadLetterProducer() {
        return deadLetters;
    }

    public <V extends SpecificRecord> TestInputTopic<String, V> input(Topic<V> topic) {
        return driver.createInputTopic(topic.name(), topic.keySerde().serializer(), topic.valueSerde(serdeConfig).serializer());
    }

    public <V extends SpecificRecord> TestOutputTopic<String, V> output(Topic<V> topic) {
        return driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(),
                topic.valueSerde(serdeConfig).deserializer());
    }

    /** What the topology itself writes to {@code topic}'s dead-letter twin (the upstream guard). */
    public <V extends SpecificRecord> TestOutputTopic<String, V> deadLetterOutput(Topic<V> topic) {
        return driver.createOutputTopic(topic.deadLetter(), topic.keySerde().deserializer(),
                topic.valueSerde(serdeConfig).deserializer());
    }

    @Override
    public void close() {
        driver.close();
        SchemaRegistryClients.dropMockScope(registryScope);
    }
}
