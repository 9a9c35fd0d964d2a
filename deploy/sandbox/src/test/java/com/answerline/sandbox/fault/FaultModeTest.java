package com.answerline.sandbox.fault;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FaultModeTest {

    @Test
    void shouldOfferWindowClosedLateForWhatsAppOnly() {
        // 131047 is WhatsApp's window rule: SMS has no window to close
        assertThat(FaultMode.WINDOW_CLOSED_LATE.appliesTo(Provider.WHATSAPP)).isTrue();
        assertThat(FaultMode.WINDOW_CLOSED_LATE.appliesTo(Provider.SMS)).isFalse();
        assertThat(FaultMode.UNDELIVERABLE.appliesTo(Provider.SMS)).isTrue();
        assertThat(FaultMode.HTTP_500.appliesTo(Provider.WHATSAPP)).isTrue();
    }

    @Test
    void shouldOfferDirectSendBlockedForWhatsAppSendsOnly() {
        assertThat(FaultMode.DIRECT_SEND_BLOCKED.appliesTo(Provider.WHATSAPP)).isTrue();
        assertThat(FaultMode.DIRECT_SEND_BLOCKED.appliesTo(Provider.SMS)).isFalse();
        assertThat(FaultMode.DIRECT_SEND_BLOCKED.appliesTo(Provider.MEDIA)).isFalse();
    }

    @Test
    void shouldOfferOnlyErrorAnswersForMediaRetrieval() {
        // Retrieving media sends nothing: nothing to deliver late, nothing to fail after acceptance
        assertThat(FaultMode.HTTP_500.appliesTo(Provider.MEDIA)).isTrue();
        assertThat(FaultMode.HTTP_429.appliesTo(Provider.MEDIA)).isTrue();
        assertThat(FaultMode.TIMEOUT.appliesTo(Provider.MEDIA)).isTrue();
        assertThat(FaultMode.UNDELIVERABLE.appliesTo(Provider.MEDIA)).isFalse();
        assertThat(FaultMode.LATE_ANSWER.appliesTo(Provider.MEDIA)).isFalse();
        assertThat(FaultMode.WINDOW_CLOSED_LATE.appliesTo(Provider.MEDIA)).isFalse();
    }
}
