package com.answerline.dispatch.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.answerline.avro.ContentCategory;
import com.answerline.avro.DecisionExplanation;
import com.answerline.avro.FallbackPolicy;
import com.answerline.avro.ReplyCommand;
import com.answerline.avro.SessionState;
import com.answerline.avro.WindowState;
import com.answerline.dispatch.decision.Explanation;
import com.answerline.dispatch.decision.ReplyRequest;
import com.answerline.dispatch.decision.SessionSnapshot;

class WireMappingTest {

    static final Instant UNTIL = Instant.parse("2026-11-28T09:00:00Z");

    @Test
    void shouldCarryTheFreeEntryPointToTheSenderInItsOwnFieldAndReadItBack() {
        // Given a decision inside a free entry point
        Explanation decided = new Explanation(WindowState.OPEN, UNTIL.minus(Duration.ofDays(2)), Duration.ofHours(3),
                FallbackPolicy.SMS, 7L, List.of("AUTO->SMS"), List.of(), UNTIL);

        // When it goes over the wire and comes back (the sender reads its SendRequest)
        DecisionExplanation wire = WireMapping.explanation(decided);
        Explanation read = WireMapping.explanation(wire);

        // Then the wire shows it, and the decision reads exactly what it wrote
        assertThat(wire.getFreeEntryPointUntil()).isEqualTo(UNTIL);
        assertThat(wire.getFallbackChain()).containsExactly("AUTO->SMS");
        assertThat(read).isEqualTo(decided);
    }

    @Test
    void shouldAddNothingOutsideAFreeEntryPoint() {
        Explanation decided = new Explanation(WindowState.CLOSED, null, null, FallbackPolicy.TEMPLATE, 7L,
                List.of("AUTO->TEMPLATE", "TEMPLATE"), List.of());

        assertThat(WireMapping.explanation(decided).getFallbackChain()).containsExactly("AUTO->TEMPLATE", "TEMPLATE");
        assertThat(WireMapping.explanation(decided).getFreeEntryPointUntil()).isNull();
        assertThat(WireMapping.explanation(WireMapping.explanation(decided))).isEqualTo(decided);
    }

    @Test
    void shouldReadTheSessionsFreeEntryPointFacts() {
        Instant opened = Instant.parse("2026-11-25T09:00:00Z");
        SessionState state = SessionState.newBuilder()
                .setTenantId("demo").setConversationId("100000000000001:4915112345678").setPhoneNumberId("100000000000001")
                .setVersion(3).setCustomerPhone("4915112345678").setWindowOpenedAt(opened)
                .setWindowExpiresAt(opened.plus(Duration.ofHours(24))).setFreeEntryPoint(true)
                .setUnansweredSince(opened).setUpdatedAt(opened)
                .build();

        SessionSnapshot session = WireMapping.session(state);

        assertThat(session.freeEntryPoint()).isTrue();
        assertThat(session.windowOpenedAt()).isEqualTo(opened);
        assertThat(session.unansweredSince()).isEqualTo(opened);
    }

    @Test
    void shouldCarryTheRepliesCategoryToTheDecisionAndLeaveAnUnmarkedReplyUnmarked() {
        ReplyCommand.Builder command = ReplyCommand.newBuilder()
                .setCommandId("cmd-1").setTenantId("demo").setConversationId("100000000000001:4915112345678")
                .setAgentId("agent-7").setText("Your parcel left today.").setFallback(FallbackPolicy.DIRECT_SEND)
                .setIssuedAt(UNTIL);

        ReplyRequest marked = WireMapping.reply(command.setCategory(ContentCategory.UTILITY).build());
        ReplyRequest unmarked = WireMapping.reply(command.setCategory(null).build());

        assertThat(marked.category()).isEqualTo(ContentCategory.UTILITY);
        assertThat(marked.fallback()).isEqualTo(FallbackPolicy.DIRECT_SEND);
        assertThat(unmarked.category()).isNull();
    }
}
