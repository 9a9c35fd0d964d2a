package com.answerline.session.window;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.answerline.session.window.SessionEvent.CustomerMessage;
import com.answerline.session.window.SessionEvent.DeliveryUpdate;
import com.answerline.session.window.SessionEvent.ReplyOutcome;

/** Delivery statuses in the fold: the provider's word on the last outbound message. */
class SessionFoldDeliveryTest {

    private static final String CONVERSATION = "100000000000001:15551230001";
    private static final Instant T0 = Instant.parse("2026-11-20T09:15:30Z");
    private static final Instant REPLY_AT = T0.plusSeconds(90);
    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    @Test
    void shouldRecordDeliveredAndReadOfTheLastReplyWithoutTouchingTheWindow() {
        // Given an answered customer
        Session answered = answered();

        // When WhatsApp reports the reply delivered, then read
        Session delivered = fold(answered, status("wamid.out", "DELIVERED", null, REPLY_AT.plusSeconds(2)));
        Session read = fold(delivered, status("wamid.out", "READ", null, REPLY_AT.plusSeconds(60)));

        // Then the last outbound outcome follows, one version each, and the window and the answer stay (DOMAIN 1)
        assertThat(delivered.lastOutbound().status()).isEqualTo(OutboundStatus.DELIVERED);
        assertThat(read.lastOutbound().status()).isEqualTo(OutboundStatus.READ);
        assertThat(read.lastOutbound().providerMessageId()).isEqualTo("wamid.out");
        assertThat(read.version()).isEqualTo(answered.version() + 2);
        assertThat(read.windowExpiresAt()).isEqualTo(answered.windowExpiresAt());
        assertThat(read.lastCustomerMessageAt()).isEqualTo(T0);
        assertThat(read.lastOutboundAt()).isEqualTo(REPLY_AT);
        assertThat(read.unansweredSince()).isNull();
        assertThat(read.firstResponseMillis()).isEqualTo(90_000L);
    }

    @Test
    void shouldNeverMoveAStatusBackwardsWhenStatusesArriveOutOfOrder() {
        // Given a reply already read (DOMAIN 2: statuses may arrive out of order, delivered may be skipped)
        Session read = fold(answered(), status("wamid.out", "READ", null, REPLY_AT.plusSeconds(60)));

        // When a late "delivered" and a late "sent" arrive
        // Then nothing changes
        assertThat(SessionFold.apply(read, status("wamid.out", "DELIVERED", null, REPLY_AT.plusSeconds(2)), NOW))
                .isEmpty();
        assertThat(SessionFold.apply(read, status("wamid.out", "SENT", null, REPLY_AT), NOW)).isEmpty();
    }

    @Test
    void shouldKeepAFailureFinal() {
        // Given a reply that failed
        Session failed = fold(answered(), status("wamid.out", "FAILED", 131026, REPLY_AT.plusSeconds(5)));

        // When "read" or another failure arrives for it
        // Then nothing changes: a failure is final
        assertThat(failed.lastOutbound().status()).isEqualTo(OutboundStatus.FAILED);
        assertThat(failed.lastOutbound().errorCode()).isEqualTo(131026);
        assertThat(SessionFold.apply(failed, status("wamid.out", "READ", null, REPLY_AT.plusSeconds(9)), NOW))
                .isEmpty();
        assertThat(SessionFold.apply(failed, status("wamid.out", "FAILED", 131000, REPLY_AT.plusSeconds(9)), NOW))
                .isEmpty();
    }

    @Test
    void shouldIgnoreStatusesOfAnythingButTheLastOutboundMessage() {
        // Given an answered customer
        Session answered = answered();

        // When statuses arrive for an older message (or one whose outcome was never folded)
        // Then nothing changes
        assertThat(SessionFold.apply(answered, status("wamid.old", "FAILED", 131047, REPLY_AT), NOW)).isEmpty();
        assertThat(SessionFold.apply(answered, status("wamid.old", "READ", null, REPLY_AT), NOW)).isEmpty();
    }

    @Test
    void shouldNotCountALateWindowClosedFailureAsAnAnswer() {
        // Given a customer answered 90 s after writing
        Session answered = answered();

        // When WhatsApp later reports the reply failed with 131047 (window closed when it processed it)
        Session failed = fold(answered, status("wamid.out", "FAILED", 131047, REPLY_AT.plusSeconds(3)));

        // Then the failure and its code are visible, the customer waits again since T0, no response time stands
        assertThat(failed.lastOutbound().status()).isEqualTo(OutboundStatus.FAILED);
        assertThat(failed.lastOutbound().errorCode()).isEqualTo(131047);
        assertThat(failed.unansweredSince()).isEqualTo(T0);
        assertThat(failed.firstResponseMillis()).isNull();
        assertThat(failed.windowExpiresAt()).isEqualTo(answered.windowExpiresAt());
        assertThat(failed.closedUnanswered()).isFalse();
        assertThat(failed.version()).isEqualTo(answered.version() + 1);

        // And the SMS fallback dispatch sends answers them, with the true response time
        Instant smsAt = REPLY_AT.plusSeconds(10);
        Session fallback = fold(failed, new ReplyOutcome("demo", CONVERSATION, "cmd-1", OutboundStatus.SENT, Channel.SMS, true,
                smsAt, "SM123"));
        assertThat(fallback.unansweredSince()).isNull();
        assertThat(fallback.firstResponseMillis()).isEqualTo(Duration.between(T0, smsAt).toMillis());
        assertThat(fallback.lastOutbound().status()).isEqualTo(OutboundStatus.SENT);
        assertThat(fallback.lastOutbound().errorCode()).isNull();
        assertThat(fallback.lastOutbound().channel()).isEqualTo(Channel.SMS);
        assertThat(fallback.lastOutbound().providerMessageId()).isEqualTo("SM123");
    }

    @Test
    void shouldMarkTheWindowClosedUnansweredWhenTheAnswerFailedAfterItsEnd() {
        // Given a reply sent a few seconds before the window's end
        Instant end = T0.plus(WindowRules.WINDOW);
        Instant replyAt = end.minusSeconds(5);
        Session answered = fold(fold(null, whatsApp("wamid.1", T0)),
                new ReplyOutcome("demo", CONVERSATION, "cmd-1", OutboundStatus.SENT, Channel.WHATSAPP, true, replyAt, "wamid.out"));

        // When it fails with 131047 at the end
        Session failed = fold(answered, status("wamid.out", "FAILED", 131047, end));

        // Then the window closed unanswered
        assertThat(failed.unansweredSince()).isEqualTo(T0);
        assertThat(failed.closedUnanswered()).isTrue();
    }

    @Test
    void shouldNotUnanswerWhenTheFailedReplyHadAnsweredNothing() {
        // Given a customer answered by a first reply, then a second reply that answered nothing new
        Instant secondAt = REPLY_AT.plusSeconds(30);
        Session second = fold(answered(), new ReplyOutcome("demo", CONVERSATION, "cmd-2", OutboundStatus.SENT, Channel.WHATSAPP,
                true, secondAt, "wamid.out2"));

        // When the second one fails
        Session failed = fold(second, status("wamid.out2", "FAILED", 131026, secondAt.plusSeconds(1)));

        // Then the customer stays answered by the first
        assertThat(failed.lastOutbound().status()).isEqualTo(OutboundStatus.FAILED);
        assertThat(failed.lastOutbound().answeredSince()).isNull();
        assertThat(failed.unansweredSince()).isNull();
        assertThat(failed.firstResponseMillis()).isEqualTo(90_000L);
    }

    @Test
    void shouldStillCountALateCustomerMessageAsAnsweredByADeliveredReply() {
        // Given a reply sent at T0+10m and delivered
        Session delivered = fold(fold(fold(null, whatsApp("wamid.2", T0.plusSeconds(300))),
                        new ReplyOutcome("demo", CONVERSATION, "cmd-1", OutboundStatus.SENT, Channel.WHATSAPP, true,
                                T0.plusSeconds(600), "wamid.out")),
                status("wamid.out", "DELIVERED", null, T0.plusSeconds(601)));

        // When a customer message sent at T0 arrives late
        Session afterLate = fold(delivered, whatsApp("wamid.1", T0));

        // Then it was answered by that reply
        assertThat(afterLate.unansweredSince()).isNull();
    }

    private static Session answered() {
        return fold(fold(null, whatsApp("wamid.1", T0)), new ReplyOutcome("demo", CONVERSATION, "cmd-1", OutboundStatus.SENT,
                Channel.WHATSAPP, true, REPLY_AT, "wamid.out"));
    }

    private static DeliveryUpdate status(String wamid, String state, Integer errorCode, Instant at) {
        return new DeliveryUpdate("demo", CONVERSATION, wamid, state, errorCode, at);
    }

    private static Session fold(Session current, SessionEvent event) {
        return SessionFold.apply(current, event, NOW).orElseThrow();
    }

    private static CustomerMessage whatsApp(String wamid, Instant sentAt) {
        return new CustomerMessage("demo", CONVERSATION, "100000000000001", Channel.WHATSAPP, wamid, sentAt,
                "15551230001", "US.13491208655302741918", "Ada", false);
    }
}
