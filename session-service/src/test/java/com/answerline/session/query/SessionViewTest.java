package com.answerline.session.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.answerline.avro.WindowState;
import com.answerline.session.window.Channel;
import com.answerline.session.window.OutboundStatus;
import com.answerline.session.window.Session;
import com.answerline.session.window.SessionEvent;
import com.answerline.session.window.SessionFold;

class SessionViewTest {

    private static final String CONVERSATION = "100000000000001:15551230001";
    private static final Instant SENT = Instant.parse("2026-11-24T08:00:00Z");
    private static final Instant END = SENT.plus(Duration.ofHours(24));
    private static final Duration MARGIN = Duration.ofSeconds(60);

    @Test
    void shouldComputeTheWindowAtTheTimeItIsAsked() {
        // Given a session whose window ends at SENT + 24h
        Session session = customerWrote();

        // Then the view computes the window at the time it is asked, not when the state was stored: OPEN with more
        // than the margin left, CLOSING (still open for WhatsApp) within it, CLOSED at the end exactly
        SessionView open = SessionView.of(session, END.minusSeconds(61), MARGIN);
        SessionView closing = SessionView.of(session, END.minusMillis(1), MARGIN);
        SessionView closed = SessionView.of(session, END, MARGIN);
        assertThat(open.windowState()).isEqualTo(WindowState.OPEN);
        assertThat(open.windowSecondsLeft()).isEqualTo(61);
        assertThat(closing.windowState()).isEqualTo(WindowState.CLOSING);
        assertThat(closing.windowOpen()).isTrue();
        assertThat(closed.windowState()).isEqualTo(WindowState.CLOSED);
        assertThat(closed.windowOpen()).isFalse();
        assertThat(closed.windowSecondsLeft()).isZero();
        assertThat(closed.windowExpiresAt()).isEqualTo(END);
        assertThat(closed.version()).isEqualTo(1);
    }

    @Test
    void shouldShowTheLastOutboundMessageWithItsErrorCode() {
        // Given a reply that WhatsApp later reported failed with 131047
        Session sent = fold(customerWrote(), new SessionEvent.ReplyOutcome("demo", CONVERSATION, "cmd-1",
                OutboundStatus.SENT, Channel.WHATSAPP, true, SENT.plusSeconds(90), "wamid.out"));
        Session failed = fold(sent, new SessionEvent.DeliveryUpdate("demo", CONVERSATION, "wamid.out", "FAILED",
                131047, SENT.plusSeconds(95)));

        // When it is read
        SessionView view = SessionView.of(failed, SENT.plusSeconds(100), MARGIN);

        // Then the record says FAILED with the code; the earlier contract's fields say the status alone
        assertThat(view.lastOutbound()).isEqualTo(new SessionView.Outbound("cmd-1", Channel.WHATSAPP,
                OutboundStatus.FAILED, 131047, SENT.plusSeconds(90)));
        assertThat(view.lastOutboundOutcome()).isEqualTo("FAILED");
        assertThat(view.lastOutboundChannel()).isEqualTo(Channel.WHATSAPP);
        assertThat(view.lastOutboundAt()).isEqualTo(SENT.plusSeconds(90));
    }

    @Test
    void shouldSayNeverOpenedForAConversationStartedBySms() {
        Session sms = fold(null, new SessionEvent.CustomerMessage("demo", CONVERSATION, "100000000000001",
                Channel.SMS, "SM1", SENT, "15551230001", null, null, false));

        SessionView view = SessionView.of(sms, SENT.plusSeconds(1), MARGIN);

        assertThat(view.windowState()).isEqualTo(WindowState.NEVER_OPENED);
        assertThat(view.windowSecondsLeft()).isNull();
        assertThat(view.lastOutbound()).isNull();
    }

    private static Session customerWrote() {
        return fold(null, new SessionEvent.CustomerMessage("demo", CONVERSATION, "100000000000001", Channel.WHATSAPP,
                "wamid.1", SENT, "15551230001", null, null, false));
    }

    private static Session fold(Session current, SessionEvent event) {
        return SessionFold.apply(current, event, SENT.plusSeconds(1)).orElseThrow();
    }
}
