package com.answerline.sandbox.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CodeChallengeTest {

    /** RFC 7636, appendix B. */
    private static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

    @Test
    void shouldComputeTheChallengeOfRfc7636AppendixB() {
        assertThat(CodeChallenge.of(VERIFIER).value()).isEqualTo(CHALLENGE);
    }

    @Test
    void shouldBeSatisfiedOnlyByItsVerifier() {
        CodeChallenge challenge = new CodeChallenge(CHALLENGE);

        assertThat(challenge.isSatisfiedBy(VERIFIER)).isTrue();
        assertThat(challenge.isSatisfiedBy(VERIFIER.replace('d', 'e'))).isFalse();
        assertThat(challenge.isSatisfiedBy(null)).isFalse();
    }

    @Test
    void shouldRefuseAVerifierShorterThan43Characters() {
        // Given a challenge computed from a 42-character verifier (no client may send one)
        String shortVerifier = VERIFIER.substring(1);
        CodeChallenge challenge = CodeChallenge.of(shortVerifier);

        // Then even that verifier does not satisfy it
        assertThat(challenge.isSatisfiedBy(shortVerifier)).isFalse();
    }

    @Test
    void shouldRefuseAChallengeThatIsNotAS256Value() {
        assertThat(CodeChallenge.isWellFormed(CHALLENGE)).isTrue();
        assertThat(CodeChallenge.isWellFormed(VERIFIER + "x")).isFalse();
        assertThat(CodeChallenge.isWellFormed("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw+cM")).isFalse();
        assertThatThrownBy(() -> new CodeChallenge("plain")).isInstanceOf(IllegalArgumentException.class);
    }
}
