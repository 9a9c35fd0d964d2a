package com.answerline.sandbox.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServiceWindowTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private final ServiceWindow window = new ServiceWindow(Duration.ofHours(24));

    @Test
    void shouldAllowFreeFormOneHourAfterTheCustomersMessage() {
        assertThat(window.allowsFreeForm(Optional.of(NOW.minus(Duration.ofHours(1))), NOW)).isTrue();
    }

    @Test
    void shouldRefuseFreeForm25HoursAfterTheCustomersMessage() {
        assertThat(window.allowsFreeForm(Optional.of(NOW.minus(Duration.ofHours(25))), NOW)).isFalse();
    }

    @Test
    void shouldCloseExactly24HoursAfterTheCustomersMessage() {
        Instant last = NOW.minus(Duration.ofHours(24));
        assertThat(window.allowsFreeForm(Optional.of(last), NOW)).isFalse();
        assertThat(window.allowsFreeForm(Optional.of(last.plusSeconds(1)), NOW)).isTrue();
    }

    @Test
    void shouldRefuseFreeFormToACustomerWhoNeverWrote() {
        assertThat(window.allowsFreeForm(Optional.empty(), NOW)).isFalse();
    }
}
