package com.answerline.schemas.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.answerline.avro.ReplyCommand;
import com.answerline.schemas.topic.Topics;

/** The serde services use, through the topic catalogue and a {@code mock://} registry, as in their tests. */
class SpecificAvroSerdeTest {

    private static final String SCOPE = "specific-avro-serde-test";

    @AfterEach
    void dropScope() {
        SchemaRegistryClients.dropMockScope(SCOPE);
    }

    @Test
    void shouldShareOneInMemoryRegistryPerMockScope() {
        // Given two serdes configured independently with the same mock:// scope, as a producer and a consumer would be
        Map<String, Object> config = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + SCOPE);
        Serde<ReplyCommand> producerSide = Topics.REPLY_COMMANDS.valueSerde(config);
        Serde<ReplyCommand> consumerSide = Topics.REPLY_COMMANDS.valueSerde(config);
        ReplyCommand command = ContractSamples.sample(ReplyCommand.class, false);

        // When
        byte[] bytes = producerSide.serializer().serialize(Topics.REPLY_COMMANDS.name(), command);
        ReplyCommand read = consumerSide.deserializer().deserialize(Topics.REPLY_COMMANDS.name(), bytes);

        // Then the consumer finds the producer's schema id and reads the generated class
        assertThat(read).isEqualTo(command);
        assertThat(SchemaRegistryClients.forUrl("mock://" + SCOPE).getLatest("reply-commands-value").schema())
                .isEqualTo(ReplyCommand.getClassSchema());
    }

    @Test
    void shouldForgetADroppedScope() {
        SchemaRegistryClient before = SchemaRegistryClients.forUrl("mock://" + SCOPE);

        SchemaRegistryClients.dropMockScope(SCOPE);

        assertThat(SchemaRegistryClients.forUrl("mock://" + SCOPE)).isNotSameAs(before).isInstanceOf(InMemorySchemaRegistry.class);
    }
}
