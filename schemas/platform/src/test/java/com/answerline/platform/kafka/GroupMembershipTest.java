package com.answerline.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.kafka.autoconfigure.KafkaAutoConfiguration;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.util.unit.DataSize;

import com.answerline.platform.streams.StreamsApp;

class GroupMembershipTest {

    private static final DataSize KB8 = DataSize.ofKilobytes(8);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(KafkaAutoConfiguration.class,
                    GroupMembershipAutoConfiguration.class));

    @Test
    void shouldGiveEveryListenerConsumerTheShortSessionTimeoutByDefault() {
        // When a service starts with the platform and Boot's Kafka auto-configuration and sets nothing
        runner.run(context -> {
            // Then the consumers of its @KafkaListener containers are dropped 6 s after they die, heartbeating every second
            Map<String, Object> consumer = context.getBean(ConsumerFactory.class).getConfigurationProperties();
            assertThat(consumer)
                    .containsEntry("session.timeout.ms", 6_000)
                    .containsEntry("heartbeat.interval.ms", 1_000)
                    // and fetch 8 KB of a partition at a time, so that a poll carries some of every partition
                    .containsEntry("max.partition.fetch.bytes", 8_192);
        });
    }

    @Test
    void shouldBindALongerTimeoutAndRefuseOneTheBrokerWouldNot() {
        runner.withPropertyValues("answerline.kafka.membership.session-timeout=45s")
                .run(context -> assertThat(context.getBean(ConsumerFactory.class).getConfigurationProperties())
                        .containsEntry("session.timeout.ms", 45_000)
                        .containsEntry("heartbeat.interval.ms", 3_000));
        runner.withPropertyValues("answerline.kafka.membership.fetch-per-partition=1MB")
                .run(context -> assertThat(context.getBean(ConsumerFactory.class).getConfigurationProperties())
                        .containsEntry("max.partition.fetch.bytes", 1_048_576));
        runner.withPropertyValues("answerline.kafka.membership.session-timeout=2s")
                .run(context -> assertThat(context).hasFailed()
                        .getFailure().rootCause().hasMessageContaining("membership.session-timeout"));
        assertThatThrownBy(() -> new GroupMembership(Duration.ofSeconds(6), Duration.ofMillis(100),
                Duration.ofMinutes(1), Duration.ofSeconds(10), KB8)).hasMessageContaining("membership.transaction-timeout");
        assertThatThrownBy(() -> new GroupMembership(Duration.ofSeconds(6), Duration.ofSeconds(5),
                Duration.ofSeconds(30), Duration.ofSeconds(10), KB8)).hasMessageContaining("membership.probing-rebalance-interval");
        assertThatThrownBy(() -> new GroupMembership(Duration.ofSeconds(6), Duration.ofSeconds(5),
                Duration.ofMinutes(1), Duration.ofMillis(500), KB8)).hasMessageContaining("membership.max-poll-interval");
        assertThatThrownBy(() -> new GroupMembership(Duration.ofSeconds(6), Duration.ofSeconds(5),
                Duration.ofMinutes(1), Duration.ofSeconds(10), DataSize.ofBytes(100)))
                .hasMessageContaining("membership.fetch-per-partition");
    }

    @Test
    void shouldGiveAStreamsAppsMainConsumerTheTimeoutAndAnExactlyOnceProducerTheTransactionTimeout() {
        // Given an exactly-once app and an at-least-once app
        StreamsApp exactlyOnce = StreamsApp.of("session-service", StreamsApp.Guarantee.EXACTLY_ONCE_V2, Path.of("/tmp/s"));
        StreamsApp atLeastOnce = StreamsApp.of("ingest-service", StreamsApp.Guarantee.AT_LEAST_ONCE, Path.of("/tmp/i"));

        // When the defaults are applied
        Map<String, Object> eos = GroupMembership.DEFAULTS.applyTo(exactlyOnce)
                .properties(new KafkaProperties(), (record, e) -> { });
        Map<String, Object> alo = GroupMembership.DEFAULTS.applyTo(atLeastOnce)
                .properties(new KafkaProperties(), (record, e) -> { });

        // Then Streams hands them to its main consumer (the group member) and its transactional producer
        StreamsConfig config = new StreamsConfig(eos);
        assertThat(config.getMainConsumerConfigs("group", "client", 0))
                .containsEntry("session.timeout.ms", 6_000)
                .containsEntry("heartbeat.interval.ms", 1_000)
                // And a stream thread polls at least every 5 s (its tasks' fetches and end offsets come with a poll)
                .containsEntry("max.poll.interval.ms", 10_000)
                // And each poll carries some of every partition with a backlog, not 1,000 records of a few
                .containsEntry("max.partition.fetch.bytes", 8_192);
        assertThat(config.getProducerConfigs("client")).containsEntry("transaction.timeout.ms", 5_000);
        // And a joining instance takes its share of the active tasks over within a minute of catching up, not ten
        assertThat(config.getLong(StreamsConfig.PROBING_REBALANCE_INTERVAL_MS_CONFIG)).isEqualTo(60_000L);
        // And a shorter poll interval, where set, reaches the main consumer
        assertThat(new StreamsConfig(new GroupMembership(Duration.ofSeconds(6), Duration.ofSeconds(5),
                Duration.ofMinutes(1), Duration.ofSeconds(4), KB8).applyTo(exactlyOnce)
                .properties(new KafkaProperties(), (record, e) -> { }))
                .getMainConsumerConfigs("group", "client", 0)).containsEntry("max.poll.interval.ms", 4_000);
        // And an at-least-once app has no transaction to time out
        assertThat(alo).containsEntry("main.consumer.session.timeout.ms", 6_000)
                .doesNotContainKey("producer.transaction.timeout.ms");
    }
}
