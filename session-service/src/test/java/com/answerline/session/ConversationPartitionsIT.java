package com.answerline.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import com.answerline.schemas.testing.LoopbackKafkaBroker;
import com.answerline.schemas.topic.Topics;

/**
 * {@code answerline.kafka.conversation-partitions} on a real broker: the service declares its topics with it, and
 * refuses to start when the co-partitioned topics disagree with each other or with it, before it creates or changes
 * any topic.
 */
class ConversationPartitionsIT {

    @Test
    void shouldRefuseToStartWhenAConversationTopicWasCreatedWithAnotherCount() throws Exception {
        try (LoopbackKafkaBroker broker = LoopbackKafkaBroker.start();
             Admin admin = admin(broker)) {
            // Given inbound-messages created by hand with 3 partitions, assignment-changes with the default 6
            admin.createTopics(List.of(
                    new NewTopic(Topics.INBOUND_MESSAGES.name(), Optional.of(3), Optional.empty()),
                    new NewTopic(Topics.ASSIGNMENT_CHANGES.name(), Optional.of(6), Optional.empty()))).all().get();

            // When the service starts with the default setting (6), Then it refuses, naming the topic
            assertThatThrownBy(() -> start(broker, 6).close())
                    .hasStackTraceContaining("must all have 6 partitions")
                    .hasStackTraceContaining("inbound-messages=3");
            // And it created nothing (KafkaAdmin would have added partitions to inbound-messages)
            assertThat(admin.listTopics().names().get())
                    .containsExactlyInAnyOrder(Topics.INBOUND_MESSAGES.name(), Topics.ASSIGNMENT_CHANGES.name());
            assertThat(partitions(admin, Topics.INBOUND_MESSAGES.name())).isEqualTo(3);
        }
    }

    @Test
    void shouldDeclareItsTopicsWithTheSettingAndRefuseAnotherSettingLater() throws Exception {
        try (LoopbackKafkaBroker broker = LoopbackKafkaBroker.start();
             Admin admin = admin(broker)) {
            // Given the service started once on an empty broker with 24 conversation partitions
            start(broker, 24).close();
            assertThat(partitions(admin, Topics.INBOUND_MESSAGES.name())).isEqualTo(24);
            assertThat(partitions(admin, Topics.INBOUND_MESSAGES.deadLetter())).isEqualTo(24);
            assertThat(partitions(admin, Topics.CONVERSATION_SESSIONS.name())).isEqualTo(24);

            // When it starts again with another setting, Then it refuses and says the topics agree with each other
            assertThatThrownBy(() -> start(broker, 6).close())
                    .hasStackTraceContaining("all have 24 partitions")
                    .hasStackTraceContaining("answerline.kafka.conversation-partitions is 6");
            assertThat(partitions(admin, Topics.INBOUND_MESSAGES.name())).isEqualTo(24);
        }
    }

    private static ConfigurableApplicationContext start(LoopbackKafkaBroker broker, int partitions) throws Exception {
        Path dataDir = Files.createTempDirectory("session-partitions-it");
        return new SpringApplicationBuilder(SessionServiceApplication.class).run(
                "--server.port=0",
                "--management.server.port=0",
                "--spring.kafka.bootstrap-servers=" + broker.bootstrapServers(),
                "--spring.kafka.properties.schema.registry.url=mock://session-partitions-it",
                "--answerline.session.data-dir=" + dataDir,
                "--answerline.session.streams.application-server=",
                "--answerline.kafka.conversation-partitions=" + partitions,
                "--logging.level.kafka=WARN",
                "--logging.level.state.change.logger=WARN",
                "--logging.level.org.apache.kafka=WARN");
    }

    private static Admin admin(LoopbackKafkaBroker broker) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()));
    }

    private static int partitions(Admin admin, String topic) throws Exception {
        TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        return description.partitions().size();
    }
}
