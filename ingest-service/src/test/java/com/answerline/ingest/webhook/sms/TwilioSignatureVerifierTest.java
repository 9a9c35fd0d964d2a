package com.answerline.ingest.webhook.sms;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class TwilioSignatureVerifierTest {

    // The worked example of Twilio's "Webhooks security" guide: auth token 12345, this URL and these parameters.
    private static final String URL = "https://mycompany.com/myapp.php?foo=1&bar=2";
    private static final String DOCUMENTED_SIGNATURE = "0/KCTR6DLpKmkAf8muzZqo1nDgQ=";

    private final TwilioSignatureVerifier verifier = new TwilioSignatureVerifier("12345");

    private static Map<String, List<String>> documentedParams() {
        // Deliberately not in sorted order: the signature sorts them.
        Map<String, List<String>> params = new LinkedHashMap<>();
        params.put("To", List.of("+18005551212"));
        params.put("Digits", List.of("1234"));
        params.put("CallSid", List.of("CA1234567890ABCDE"));
        params.put("From", List.of("+12349013030"));
        params.put("Caller", List.of("+12349013030"));
        return params;
    }

    @Test
    void shouldReproduceTwiliosDocumentedSignature() {
        assertThat(verifier.sign(URL, documentedParams())).isEqualTo(DOCUMENTED_SIGNATURE);
    }

    @Test
    void shouldAcceptTheDocumentedRequest() {
        assertThat(verifier.verify(URL, documentedParams(), DOCUMENTED_SIGNATURE)).isTrue();
    }

    @Test
    void shouldRejectATamperedParameterAnotherUrlOrAnotherToken() {
        Map<String, List<String>> tampered = documentedParams();
        tampered.put("Digits", List.of("9999"));
        assertThat(verifier.verify(URL, tampered, DOCUMENTED_SIGNATURE)).isFalse();
        assertThat(verifier.verify("https://mycompany.com/myapp.php?foo=1&bar=3", documentedParams(), DOCUMENTED_SIGNATURE)).isFalse();
        assertThat(new TwilioSignatureVerifier("54321").verify(URL, documentedParams(), DOCUMENTED_SIGNATURE)).isFalse();
    }

    @Test
    void shouldRejectAMissingSignature() {
        assertThat(verifier.verify(URL, documentedParams(), null)).isFalse();
        assertThat(verifier.verify(URL, documentedParams(), " ")).isFalse();
    }
}
