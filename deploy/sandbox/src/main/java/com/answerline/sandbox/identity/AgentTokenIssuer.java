package com.answerline.sandbox.identity;

import com.answerline.sandbox.config.SandboxProperties;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.stereotype.Service;

/**
 * A development identity provider for agents: RS256 tokens the gateway validates against
 * {@code /.well-known/jwks.json}, as it would against the company's real provider.
 */
@Service
public class AgentTokenIssuer {

    private final RSAKey signingKey;
    private final SandboxProperties.Identity settings;
    private final Clock clock;

    public AgentTokenIssuer(RSAKey agentSigningKey, SandboxProperties properties, Clock clock) {
        this.signingKey = agentSigningKey;
        this.settings = properties.identity();
        this.clock = clock;
    }

    public record IssuedToken(String token, Instant expiresAt) {
    }

    public IssuedToken issue(String agentId, String tenantId, List<String> roles, String name) {
        Instant now = Instant.ofEpochSecond(clock.instant().getEpochSecond());
        Instant expiresAt = now.plus(settings.tokenTtl());
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(settings.issuer())
                .audience(settings.audience())
                .subject(agentId)
                .claim("tenant_id", tenantId)
                .claim("roles", List.copyOf(roles))
                .claim("name", name != null ? name : agentId)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(expiresAt))
                .jwtID(UUID.randomUUID().toString())
                .build();
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256)
                .keyID(signingKey.getKeyID())
                .type(JOSEObjectType.JWT)
                .build();
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(new RSASSASigner(signingKey));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign agent token", e);
        }
        return new IssuedToken(jwt.serialize(), expiresAt);
    }

    /** The public half only. */
    public Map<String, Object> jwks() {
        return new JWKSet(signingKey.toPublicJWK()).toJSONObject(true);
    }
}
