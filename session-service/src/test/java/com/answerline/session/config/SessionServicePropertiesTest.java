package com.answerline.session.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class SessionServicePropertiesTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(PropertiesOnly.class)
            .withPropertyValues(
                    "answerline.session.data-dir=/var/lib/session",
                    "answerline.session.kafka.replication-factor=1",
                    "answerline.session.streams.application-id=session-service",
                    "answerline.session.streams.num-standby-replicas=1",
                    "answerline.session.streams.num-stream-threads=2",
                    "answerline.session.streams.commit-interval=100ms",
                    "answerline.session.dedup.retention=7d",
                    "answerline.session.timers.expiring-lead=1h",
                    "answerline.session.timers.interval=1s",
                    "answerline.session.jwt.jwks-uri=https://idp.example/.well-known/jwks.json",
                    "answerline.session.jwt.issuer=https://idp.example",
                    "answerline.session.jwt.audience=answerline-gateway");

    @Test
    void shouldBindTheTreeWithDurationsAndPaths() {
        runner.run(context -> {
            SessionServiceProperties properties = context.getBean(SessionServiceProperties.class);
            assertThat(properties.dataDir()).isEqualTo(Path.of("/var/lib/session"));
            assertThat(properties.streams().numStandbyReplicas()).isEqualTo(1);
            assertThat(properties.streams().commitInterval()).isEqualTo(Duration.ofMillis(100));
            assertThat(properties.dedup().retention()).isEqualTo(Duration.ofDays(7));
            assertThat(properties.timers().expiringLead()).isEqualTo(Duration.ofHours(1));
            assertThat(properties.timers().interval()).isEqualTo(Duration.ofSeconds(1));
            // Routing has defaults: a single instance needs no routing settings
            assertThat(properties.routing().connectTimeout()).isEqualTo(Duration.ofSeconds(1));
            assertThat(properties.routing().readTimeout()).isEqualTo(Duration.ofSeconds(5));
            // Peers over plain http unless told otherwise (the local stack)
            assertThat(properties.routing().peers().secure()).isFalse();
            assertThat(properties.jwt().audience()).isEqualTo("answerline-gateway");
        });
    }

    @Test
    void shouldRefuseToStartWithoutTheTokenSettingsOrWithAnUnknownPeerScheme() {
        new ApplicationContextRunner().withUserConfiguration(PropertiesOnly.class)
                .withPropertyValues("answerline.session.data-dir=/var/lib/session",
                        "answerline.session.kafka.replication-factor=1",
                        "answerline.session.streams.application-id=session-service",
                        "answerline.session.streams.commit-interval=100ms",
                        "answerline.session.dedup.retention=7d",
                        "answerline.session.timers.expiring-lead=1h",
                        "answerline.session.timers.interval=1s")
                .run(context -> assertThat(context).hasFailed()
                        .getFailure().rootCause().hasMessageContaining("jwt"));
        runner.withPropertyValues("answerline.session.routing.peers.scheme=ftp")
                .run(context -> assertThat(context).hasFailed()
                        .getFailure().rootCause().hasMessageContaining("must be http or https"));
    }

    @Test
    void shouldRefuseAnExpiringLeadThatIsNotInsideTheWindow() {
        runner.withPropertyValues("answerline.session.timers.expiring-lead=24h")
                .run(context -> assertThat(context).hasFailed()
                        .getFailure().rootCause().hasMessageContaining("expiring lead"));
    }

    @Test
    void shouldRefuseToStartWithInvalidValues() {
        runner.withPropertyValues("answerline.session.streams.num-standby-replicas=-1",
                        "answerline.session.kafka.replication-factor=0")
                .run(context -> assertThat(context).hasFailed()
                        .getFailure().rootCause().hasMessageContaining("numStandbyReplicas")
                        .hasMessageContaining("replicationFactor"));
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(SessionServiceProperties.class)
    static class PropertiesOnly {
    }
}
