package com.answerline.platform.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.BiConsumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;

class DeadLetteringProcessingExceptionHandlerTest {

    private record Recovered(ConsumerRecord<?, ?> record, Exception exception) {
    }

    private static TopologyTestDriver driver(BiConsumer<ConsumerRecord<?, ?>, Exception> recoverer) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("in", Consumed.with(Serdes.String(), Serdes.String()))
                .mapValues(value -> {
                    if (value.startsWith("poison")) {
                        throw new IllegalStateException("cannot fold " + value.length() + " characters");
                    }
                    return value.toUpperCase(java.util.Locale.ROOT);
                })
                .to("out", Produced.with(Serdes.String(), Serdes.String()));
        Map<String, Object> config = new HashMap<>();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "handler-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        DeadLetteringProcessingExceptionHandler.configure(config, recoverer);
        Properties properties = new Properties();
        properties.putAll(config);
        return new TopologyTestDriver(builder.build(), properties);
    }

    @Test
    void shouldHandTheRawRecordAndItsCauseToTheRecovererAndProcessTheNextRecord() {
        List<Recovered> recovered = new ArrayList<>();
        try (TopologyTestDriver driver = driver((record, exception) -> recovered.add(new Recovered(record, exception)))) {
            TestInputTopic<String, String> in = driver.createInputTopic("in", new StringSerializer(), new StringSerializer());
            TestOutputTopic<String, String> out = driver.createOutputTopic("out", Serdes.String().deserializer(),
                    Serdes.String().deserializer());

            in.pipeInput(new org.apache.kafka.streams.test.TestRecord<>("k1", "poison pill",
                    new RecordHeaders().add("traceparent", "00-abc-def-01".getBytes(StandardCharsets.UTF_8)), 0L));
            in.pipeInput("k2", "fine");

            assertThat(out.readValuesToList()).containsExactly("FINE");
            assertThat(recovered).hasSize(1);
            ConsumerRecord<?, ?> raw = recovered.get(0).record();
            assertThat(raw.topic()).isEqualTo("in");
            assertThat(raw.offset()).isZero();
            assertThat(new String((byte[]) raw.key(), StandardCharsets.UTF_8)).isEqualTo("k1");
            assertThat(new String((byte[]) raw.value(), StandardCharsets.UTF_8)).isEqualTo("poison pill");
            assertThat(raw.headers().lastHeader("traceparent")).isNotNull();
            assertThat(recovered.get(0).exception()).isInstanceOf(IllegalStateException.class).hasMessageContaining("cannot fold");
        }
    }

    @Test
    void shouldStopTheThreadRatherThanLoseTheRecordWhenTheDeadLetterCannotBeWritten() {
        try (TopologyTestDriver driver = driver((record, exception) -> {
            throw new IllegalStateException("dead-letter topic unreachable");
        })) {
            TestInputTopic<String, String> in = driver.createInputTopic("in", new StringSerializer(), new StringSerializer());

            org.assertj.core.api.Assertions.assertThatThrownBy(() -> in.pipeInput("k1", "poison pill"))
                    .isInstanceOf(StreamsException.class);
        }
    }
}
