package com.answerline.session.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import com.answerline.schemas.topic.Topics;
import com.answerline.session.thread.ThreadLimits;

class SessionThreadPropertiesTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(ThreadOnly.class);

    @Test
    void shouldKeepNinetyDaysAndAThousandMessagesByDefaultAsTheTopicDoes() {
        runner.run(context -> {
            SessionThreadProperties thread = context.getBean(SessionThreadProperties.class);
            assertThat(thread).isEqualTo(SessionThreadProperties.DEFAULTS);
            assertThat(thread.limits()).isEqualTo(new ThreadLimits(Topics.THREAD_RETENTION, 1000,
                    Duration.ofSeconds(10), Duration.ofHours(1)));
        });
    }

    @Test
    void shouldBindOtherLimitsAndRefuseOnesThatKeepNothing() {
        runner.withPropertyValues("answerline.session.thread.retention=30d",
                        "answerline.session.thread.max-messages=200",
                        "answerline.session.thread.unmatched-status-retention=10m")
                .run(context -> assertThat(context.getBean(SessionThreadProperties.class).limits())
                        .isEqualTo(new ThreadLimits(Duration.ofDays(30), 200, Duration.ofSeconds(10),
                                Duration.ofMinutes(10))));
        runner.withPropertyValues("answerline.session.thread.max-messages=0")
                .run(context -> assertThat(context).hasFailed()
                        .getFailure().rootCause().hasMessageContaining("max-messages"));
        runner.withPropertyValues("answerline.session.thread.retention=0s")
                .run(context -> assertThat(context).hasFailed()
                        .getFailure().rootCause().hasMessageContaining("thread.retention"));
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(SessionThreadProperties.class)
    static class ThreadOnly {
    }
}
