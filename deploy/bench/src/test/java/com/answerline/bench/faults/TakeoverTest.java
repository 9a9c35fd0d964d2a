package com.answerline.bench.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class TakeoverTest {

    @Test
    void shouldHoldASurvivorToTenSeconds() {
        // Given a second instance took over, once in 9.8 s and once in 10.3 s
        Takeover fast = survivor(Duration.ofMillis(9_800), 3);
        Takeover slow = survivor(Duration.ofMillis(10_300), 3);

        // Then the first is within the bound and the second fails it
        assertThat(fast.bound()).isEqualTo(Duration.ofSeconds(10));
        assertThat(fast.passed()).isTrue();
        assertThat(slow.passed()).isFalse();
        assertThat(slow.describe()).isEqualTo("10.3 s (bound 10.0 s), caught up after 10.3 s");
    }

    @Test
    void shouldHoldARestartToItsStartTimePlusFiveSeconds() {
        // Given an instance restarted in 31 s that served again 35.5 s after the kill, another 36.5 s after it
        Optional<Duration> start = Optional.of(Duration.ofSeconds(31));

        Takeover within = new Takeover("session-service", Optional.of(Duration.ofMillis(35_500)),
                Optional.of(Duration.ofSeconds(52)), start, Takeover.bound(start), 6, "");
        Takeover late = new Takeover("session-service", Optional.of(Duration.ofMillis(36_500)), Optional.empty(), start,
                Takeover.bound(start), 6, "");

        // Then the bound is 36 s
        assertThat(within.bound()).isEqualTo(Duration.ofSeconds(36));
        assertThat(within.passed()).isTrue();
        assertThat(late.passed()).isFalse();
        // and the backlog's catch-up is reported, not bounded
        assertThat(within.describe()).isEqualTo("35.5 s (bound 36.0 s, start 31.0 s), caught up after 52.0 s");
        assertThat(late.describe()).endsWith(", not caught up within the wait");
    }

    @Test
    void shouldFailWhenNeverServedOrWhenTheKilledInstanceOwnedNothing() {
        // Given a takeover that never completed, and a fast one of an instance that owned no partition
        Takeover never = new Takeover("dispatch-service-2", Optional.empty(), Optional.empty(), Optional.empty(),
                Takeover.SURVIVOR_BOUND, 3, "waiting");
        Takeover nothingOwned = survivor(Duration.ofMillis(400), 0);

        // Then neither proves a takeover
        assertThat(never.passed()).isFalse();
        assertThat(never.describe()).startsWith("not served within the wait");
        assertThat(nothingOwned.passed()).isFalse();
        assertThat(nothingOwned.describe()).contains("owned no partition");
    }

    private static Takeover survivor(Duration time, int orphaned) {
        return new Takeover("session-service-2", Optional.of(time), Optional.of(time), Optional.empty(),
                Takeover.bound(Optional.empty()), orphaned, "");
    }
}
