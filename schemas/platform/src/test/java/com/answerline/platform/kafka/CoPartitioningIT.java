package com.answerline.platform.kafka;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.answerline.schemas.testing.LoopbackKafkaBroker;
import com.answerline.schemas.topic.Topics;

/** The start-up co-partitioning check against a real broker. */
class CoPartitioningIT {

    private static LoopbackKafkaBroker broker;
    private static Admin admin;

    @BeforeAll
    static void start() throws Exception {
        broker = LoopbackKafkaBroker.start();
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
        admin.createTopics(List.of(
                new NewTopic(Topics.INBOUND_MESSAGES.name(), Optional.of(6), Optional.empty()),
                new NewTopic(Topics.REPLY_COMMANDS.name(), Optional.of(6), Optional.empty()),
                // created by hand with another count
                new NewTopic(Topics.ASSIGNMENT_CHANGES.name(), Optional.of(3), Optional.empty()))).all().get();
    }

    @AfterAll
    static void stop() {
        admin.close();
        broker.close();
    }

    @Test
    void shouldPassWhenTheTopicsHaveTheCataloguesCountOrDoNotExistYet() {
        assertThatCode(() -> CoPartitioning.verify(admin,
                List.of(Topics.INBOUND_MESSAGES, Topics.REPLY_COMMANDS, Topics.WINDOW_EVENTS), 6, 10_000))
                .doesNotThrowAnyException();
    }

    @Test
    void shouldRefuseToStartWhenAConversationTopicHasAnotherPartitionCount() {
        assertThatThrownBy(() -> CoPartitioning.verify(admin,
                List.of(Topics.INBOUND_MESSAGES, Topics.ASSIGNMENT_CHANGES), 6, 10_000))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("assignment-changes=3")
                .hasMessageNotContaining("inbound-messages=");
    }
}
