package com.answerline.session.window;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.answerline.session.window.SessionEvent.CustomerMessage;
import com.answerline.session.window.SessionEvent.ReplyOutcome;
import com.answerline.session.window.WindowTimers.Deadline;
import com.answerline.session.window.WindowTimers.Fired;
import com.answerline.session.window.WindowTimers.Kind;

class WindowTimersTest {

    private static final String CONVERSATION = "100000000000001:15551230001";
    private static final Instant T0 = Instant.parse("2026-11-20T09:15:30Z");
    private static final Instant END = T0.plus(Duration.ofHours(24));
    private static final Duration LEAD = Duration.ofHours(1);

    @Test
    void shouldScheduleExpiringOneLeadBeforeTheEndAndClosedAtTheEnd() {
        // Given a window opened at T0
        Session session = fold(null, whatsApp("wamid.1", T0));

        // Then its deadlines are end - lead and the end, both tied to that end
        assertThat(WindowTimers.deadlines(session, LEAD)).containsExactly(
                new Deadline(Kind.EXPIRING, END.minus(LEAD), END), new Deadline(Kind.CLOSED, END, END));
        // And a conversation without a window has none
        assertThat(WindowTimers.deadlines(null, LEAD)).isEmpty();
    }

    @Test
    void shouldNotScheduleExpiringAgainOnceAnnounced() {
        // Given a window whose EXPIRING went out
        Session session = fold(null, whatsApp("wamid.1", T0)).toBuilder().expiringNotified(true).build();

        // Then only CLOSED is pending
        assertThat(WindowTimers.deadlines(session, LEAD)).containsExactly(new Deadline(Kind.CLOSED, END, END));
    }

    @Test
    void shouldAnnounceOpenedForAFirstWindowAndForOneAfterTheOldEnded() {
        // Given a first message
        Session first = fold(null, whatsApp("wamid.1", T0));

        // Then it opened a window
        Optional<WindowChange> opened = WindowTimers.opened(null, first, T0.plusSeconds(3));
        assertThat(opened).get().satisfies(change -> {
            assertThat(change.type()).isEqualTo(WindowChange.Type.OPENED);
            assertThat(change.windowOpenedAt()).isEqualTo(T0);
            assertThat(change.windowExpiresAt()).isEqualTo(END);
            assertThat(change.at()).isEqualTo(T0.plusSeconds(3));
            assertThat(change.answered()).isNull();
        });

        // And a message sent exactly at the old end opens another
        Session second = fold(first, whatsApp("wamid.2", END));
        assertThat(WindowTimers.opened(first, second, END)).get()
                .extracting(WindowChange::windowOpenedAt).isEqualTo(END);
    }

    @Test
    void shouldNotAnnounceOpenedForARenewalOrALateEarlierMessage() {
        // Given an open window
        Session first = fold(null, whatsApp("wamid.2", T0));

        // When it is renewed, or a message sent before it arrives late
        Session renewed = fold(first, whatsApp("wamid.3", T0.plus(Duration.ofHours(5))));
        Session earlier = fold(first, whatsApp("wamid.1", T0.minus(Duration.ofHours(2))));

        // Then no window opened
        assertThat(WindowTimers.opened(first, renewed, T0)).isEmpty();
        assertThat(WindowTimers.opened(first, earlier, T0)).isEmpty();
        // And an SMS-only conversation has no window to open
        Session sms = fold(null, sms("SM1", T0));
        assertThat(WindowTimers.opened(null, sms, T0)).isEmpty();
    }

    @Test
    void shouldFireExpiringAtTheLeadExactlyAndMarkItNotified() {
        // Given a window and its EXPIRING deadline
        Session session = fold(null, whatsApp("wamid.1", T0));
        Deadline expiring = WindowTimers.deadlines(session, LEAD).get(0);

        // When it is handled one millisecond early, then on time
        Optional<Fired> early = WindowTimers.fire(session, expiring, END.minus(LEAD).minusMillis(1));
        Fired fired = WindowTimers.fire(session, expiring, END.minus(LEAD)).orElseThrow();

        // Then nothing early; on time EXPIRING, and the session records it with version + 1
        assertThat(early).isEmpty();
        assertThat(fired.change().type()).isEqualTo(WindowChange.Type.EXPIRING);
        assertThat(fired.change().windowExpiresAt()).isEqualTo(END);
        assertThat(fired.next()).get().satisfies(next -> {
            assertThat(next.expiringNotified()).isTrue();
            assertThat(next.version()).isEqualTo(session.version() + 1);
            assertThat(next.updatedAt()).isEqualTo(END.minus(LEAD));
        });
        // And once notified, the same deadline does nothing
        assertThat(WindowTimers.fire(fired.next().orElseThrow(), expiring, END.minus(LEAD))).isEmpty();
    }

    @Test
    void shouldSkipExpiringHandledAfterTheWindowEnded() {
        // Given a window whose EXPIRING deadline is handled only after the end (downtime)
        Session session = fold(null, whatsApp("wamid.1", T0));
        Deadline expiring = WindowTimers.deadlines(session, LEAD).get(0);

        // Then it says nothing: CLOSED follows
        assertThat(WindowTimers.fire(session, expiring, END)).isEmpty();
    }

    @Test
    void shouldCloseUnansweredAtTheEndExactlyAsAnSlaBreach() {
        // Given an unanswered customer
        Session session = fold(null, whatsApp("wamid.1", T0));
        Deadline closed = new Deadline(Kind.CLOSED, END, END);

        // When the CLOSED deadline is handled one millisecond early, then at the end exactly
        assertThat(WindowTimers.fire(session, closed, END.minusMillis(1))).isEmpty();
        Fired fired = WindowTimers.fire(session, closed, END).orElseThrow();

        // Then CLOSED, not answered, and the session records closedUnanswered with version + 1
        assertThat(fired.change().type()).isEqualTo(WindowChange.Type.CLOSED);
        assertThat(fired.change().answered()).isFalse();
        assertThat(fired.next()).get().satisfies(next -> {
            assertThat(next.closedUnanswered()).isTrue();
            assertThat(next.version()).isEqualTo(session.version() + 1);
        });
    }

    @Test
    void shouldCloseAnsweredWithoutChangingTheSession() {
        // Given a customer whose message was answered by a reply that went out
        Session session = fold(fold(null, whatsApp("wamid.1", T0)), new ReplyOutcome("demo", CONVERSATION, "cmd-1",
                OutboundStatus.SENT, Channel.WHATSAPP, true, T0.plusSeconds(60)));

        // When the window closes
        Fired fired = WindowTimers.fire(session, new Deadline(Kind.CLOSED, END, END), END).orElseThrow();

        // Then CLOSED says answered and the session has nothing new to record
        assertThat(fired.change().answered()).isTrue();
        assertThat(fired.next()).isEmpty();
    }

    @Test
    void shouldIgnoreDeadlinesOfAnEndThatARenewalMoved() {
        // Given deadlines computed for a window that was then renewed
        Session first = fold(null, whatsApp("wamid.1", T0));
        Session renewed = fold(first, whatsApp("wamid.2", T0.plus(Duration.ofHours(2))));

        // Then the old deadlines are stale, even when due
        for (Deadline old : WindowTimers.deadlines(first, LEAD)) {
            assertThat(WindowTimers.fire(renewed, old, END.plus(Duration.ofMinutes(1)))).isEmpty();
        }
        // And a conversation without a session has nothing to fire
        assertThat(WindowTimers.fire(null, new Deadline(Kind.CLOSED, END, END), END)).isEmpty();
    }

    @Test
    void shouldAnnounceAgainForTheNewEndAfterARenewal() {
        // Given a window whose EXPIRING went out, then the customer writes in the last hour
        Session first = fold(null, whatsApp("wamid.1", T0));
        Session notified = WindowTimers.fire(first, WindowTimers.deadlines(first, LEAD).get(0), END.minus(LEAD))
                .orElseThrow().next().orElseThrow();
        Session renewed = fold(notified, whatsApp("wamid.2", END.minus(Duration.ofMinutes(30))));

        // Then the warning was for the old end: the new end gets its own
        assertThat(renewed.expiringNotified()).isFalse();
        Instant newEnd = END.plus(Duration.ofHours(23)).plus(Duration.ofMinutes(30));
        assertThat(WindowTimers.deadlines(renewed, LEAD)).containsExactly(
                new Deadline(Kind.EXPIRING, newEnd.minus(LEAD), newEnd), new Deadline(Kind.CLOSED, newEnd, newEnd));
    }

    @Test
    void shouldRefuseALeadOutsideTheWindow() {
        assertThatThrownBy(() -> WindowTimers.requireValidLead(Duration.ofHours(24)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WindowTimers.requireValidLead(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(WindowTimers.requireValidLead(Duration.ofMinutes(90))).isEqualTo(Duration.ofMinutes(90));
    }

    private static Session fold(Session current, SessionEvent event) {
        return SessionFold.apply(current, event, T0).orElseThrow();
    }

    private static CustomerMessage whatsApp(String wamid, Instant sentAt) {
        return new CustomerMessage("demo", CONVERSATION, "100000000000001", Channel.WHATSAPP, wamid, sentAt,
                "15551230001", "US.13491208655302741918", "Ada", false);
    }

    private static CustomerMessage sms(String sid, Instant sentAt) {
        return new CustomerMessage("demo", CONVERSATION, "100000000000001", Channel.SMS, sid, sentAt,
                "15551230001", null, null, false);
    }
}
