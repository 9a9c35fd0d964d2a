package com.answerline.platform.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.apache.kafka.streams.errors.MissingSourceTopicException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class ThreadReplacementPolicyTest {

    private Instant now = Instant.parse("2026-11-25T10:00:00Z");
    private final Clock clock = new Clock() {
        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    };

    @Test
    void shouldReplaceAThreadKilledByATransientFailureInsteadOfStoppingTheApp() {
        ThreadReplacementPolicy policy = new ThreadReplacementPolicy(2, Duration.ofMinutes(10), clock);

        assertThat(policy.handle(new MissingSourceTopicException("broker restarted")))
                .isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    }

    @Test
    void shouldShutTheClientDownWhenTheFailureKeepsComingBackWithinTheWindow() {
        ThreadReplacementPolicy policy = new ThreadReplacementPolicy(2, Duration.ofMinutes(10), clock);
        policy.handle(new IllegalStateException("1"));
        now = now.plusSeconds(60);
        policy.handle(new IllegalStateException("2"));
        now = now.plusSeconds(60);

        assertThat(policy.handle(new IllegalStateException("3"))).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }

    @Test
    void shouldForgetReplacementsOlderThanTheWindow() {
        ThreadReplacementPolicy policy = new ThreadReplacementPolicy(2, Duration.ofMinutes(10), clock);
        policy.handle(new IllegalStateException("1"));
        policy.handle(new IllegalStateException("2"));
        now = now.plus(Duration.ofMinutes(10));

        assertThat(policy.handle(new IllegalStateException("3"))).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    }

    @Test
    void shouldRefuseANonsensicalBudget() {
        assertThatThrownBy(() -> new ThreadReplacementPolicy(-1, Duration.ofMinutes(1), clock))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ThreadReplacementPolicy(1, Duration.ZERO, clock))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
