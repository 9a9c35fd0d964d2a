package com.answerline.sandbox.sms;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TwilioSignatureTest {

    @Test
    void shouldMatchTwilioDocumentedExample() {
        // Given Twilio's security documentation example (auth token 12345)
        Map<String, List<String>> params = Map.of(
                "CallSid", List.of("CA1234567890ABCDE"),
                "Caller", List.of("+12349013030"),
                "Digits", List.of("1234"),
                "From", List.of("+12349013030"),
                "To", List.of("+18005551212"));

        // When
        String signature = TwilioSignature.sign("https://mycompany.com/myapp.php?foo=1&bar=2", params, "12345");

        // Then
        assertThat(signature).isEqualTo("0/KCTR6DLpKmkAf8muzZqo1nDgQ=");
    }

    @Test
    void shouldChangeWhenTheUrlChanges() {
        Map<String, List<String>> params = Map.of("Body", List.of("hi"));
        assertThat(TwilioSignature.sign("http://127.0.0.1:8081/webhooks/sms", params, "t"))
                .isNotEqualTo(TwilioSignature.sign("http://localhost:8081/webhooks/sms", params, "t"));
    }
}
