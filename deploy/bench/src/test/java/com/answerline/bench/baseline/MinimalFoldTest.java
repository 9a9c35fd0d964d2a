package com.answerline.bench.baseline;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.answerline.avro.InboundMessage;
import com.answerline.bench.stage.FoldStage;
import com.answerline.schemas.serde.AvroSerdeConfig;
import com.answerline.schemas.serde.InMemorySchemaRegistry;
import com.answerline.schemas.serde.SpecificAvroSerde;

class MinimalFoldTest {

    @TempDir
    Path state;

    @Test
    void shouldForwardEachKeysNewCountForEveryEventAndKeepItInThePersistentStore() throws Exception {
        // Given the baseline's topology with its production configuration and the services' serde
        SpecificAvroSerde<InboundMessage> values = new SpecificAvroSerde<>(new InMemorySchemaRegistry());
        values.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://minimal-fold"), false);
        try (TopologyTestDriver driver = new TopologyTestDriver(MinimalFold.topology("in", "out", values),
                MinimalFold.config("127.0.0.1:1", "minimal-fold-test", Files.createDirectories(state.resolve("s"))))) {
            TestInputTopic<String, InboundMessage> in = driver.createInputTopic("in", new StringSerializer(),
                    values.serializer());
            TestOutputTopic<String, Long> out = driver.createOutputTopic("out", new StringDeserializer(),
                    new LongDeserializer());

            // When two conversations get three and one messages, interleaved
            for (String key : List.of("p:1", "p:2", "p:1", "p:1")) {
                in.pipeInput(key, FoldStage.message("p", key.substring(2), "wamid." + key, Instant.now()));
            }

            // Then every event forwards its key's new count, and the store holds the totals
            assertThat(out.readKeyValuesToList()).containsExactly(KeyValue.pair("p:1", 1L), KeyValue.pair("p:2", 1L),
                    KeyValue.pair("p:1", 2L), KeyValue.pair("p:1", 3L));
            KeyValueStore<String, Long> counts = driver.getKeyValueStore(MinimalFold.STORE);
            assertThat(counts.get("p:1")).isEqualTo(3L);
            assertThat(counts.get("p:2")).isEqualTo(1L);
            assertThat(driver.producedTopicNames()).contains("minimal-fold-test-counts-changelog");
        }
    }
}
