package com.answerline.sandbox.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HubSignatureTest {

    @Test
    void shouldSignTheRawBodyWithHmacSha256OfTheAppSecret() {
        // Given a body; the expected value computed independently (Python hmac)
        byte[] body = "{\"object\":\"whatsapp_business_account\"}".getBytes(StandardCharsets.UTF_8);

        // When / Then
        assertThat(HubSignature.sign(body, "local-dev-app-secret"))
                .isEqualTo("sha256=25d5d129aff5f7e745285300aea96449f41fcfb00835736047fc8e5a8ed80314");
    }
}
