package com.answerline.ingest.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.answerline.ingest.client.SessionView;

class ConversationSummaryTest {

    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    static SessionView session(boolean windowOpen, Instant expiresAt, String assignee, Instant lastInboundAt,
                               Instant lastOutboundAt) {
        return new SessionView("100000000000001:31612345678", "demo", "100000000000001", 9, windowOpen,
                expiresAt == null ? null : expiresAt.minusSeconds(86_400), expiresAt, lastInboundAt, false,
                "31612345678", "NL.1349120865530274", "Ada", assignee,
                assignee == null ? null : NOW.minusSeconds(600), lastInboundAt, null,
                lastInboundAt == null ? null : "WHATSAPP", lastInboundAt,
                lastOutboundAt == null ? null : "SMS", lastOutboundAt == null ? null : "SENT", lastOutboundAt,
                1, 1, false, NOW.minusSeconds(5));
    }

    @Test
    void shouldCountTheSecondsLeftAtTheRead() {
        ConversationSummary summary = ConversationSummary.of(
                session(true, NOW.plusSeconds(5400), "agent-7", NOW.minusSeconds(60), NOW.minusSeconds(30)), NOW);

        assertThat(summary.window()).isEqualTo(new ConversationSummary.Window(true, NOW.minusSeconds(81_000),
                NOW.plusSeconds(5400), 5400L, false));
        assertThat(summary.version()).isEqualTo(9);
        assertThat(summary.assignee()).isEqualTo(new ConversationSummary.Assignee("agent-7", NOW.minusSeconds(600)));
        assertThat(summary.lastInbound()).isEqualTo(new ConversationSummary.LastMessage("WHATSAPP", NOW.minusSeconds(60), null));
        assertThat(summary.lastOutbound()).isEqualTo(new ConversationSummary.LastMessage("SMS", NOW.minusSeconds(30), "SENT"));
        assertThat(summary.customer()).isEqualTo(new ConversationSummary.Customer("Ada", "31612345678", "NL.1349120865530274"));
    }

    @Test
    void shouldShowAWindowThatEndedSinceSessionServiceAnsweredAsClosed() {
        // session-service said open; by the time the gateway maps it, the window has ended
        ConversationSummary summary = ConversationSummary.of(session(true, NOW.minusSeconds(1), null, null, null), NOW);

        assertThat(summary.window().open()).isFalse();
        assertThat(summary.window().secondsLeft()).isZero();
        assertThat(summary.assignee()).isNull();
        assertThat(summary.lastInbound()).isNull();
        assertThat(summary.lastOutbound()).isNull();
    }

    @Test
    void shouldHaveNoWindowTimesBeforeTheFirstCustomerMessage() {
        ConversationSummary summary = ConversationSummary.of(session(false, null, null, null, null), NOW);

        assertThat(summary.window().open()).isFalse();
        assertThat(summary.window().secondsLeft()).isNull();
        assertThat(summary.window().expiresAt()).isNull();
    }
}
