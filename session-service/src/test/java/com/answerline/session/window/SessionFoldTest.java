package com.answerline.session.window;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.answerline.session.window.SessionEvent.Assignment;
import com.answerline.session.window.SessionEvent.CustomerMessage;
import com.answerline.session.window.SessionEvent.ReplyOutcome;

class SessionFoldTest {

    private static final String CONVERSATION = "100000000000001:15551230001";
    private static final Instant T0 = Instant.parse("2026-11-20T09:15:30Z");
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    @Test
    void shouldOpenTheWindowUntilExactly24HoursAfterTheCustomersSendTime() {
        // Given a conversation nobody has seen
        // When the customer's first WhatsApp message arrives
        Session session = fold(null, whatsApp("wamid.1", T0));

        // Then the window runs from the send time (DOMAIN 1), to the millisecond
        assertThat(session.windowOpenedAt()).isEqualTo(T0);
        assertThat(session.lastCustomerMessageAt()).isEqualTo(T0);
        assertThat(session.windowExpiresAt()).isEqualTo(Instant.parse("2026-11-21T09:15:30Z"));
        assertThat(session.version()).isEqualTo(1);
        assertThat(session.inboundCount()).isEqualTo(1);
        assertThat(session.updatedAt()).isEqualTo(NOW);
        assertThat(session.tenantId()).isEqualTo("demo");
        assertThat(session.phoneNumberId()).isEqualTo("100000000000001");
    }

    @Test
    void shouldBeOpenOneMillisecondBeforeTheEndAndClosedAtTheEndExactly() {
        // Given a window opened at T0
        Session session = fold(null, whatsApp("wamid.1", T0));
        Instant end = T0.plus(Duration.ofHours(24));

        // Then free-form is allowed until, not at, sentAt + 24h
        assertThat(session.windowOpenAt(end.minusMillis(1))).isTrue();
        assertThat(session.windowOpenAt(end)).isFalse();
        assertThat(session.windowOpenAt(end.plusSeconds(3600))).isFalse();
    }

    @Test
    void shouldRenewTheWindowFromTheLatestCustomerMessage() {
        // Given a window opened at T0
        Session first = fold(null, whatsApp("wamid.1", T0));

        // When the customer writes again 5 hours later
        Session renewed = fold(first, whatsApp("wamid.2", T0.plus(Duration.ofHours(5))));

        // Then the window ends 24 h after the new message; it opened with the first
        assertThat(renewed.windowExpiresAt()).isEqualTo(T0.plus(Duration.ofHours(29)));
        assertThat(renewed.windowOpenedAt()).isEqualTo(T0);
        assertThat(renewed.version()).isEqualTo(2);
        assertThat(renewed.inboundCount()).isEqualTo(2);
    }

    @Test
    void shouldNeverMoveTheWindowBackWhenAnOlderMessageArrivesLate() {
        // Given the customer's message of T0+5h already folded
        Session latest = fold(null, whatsApp("wamid.2", T0.plus(Duration.ofHours(5))));

        // When their earlier message of T0 arrives afterwards (webhooks arrive out of order)
        Session afterLate = fold(latest, whatsApp("wamid.1", T0));

        // Then the end stays max(send times) + 24h; the window is known to have opened earlier
        assertThat(afterLate.windowExpiresAt()).isEqualTo(T0.plus(Duration.ofHours(29)));
        assertThat(afterLate.lastCustomerMessageAt()).isEqualTo(T0.plus(Duration.ofHours(5)));
        assertThat(afterLate.windowOpenedAt()).isEqualTo(T0);
        assertThat(afterLate.lastInboundAt()).isEqualTo(T0.plus(Duration.ofHours(5)));
        assertThat(afterLate.unansweredSince()).isEqualTo(T0);
    }

    @Test
    void shouldNotRenewTheWindowOnAnInboundSmsButCountItAndKeepThePhone() {
        // Given a window opened at T0 by a username-only customer (no phone)
        Session open = fold(null, new CustomerMessage("demo", CONVERSATION, "100000000000001", Channel.WHATSAPP,
                "wamid.1", T0, null, "US.13491208655302741918", "Ada", false));

        // When an SMS from their phone arrives 3 hours later
        Session afterSms = fold(open, new CustomerMessage("demo", CONVERSATION, "100000000000001", Channel.SMS,
                "SM0001", T0.plus(Duration.ofHours(3)), "15551230001", null, null, false));

        // Then only a WhatsApp message renews the window; the SMS counts as inbound and teaches the phone
        assertThat(afterSms.windowExpiresAt()).isEqualTo(T0.plus(Duration.ofHours(24)));
        assertThat(afterSms.lastCustomerMessageAt()).isEqualTo(T0);
        assertThat(afterSms.inboundCount()).isEqualTo(2);
        assertThat(afterSms.lastInboundChannel()).isEqualTo(Channel.SMS);
        assertThat(afterSms.customerPhone()).isEqualTo("15551230001");
        assertThat(afterSms.customerBsuid()).isEqualTo("US.13491208655302741918");
        assertThat(afterSms.customerProfileName()).isEqualTo("Ada");
    }

    @Test
    void shouldOpenNoWindowWhenTheFirstContactIsAnSms() {
        // When a customer's first contact is an SMS
        Session session = fold(null, new CustomerMessage("demo", CONVERSATION, "100000000000001", Channel.SMS,
                "SM0001", T0, "15551230001", null, null, false));

        // Then there is no window to answer free-form in
        assertThat(session.windowExpiresAt()).isNull();
        assertThat(session.windowOpenAt(T0)).isFalse();
        assertThat(session.unansweredSince()).isEqualTo(T0);
    }

    @Test
    void shouldStartANewWindowWhenTheCustomerWritesAtTheEndOfTheOldOne() {
        // Given a window opened at T0 from an ad, answered and notified
        Session old = fold(null, whatsApp("wamid.1", T0, true));
        Instant end = old.windowExpiresAt();

        // When the customer writes again exactly when it ends
        Session fresh = fold(old, whatsApp("wamid.2", end));

        // Then that message opens a new window, not from an ad
        assertThat(fresh.windowOpenedAt()).isEqualTo(end);
        assertThat(fresh.windowExpiresAt()).isEqualTo(end.plus(Duration.ofHours(24)));
        assertThat(fresh.freeEntryPoint()).isFalse();
        assertThat(old.freeEntryPoint()).isTrue();
    }

    @Test
    void shouldRecordAnswersAndFirstResponseTimeWithoutTouchingTheWindow() {
        // Given a customer waiting since T0
        Session waiting = fold(null, whatsApp("wamid.1", T0));

        // When our reply goes out 90 s later
        Session answered = fold(waiting, new ReplyOutcome("demo", CONVERSATION, "cmd-1", OutboundStatus.SENT, Channel.WHATSAPP,
                true, T0.plusSeconds(90)));

        // Then the conversation is answered, the first response took 90 s, and the window did not move
        assertThat(answered.unansweredSince()).isNull();
        assertThat(answered.firstResponseMillis()).isEqualTo(90_000L);
        assertThat(answered.outboundCount()).isEqualTo(1);
        assertThat(answered.lastOutbound().channel()).isEqualTo(Channel.WHATSAPP);
        assertThat(answered.lastOutbound().status()).isEqualTo(OutboundStatus.SENT);
        assertThat(answered.windowExpiresAt()).isEqualTo(waiting.windowExpiresAt());
        assertThat(answered.version()).isEqualTo(2);
    }

    @Test
    void shouldKeepTheCustomerWaitingWhenTheReplyWasNotSent() {
        // Given a customer waiting since T0
        Session waiting = fold(null, whatsApp("wamid.1", T0));

        // When our reply is rejected
        Session rejected = fold(waiting, new ReplyOutcome("demo", CONVERSATION, "cmd-1", OutboundStatus.REJECTED, null, true,
                T0.plusSeconds(90)));

        // Then they still wait, and nothing was sent
        assertThat(rejected.unansweredSince()).isEqualTo(T0);
        assertThat(rejected.outboundCount()).isZero();
        assertThat(rejected.lastOutbound().status()).isEqualTo(OutboundStatus.REJECTED);
    }

    @Test
    void shouldNotMarkAMessageUnansweredWhenAReplyAlreadyWentOutAfterIt() {
        // Given a conversation answered at T0+10m
        Session answered = fold(fold(null, whatsApp("wamid.2", T0.plusSeconds(300))),
                new ReplyOutcome("demo", CONVERSATION, "cmd-1", OutboundStatus.SENT, Channel.WHATSAPP, true, T0.plusSeconds(600)));

        // When a customer message sent at T0 arrives late
        Session afterLate = fold(answered, whatsApp("wamid.1", T0));

        // Then it was answered by that reply
        assertThat(afterLate.unansweredSince()).isNull();
    }

    @Test
    void shouldRecordAssignmentAndIgnoreTheSameAssigneeAgainAndStaleChanges() {
        // Given a conversation assigned to agent-7 at T0+1m
        Session session = fold(null, whatsApp("wamid.1", T0));
        Session assigned = fold(session, new Assignment("demo", CONVERSATION, "agent-7", T0.plusSeconds(60)));

        // Then the assignee is recorded
        assertThat(assigned.assigneeId()).isEqualTo("agent-7");
        assertThat(assigned.assignedAt()).isEqualTo(T0.plusSeconds(60));

        // And the same assignee again, or an older change, changes nothing
        assertThat(SessionFold.apply(assigned, new Assignment("demo", CONVERSATION, "agent-7", T0.plusSeconds(120)),
                NOW)).isEmpty();
        assertThat(SessionFold.apply(assigned, new Assignment("demo", CONVERSATION, "agent-9", T0), NOW)).isEmpty();
    }

    @Test
    void shouldCreateASessionFromAnAssignmentOfAnUnknownConversation() {
        // When the first thing heard of a conversation is an assignment
        Session session = fold(null, new Assignment("demo", CONVERSATION, "agent-7", T0));

        // Then the business number comes from the conversation id and there is no window
        assertThat(session.phoneNumberId()).isEqualTo("100000000000001");
        assertThat(session.windowExpiresAt()).isNull();
        assertThat(session.version()).isEqualTo(1);
    }

    private static Session fold(Session current, SessionEvent event) {
        return SessionFold.apply(current, event, NOW).orElseThrow();
    }

    private static CustomerMessage whatsApp(String wamid, Instant sentAt) {
        return whatsApp(wamid, sentAt, false);
    }

    private static CustomerMessage whatsApp(String wamid, Instant sentAt, boolean fromAd) {
        return new CustomerMessage("demo", CONVERSATION, "100000000000001", Channel.WHATSAPP, wamid, sentAt,
                "15551230001", "US.13491208655302741918", "Ada", fromAd);
    }
}
