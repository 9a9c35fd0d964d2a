package com.answerline.ingest.webhook.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

class WhatsAppSignatureVerifierTest {

    private static final byte[] BODY = "{\"object\":\"whatsapp_business_account\",\"entry\":[]}".getBytes(StandardCharsets.UTF_8);
    // Computed independently: printf '%s' "$BODY" | openssl dgst -sha256 -hmac <secret>
    private static final String LOCAL_DEV_SIGNATURE = "sha256=0a30cd951676679be0504dfff8deae241fced464afe6ca2a39af75d9001fbab3";
    private static final String OLD_SECRET_SIGNATURE = "sha256=0b170a1806ee95113debab6ed5deba98ba7fa1b3bd2e1e6d06f039a753e26122";

    @Test
    void shouldAcceptTheHmacOfTheRawBodyUnderTheAppSecret() {
        // Given
        var verifier = new WhatsAppSignatureVerifier(List.of("local-dev-app-secret"));
        // When / Then
        assertThat(verifier.verify(BODY, LOCAL_DEV_SIGNATURE)).isTrue();
    }

    @Test
    void shouldAcceptAnyConfiguredSecretSoThatRotationDropsNothing() {
        // Given both the new and the old secret are configured during a rotation
        var verifier = new WhatsAppSignatureVerifier(List.of("local-dev-app-secret", "old-secret"));
        // When / Then
        assertThat(verifier.verify(BODY, OLD_SECRET_SIGNATURE)).isTrue();
        assertThat(verifier.verify(BODY, LOCAL_DEV_SIGNATURE)).isTrue();
    }

    @Test
    void shouldRejectASignatureMadeWithAnotherSecret() {
        var verifier = new WhatsAppSignatureVerifier(List.of("local-dev-app-secret"));
        assertThat(verifier.verify(BODY, OLD_SECRET_SIGNATURE)).isFalse();
    }

    @Test
    void shouldRejectWhenOneByteOfTheBodyChanged() {
        var verifier = new WhatsAppSignatureVerifier(List.of("local-dev-app-secret"));
        byte[] tampered = BODY.clone();
        tampered[tampered.length - 2] = '1';
        assertThat(verifier.verify(tampered, LOCAL_DEV_SIGNATURE)).isFalse();
    }

    @Test
    void shouldRejectMissingOrMalformedHeaders() {
        var verifier = new WhatsAppSignatureVerifier(List.of("local-dev-app-secret"));
        assertThat(verifier.verify(BODY, null)).isFalse();
        assertThat(verifier.verify(BODY, "")).isFalse();
        assertThat(verifier.verify(BODY, LOCAL_DEV_SIGNATURE.substring("sha256=".length()))).isFalse();
        assertThat(verifier.verify(BODY, "sha1=" + LOCAL_DEV_SIGNATURE.substring("sha256=".length()))).isFalse();
        assertThat(verifier.verify(BODY, "sha256=zz" + LOCAL_DEV_SIGNATURE.substring(9))).isFalse();
        assertThat(verifier.verify(BODY, LOCAL_DEV_SIGNATURE.substring(0, LOCAL_DEV_SIGNATURE.length() - 2))).isFalse();
    }
}
