package com.answerline.platform.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.answerline.avro.InboundMessage;
import com.answerline.avro.ReplyCommand;
import com.answerline.schemas.serde.AvroSerdeConfig;
import com.answerline.schemas.serde.SchemaRegistryClients;
import com.answerline.schemas.topic.Topics;

class UpstreamContractsTest {

    private static final String SCOPE = "upstream-contracts-test";

    @AfterEach
    void dropRegistry() {
        SchemaRegistryClients.dropMockScope(SCOPE);
    }

    @Test
    void shouldPublishTheGuardedTopicsValueSchemasUnderTheirSubjects() {
        Map<String, Object> config = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + SCOPE);

        int registered = UpstreamContracts.register(config, List.of(Topics.INBOUND_MESSAGES, Topics.REPLY_COMMANDS));

        assertThat(registered).isEqualTo(2);
        var registry = SchemaRegistryClients.forUrl("mock://" + SCOPE);
        assertThat(registry.getLatest("inbound-messages-value").schema()).isEqualTo(InboundMessage.getClassSchema());
        assertThat(registry.getLatest("reply-commands-value").schema()).isEqualTo(ReplyCommand.getClassSchema());
    }

    @Test
    void shouldRegisterNothingWhenTheRegistryIsManagedElsewhere() {
        Map<String, Object> config = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, "mock://" + SCOPE,
                AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false);

        assertThat(UpstreamContracts.register(config, List.of(Topics.INBOUND_MESSAGES))).isZero();
    }
}
