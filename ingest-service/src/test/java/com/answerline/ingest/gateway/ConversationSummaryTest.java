package com.answerline.ingest.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.answerline.ingest.client.SessionView;

class ConversationSummaryTest {

    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    static SessionView session(boolean windowOpen, String windowState, Long secondsLeft, Instant expiresAt,
                               String assignee, Instant lastInboundAt, SessionView.Outbound lastOutbound) {
        return new SessionView("100000000000001:31612345678", "demo", "100000000000001", 9, windowOpen,
                expiresAt == null ? null : expiresAt.minusSeconds(86_400), expiresAt, lastInboundAt, false,
                "31612345678", "NL.1349120865530274", "Ada", assignee,
                assignee == null ? null : NOW.minusSeconds(600), lastInboundAt, null,
                lastInboundAt == null ? null : "WHATSAPP", lastInboundAt,
                lastOutbound == null ? null : lastOutbound.channel(),
                lastOutbound == null ? null : lastOutbound.status(), lastOutbound == null ? null : lastOutbound.at(),
                1, 1, false, NOW.minusSeconds(5), windowState, secondsLeft, lastOutbound);
    }

    @Test
    void shouldForwardSessionServicesWindowAndLastOutbound() {
        // Given session-service's answer: the window CLOSING with 42 s left, the last reply failed with 131047
        SessionView.Outbound failed = new SessionView.Outbound("cmd-1", "WHATSAPP", "FAILED", 131047,
                NOW.minusSeconds(30));
        ConversationSummary summary = ConversationSummary.of(
                session(true, "CLOSING", 42L, NOW.plusSeconds(42), "agent-7", NOW.minusSeconds(60), failed));

        // Then the gateway shows them as they came, computing nothing of its own
        assertThat(summary.window()).isEqualTo(new ConversationSummary.Window(true, "CLOSING",
                NOW.plusSeconds(42).minusSeconds(86_400), NOW.plusSeconds(42), 42L, false));
        assertThat(summary.version()).isEqualTo(9);
        assertThat(summary.assignee()).isEqualTo(new ConversationSummary.Assignee("agent-7", NOW.minusSeconds(600)));
        assertThat(summary.lastInbound())
                .isEqualTo(new ConversationSummary.LastMessage("WHATSAPP", NOW.minusSeconds(60), null, null));
        assertThat(summary.lastOutbound())
                .isEqualTo(new ConversationSummary.LastMessage("WHATSAPP", NOW.minusSeconds(30), "FAILED", 131047));
        assertThat(summary.customer()).isEqualTo(new ConversationSummary.Customer("Ada", "31612345678", "NL.1349120865530274"));
    }

    @Test
    void shouldHaveNoTimesBeforeTheFirstCustomerMessageOrReply() {
        ConversationSummary summary = ConversationSummary.of(session(false, "NEVER_OPENED", null, null, null, null,
                null));

        assertThat(summary.window().open()).isFalse();
        assertThat(summary.window().state()).isEqualTo("NEVER_OPENED");
        assertThat(summary.window().secondsLeft()).isNull();
        assertThat(summary.window().expiresAt()).isNull();
        assertThat(summary.assignee()).isNull();
        assertThat(summary.lastInbound()).isNull();
        assertThat(summary.lastOutbound()).isNull();
    }
}
