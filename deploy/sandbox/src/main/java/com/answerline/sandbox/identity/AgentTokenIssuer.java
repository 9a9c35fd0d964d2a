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
import java.time.Duration;
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

    /** The access token the gateway validates: audience the gateway, the agent's tenant and roles. */
    public IssuedToken issue(String agentId, String tenantId, List<String> roles, String name) {
        return issue(agentId, tenantId, roles, name, now());
    }

    /** The same token as issued a lifetime and an hour ago: it expired an hour ago, signed with the real key. */
    public IssuedToken issueExpired(String agentId, String tenantId, List<String> roles, String name) {
        return issue(agentId, tenantId, roles, name, now().minus(settings.tokenTtl()).minus(Duration.ofHours(1)));
    }

    private IssuedToken issue(String agentId, String tenantId, List<String> roles, String name, Instant now) {
        Instant expiresAt = now.plus(settings.tokenTtl());
        JWTClaimsSet claims = agentClaims(agentId, tenantId, roles, name, now, expiresAt)
                .audience(settings.audience())
                .jwtID(UUID.randomUUID().toString())
                .build();
        return new IssuedToken(sign(claims), expiresAt);
    }

    /**
     * An OpenID Connect ID token for a client: who signed in and when, for the client itself (audience the client
     * id), with the nonce of its authorization request when it sent one.
     */
    public String idToken(String agentId, String tenantId, List<String> roles, String clientId, String nonce,
                          Instant authTime) {
        Instant now = now();
        JWTClaimsSet.Builder claims = agentClaims(agentId, tenantId, roles, null, now, now.plus(settings.tokenTtl()))
                .audience(clientId)
                .claim("auth_time", authTime.getEpochSecond());
        if (nonce != null) {
            claims.claim("nonce", nonce);
        }
        return sign(claims.build());
    }

    private JWTClaimsSet.Builder agentClaims(String agentId, String tenantId, List<String> roles, String name,
                                             Instant now, Instant expiresAt) {
        return new JWTClaimsSet.Builder()
                .issuer(settings.issuer())
                .subject(agentId)
                .claim("tenant_id", tenantId)
                .claim("roles", List.copyOf(roles))
                .claim("name", name != null ? name : agentId)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(expiresAt));
    }

    private String sign(JWTClaimsSet claims) {
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
        return jwt.serialize();
    }

    private Instant now() {
        return Instant.ofEpochSecond(clock.instant().getEpochSecond());
    }

    /** The public half only. */
    public Map<String, Object> jwks() {
        return new JWKSet(signingKey.toPublicJWK()).toJSONObject(true);
    }
}
