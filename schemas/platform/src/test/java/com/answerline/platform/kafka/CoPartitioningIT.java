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
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.core.KafkaAdmin;

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
                new NewTopic(Topics.ASSIGNMENT_CHANGES.name(), Optional.of(3), Optional.empty()),
                // a deployment whose topics were all created with 24 partitions
                new NewTopic(Topics.SEND_REQUESTS.name(), Optional.of(24), Optional.empty()),
                new NewTopic(Topics.SEND_REQUESTS.deadLetter(), Optional.of(24), Optional.empty()),
                // a dead-letter twin created by hand with another count than its topic
                new NewTopic(Topics.DISPATCH_OUTCOMES.name(), Optional.of(6), Optional.empty()),
                new NewTopic(Topics.DISPATCH_OUTCOMES.deadLetter(), Optional.of(2), Optional.empty()))).all().get();
    }

    @AfterAll
    static void stop() {
        admin.close();
        broker.close();
    }

    @Test
    void shouldPassWhenTheTopicsHaveTheCataloguesCountOrDoNotExistYet() {
        assertThatCode(() -> CoPartitioning.verify(admin,
                List.of(Topics.INBOUND_MESSAGES.name(), Topics.REPLY_COMMANDS.name(), Topics.WINDOW_EVENTS.name()), 6, 10_000))
                .doesNotThrowAnyException();
    }

    @Test
    void shouldRefuseToStartWhenAConversationTopicHasAnotherPartitionCount() {
        assertThatThrownBy(() -> CoPartitioning.verify(admin,
                List.of(Topics.INBOUND_MESSAGES.name(), Topics.ASSIGNMENT_CHANGES.name()), 6, 10_000))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("assignment-changes=3")
                .hasMessageNotContaining("inbound-messages=");
    }

    @Test
    void shouldRefuseToStartWhenTheTopicsAgreeButNotWithTheDeploymentsSetting() {
        assertThatThrownBy(() -> CoPartitioning.verify(admin,
                List.of(Topics.SEND_REQUESTS.name(), Topics.SEND_REQUESTS.deadLetter()), 6, 10_000))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("all have 24 partitions")
                .hasMessageContaining("answerline.kafka.conversation-partitions is 6");
        assertThatCode(() -> CoPartitioning.verify(admin,
                List.of(Topics.SEND_REQUESTS.name(), Topics.SEND_REQUESTS.deadLetter()), 24, 10_000))
                .doesNotThrowAnyException();
    }

    @Test
    void shouldCheckTheDeadLetterTwinsAtStartUp() {
        // Given a topic with the setting's count whose dead-letter twin was created with another
        KafkaProperties kafka = new KafkaProperties();
        kafka.setBootstrapServers(List.of(broker.bootstrapServers()));
        KafkaAdmin kafkaAdmin = CoPartitioning.kafkaAdmin(kafka, List.of(Topics.DISPATCH_OUTCOMES),
                KafkaPlatformProperties.DEFAULTS);

        // Then the service's admin refuses at start-up, naming the twin, before it creates or changes any topic
        assertThatThrownBy(kafkaAdmin::afterSingletonsInstantiated)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("dispatch-outcomes-dlt=2");
    }
}
