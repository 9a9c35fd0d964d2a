package com.answerline.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

import com.answerline.platform.testing.TestTokens;

class AgentTokensTest {

    private static final TestTokens TOKENS = TestTokens.start();
    private final JwtDecoder decoder = AgentTokens.decoder(TOKENS.settings(), Clock.systemUTC());

    @AfterAll
    static void stop() {
        TOKENS.close();
    }

    @Test
    void shouldAcceptAnAgentsTokenAndNameItsTenantAndRoles() {
        // Given a token of the provider, for the configured issuer and audience
        String token = TOKENS.agent("agent-7", "demo");

        // When it is decoded
        Jwt jwt = decoder.decode(token);

        // Then the tenant and the roles are the token's
        assertThat(AgentTokens.tenantOf(jwt)).isEqualTo("demo");
        assertThat(AgentTokens.authentication().convert(jwt).getAuthorities())
                .extracting(Object::toString).contains("ROLE_agent");
        assertThat(AgentTokens.authentication().convert(jwt).getName()).isEqualTo("agent-7");
    }

    @Test
    void shouldRefuseEveryTokenThatIsIncompleteOutOfTimeForAnotherServiceOrForged() {
        // Given tokens each wrong in one way (exp, sub or tenant_id missing; expired; not yet valid; other audience or
        // issuer; forged signature)
        // When each is decoded, Then each is refused
        TOKENS.refused("demo").forEach((what, token) -> assertThatThrownBy(() -> decoder.decode(token))
                .as("a token %s", what).isInstanceOf(JwtException.class));
    }

    @Test
    void shouldNameTheMissingClaim() {
        // Given a token without an expiry, which Spring's timestamp validator alone would accept forever
        String token = TOKENS.sign(TOKENS.claims("agent-7", "demo").expirationTime(null).build());

        // Then the refusal says which claim is missing
        assertThatThrownBy(() -> decoder.decode(token)).hasMessageContaining("The token has no exp claim");
    }

    @Test
    void shouldAllowASmallClockSkewAndNoMore() {
        // Given tokens that expired 10 s and 2 minutes ago
        Instant now = Instant.now();
        String justExpired = TOKENS.sign(TOKENS.claims("agent-7", "demo").issueTime(Date.from(now.minus(Duration.ofHours(1))))
                .expirationTime(Date.from(now.minus(Duration.ofSeconds(10)))).build());
        String longExpired = TOKENS.sign(TOKENS.claims("agent-7", "demo").issueTime(Date.from(now.minus(Duration.ofHours(1))))
                .expirationTime(Date.from(now.minus(Duration.ofMinutes(2)))).build());

        // Then the first is within the skew, the second is not
        assertThat(decoder.decode(justExpired).getSubject()).isEqualTo("agent-7");
        assertThatThrownBy(() -> decoder.decode(longExpired)).isInstanceOf(JwtException.class);
    }

    @Test
    void shouldRefuseABlankTenant() {
        String token = TOKENS.sign(TOKENS.claims("agent-7", " ").claim("roles", List.of("agent")).build());
        assertThatThrownBy(() -> decoder.decode(token)).hasMessageContaining("tenant_id");
    }
}
