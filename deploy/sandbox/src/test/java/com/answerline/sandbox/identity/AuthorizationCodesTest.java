package com.answerline.sandbox.identity;

import static org.assertj.core.api.Assertions.assertThat;

import com.answerline.sandbox.TestClock;
import com.answerline.sandbox.identity.AuthorizationCodes.Grant;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AuthorizationCodesTest {

    private static final Instant SIGNED_IN = Instant.parse("2026-11-25T10:00:00Z");
    private final TestClock clock = new TestClock(SIGNED_IN);
    private final AuthorizationCodes codes = new AuthorizationCodes(Duration.ofSeconds(60), clock);
    private final Grant grant = new Grant("answerline-console", "http://127.0.0.1:8081/console/",
            CodeChallenge.of("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"), "openid", "n-1",
            new SignIn("agent-7", "demo", AgentRole.AGENT), SIGNED_IN);

    @Test
    void shouldRedeemACodeOnce() {
        // Given
        String code = codes.issue(grant);

        // When / Then
        assertThat(codes.redeem(code)).contains(grant);
        assertThat(codes.redeem(code)).isEmpty();
    }

    @Test
    void shouldRedeemACodeUntilItsTimeToLiveIsOver() {
        String early = codes.issue(grant);
        String late = codes.issue(grant);

        clock.advance(Duration.ofSeconds(59));
        assertThat(codes.redeem(early)).contains(grant);

        clock.advance(Duration.ofSeconds(1));
        assertThat(codes.redeem(late)).isEmpty();
    }

    @Test
    void shouldIssueADifferentUnguessableCodeEachTime() {
        String first = codes.issue(grant);
        String second = codes.issue(grant);

        assertThat(first).isNotEqualTo(second).matches("[A-Za-z0-9_-]{43}");
    }

    @Test
    void shouldKnowNoOtherCode() {
        codes.issue(grant);

        assertThat(codes.redeem("not-a-code")).isEmpty();
        assertThat(codes.redeem(null)).isEmpty();
    }
}
