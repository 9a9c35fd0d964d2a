package com.answerline.session.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.answerline.session.window.Channel;
import com.answerline.session.window.Session;
import com.answerline.session.window.SessionEvent;
import com.answerline.session.window.SessionFold;

class SessionViewTest {

    private static final Instant SENT = Instant.parse("2026-11-24T08:00:00Z");

    @Test
    void shouldShowTheWindowOpenUntilTheQueryTimeReachesItsEnd() {
        // Given a session whose window ends at SENT + 24h
        Session session = SessionFold.apply(null, new SessionEvent.CustomerMessage("demo",
                "100000000000001:15551230001", "100000000000001", Channel.WHATSAPP, "wamid.1", SENT, "15551230001",
                null, null, false), SENT.plusSeconds(1)).orElseThrow();
        Instant end = SENT.plus(Duration.ofHours(24));

        // Then the view computes "open" at the time it is asked, not when the state was stored
        assertThat(SessionView.of(session, end.minusMillis(1)).windowOpen()).isTrue();
        assertThat(SessionView.of(session, end).windowOpen()).isFalse();
        assertThat(SessionView.of(session, end).windowExpiresAt()).isEqualTo(end);
        assertThat(SessionView.of(session, end).version()).isEqualTo(1);
    }
}
