package com.answerline.dispatch.decision;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ContinueOnWhatsAppLinkTest {

    @Test
    void shouldUseOnlyTheDigitsOfTheBusinessNumber() {
        assertThat(ContinueOnWhatsAppLink.of("+1 555-000-0001", "Hi")).isEqualTo("https://wa.me/15550000001?text=Hi");
    }

    @Test
    void shouldPercentEncodeSpacesAndReservedCharactersOfThePrefill() {
        // Spaces as %20: a form-encoded '+' would reach the customer's chat literally
        assertThat(ContinueOnWhatsAppLink.of("15550000001", "Order #12 & more? a=b/c"))
                .isEqualTo("https://wa.me/15550000001?text=Order%20%2312%20%26%20more%3F%20a%3Db%2Fc");
    }

    @Test
    void shouldEncodeNonAsciiAsUtf8() {
        assertThat(ContinueOnWhatsAppLink.of("15550000001", "Grüße 👍"))
                .isEqualTo("https://wa.me/15550000001?text=Gr%C3%BC%C3%9Fe%20%F0%9F%91%8D");
    }
}
