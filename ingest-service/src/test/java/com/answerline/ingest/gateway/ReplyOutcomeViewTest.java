package com.answerline.ingest.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.answerline.avro.Channel;
import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.OutcomeReason;
import com.answerline.avro.OutcomeStatus;

class ReplyOutcomeViewTest {

    @Test
    void shouldShowTheReasonEnumOfAnOutcome() {
        DispatchOutcome outcome = outcome().setOutcomeReason(OutcomeReason.PROVIDER_WINDOW_CLOSED_SMS_FALLBACK)
                .setReason("PROVIDER_WINDOW_CLOSED_SMS_FALLBACK").build();

        assertThat(ReplyOutcomeView.of(outcome).reason()).isEqualTo("PROVIDER_WINDOW_CLOSED_SMS_FALLBACK");
    }

    @Test
    void shouldShowTheSameReasonForAnOutcomeStoredBeforeTheEnumExisted() {
        // Given an outcome kept in the reply-outcome store since before outcomeReason: only the string says why
        DispatchOutcome old = outcome().setReason("WINDOW_CLOSED_ANSWER_HELD").build();

        // When / Then the agent sees the same reason as for a new one
        assertThat(old.getOutcomeReason()).isEqualTo(OutcomeReason.UNSPECIFIED);
        assertThat(ReplyOutcomeView.of(old).reason()).isEqualTo("WINDOW_CLOSED_ANSWER_HELD");
    }

    private static DispatchOutcome.Builder outcome() {
        return DispatchOutcome.newBuilder().setCommandId("cmd-1").setTenantId("demo")
                .setConversationId("100000000000001:31612345678").setStatus(OutcomeStatus.SENT)
                .setChannel(Channel.SMS).setFinal$(true).setOccurredAt(Instant.parse("2026-11-25T12:00:00Z"));
    }
}
