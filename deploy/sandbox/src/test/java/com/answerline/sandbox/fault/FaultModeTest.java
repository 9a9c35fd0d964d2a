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
}
