package com.answerline.schemas.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.answerline.avro.WindowState;

class ServiceWindowTest {

    private static final Instant SENT = Instant.parse("2026-12-04T18:00:00Z");
    private static final Instant END = SENT.plus(Duration.ofHours(24));
    private static final Duration MARGIN = Duration.ofSeconds(60);

    @Test
    void shouldEndTwentyFourHoursAfterTheCustomersMessage() {
        assertThat(ServiceWindow.expiresAt(SENT)).isEqualTo(Instant.parse("2026-12-05T18:00:00Z"));
    }

    @Test
    void shouldBeOpenWithMoreThanTheMarginLeft() {
        ServiceWindow window = ServiceWindow.at(END, END.minusSeconds(61), MARGIN);

        assertThat(window.state()).isEqualTo(WindowState.OPEN);
        assertThat(window.open()).isTrue();
        assertThat(window.freeFormAllowed()).isTrue();
        assertThat(window.secondsLeft()).isEqualTo(61);
    }

    @Test
    void shouldBeClosingWithinTheMarginOpenForWhatsAppButNotForFreeFormReplies() {
        ServiceWindow atMargin = ServiceWindow.at(END, END.minus(MARGIN), MARGIN);
        ServiceWindow lastMilli = ServiceWindow.at(END, END.minusMillis(1), MARGIN);

        assertThat(atMargin.state()).isEqualTo(WindowState.CLOSING);
        assertThat(lastMilli.state()).isEqualTo(WindowState.CLOSING);
        assertThat(lastMilli.open()).isTrue();
        assertThat(lastMilli.freeFormAllowed()).isFalse();
        assertThat(lastMilli.secondsLeft()).isZero();
    }

    @Test
    void shouldBeClosedAtTheEndExactly() {
        ServiceWindow atEnd = ServiceWindow.at(END, END, MARGIN);
        ServiceWindow later = ServiceWindow.at(END, END.plusSeconds(3600), Duration.ZERO);

        assertThat(atEnd.state()).isEqualTo(WindowState.CLOSED);
        assertThat(atEnd.open()).isFalse();
        assertThat(later.state()).isEqualTo(WindowState.CLOSED);
        assertThat(later.secondsLeft()).isZero();
        assertThat(later.timeLeft()).isEqualTo(Duration.ofSeconds(-3600));
    }

    @Test
    void shouldFollowWhatsAppsOwnRuleWithoutAMargin() {
        assertThat(ServiceWindow.at(END, END.minusMillis(1), Duration.ZERO).state()).isEqualTo(WindowState.OPEN);
        assertThat(ServiceWindow.at(END, END, Duration.ZERO).state()).isEqualTo(WindowState.CLOSED);
    }

    @Test
    void shouldSayNeverOpenedWithoutAnExpiry() {
        ServiceWindow window = ServiceWindow.at(null, END, MARGIN);

        assertThat(window.state()).isEqualTo(WindowState.NEVER_OPENED);
        assertThat(window.open()).isFalse();
        assertThat(window.secondsLeft()).isNull();
        assertThat(window.timeLeft()).isNull();
    }

    @Test
    void shouldRefuseANegativeMargin() {
        assertThatThrownBy(() -> ServiceWindow.at(END, SENT, Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
