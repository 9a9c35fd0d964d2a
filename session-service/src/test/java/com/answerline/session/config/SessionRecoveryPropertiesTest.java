package com.answerline.session.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import com.answerline.platform.routing.PeerTransport;

class SessionRecoveryPropertiesTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(RecoveryOnly.class);

    private final SessionServiceProperties properties = new SessionServiceProperties(Path.of("/var/lib/answerline"),
            new SessionServiceProperties.Kafka((short) 1, true),
            new SessionServiceProperties.Streams("session-service", 1, 1, Duration.ofMillis(100), null),
            new SessionServiceProperties.Dedup(Duration.ofDays(7)),
            new SessionServiceProperties.Timers(Duration.ofHours(1), Duration.ofSeconds(1)),
            new SessionServiceProperties.Routing(Duration.ofSeconds(1), Duration.ofSeconds(5),
                    new PeerTransport("http", null)),
            null);

    @Test
    void shouldDefaultToKafkasSessionTimeout() {
        runner.run(context -> assertThat(context.getBean(SessionRecoveryProperties.class).sessionTimeout())
                .isEqualTo(Duration.ofSeconds(45)));
    }

    @Test
    void shouldBindAShorterSessionTimeoutAndRefuseOneTheBrokerWouldNot() {
        runner.withPropertyValues("answerline.session.recovery.session-timeout=10s")
                .run(context -> assertThat(context.getBean(SessionRecoveryProperties.class).sessionTimeout())
                        .isEqualTo(Duration.ofSeconds(10)));
        runner.withPropertyValues("answerline.session.recovery.session-timeout=2s")
                .run(context -> assertThat(context).hasFailed()
                        .getFailure().rootCause().hasMessageContaining("recovery.session-timeout"));
    }

    @Test
    void shouldGiveTheMainConsumerTheSessionTimeoutWithHeartbeatsWellInsideIt() {
        // When the Streams configuration is derived with the default and with a short timeout
        KafkaProperties kafka = new KafkaProperties();
        Map<String, Object> defaults = properties.streamsApp(SessionRecoveryProperties.DEFAULTS).properties(kafka, (record, e) -> { });
        Map<String, Object> shortTimeout = properties.streamsApp(new SessionRecoveryProperties(Duration.ofSeconds(6)))
                .properties(kafka, (record, e) -> { });

        // Then the main consumer gets it, heartbeats at Kafka's 3 s or a third of it, standbys unchanged
        assertThat(defaults)
                .containsEntry("main.consumer.session.timeout.ms", 45_000)
                .containsEntry("main.consumer.heartbeat.interval.ms", 3_000)
                .containsEntry(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, 1);
        assertThat(shortTimeout)
                .containsEntry("main.consumer.session.timeout.ms", 6_000)
                .containsEntry("main.consumer.heartbeat.interval.ms", 2_000);
        // And Streams passes it to its main consumer
        assertThat(new StreamsConfig(shortTimeout).getMainConsumerConfigs("group", "client", 0))
                .containsEntry("session.timeout.ms", 6_000);
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(SessionRecoveryProperties.class)
    static class RecoveryOnly {
    }
}

