package com.answerline.platform.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

import com.answerline.platform.security.AgentTokens;

/**
 * The identity provider of the services' tests: a signing key, its JWKS served by a JDK {@code HttpServer} on
 * 127.0.0.1, agent tokens signed with it (the issuer and audience of the services' application.yml by default), and
 * the tokens every service must refuse ({@link #refused()}).
 */
public final class TestTokens implements AutoCloseable {

    public static final String ISSUER = "http://127.0.0.1:8089/sandbox";
    public static final String AUDIENCE = "answerline-gateway";
    private static final String KEY_ID = "it-key";

    private final RSAKey key;
    private final RSAKey forger;
    private final HttpServer jwks;

    private TestTokens(RSAKey key, RSAKey forger, HttpServer jwks) {
        this.key = key;
        this.forger = forger;
        this.jwks = jwks;
    }

    public static TestTokens start() {
        try {
            RSAKey key = new RSAKeyGenerator(2048).keyID(KEY_ID).generate();
            // Another key under the same key id: what an attacker without the provider's key can sign with.
            RSAKey forger = new RSAKeyGenerator(2048).keyID(KEY_ID).generate();
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            byte[] body = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
            server.createContext("/.well-known/jwks.json", exchange -> {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            return new TestTokens(key, forger, server);
        } catch (IOException | JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** For {@code answerline.<service>.jwt.jwks-uri}. */
    public String jwksUri() {
        return "http://127.0.0.1:" + jwks.getAddress().getPort() + "/.well-known/jwks.json";
    }

    /** The settings a service checks these tokens with. */
    public AgentTokens.Settings settings() {
        return new AgentTokens.Settings(URI.create(jwksUri()), ISSUER, AUDIENCE);
    }

    /** A token of the expected issuer and audience, role agent, valid for ten minutes. */
    public String agent(String agent, String tenant) {
        return token(agent, tenant, List.of("agent"), ISSUER, AUDIENCE);
    }

    public String token(String agent, String tenant, List<String> roles, String issuer, String audience) {
        return sign(claims(agent, tenant).claim("roles", roles).issuer(issuer).audience(audience).build());
    }

    /** The claims of {@link #agent}, to change before {@link #sign}ing. */
    public JWTClaimsSet.Builder claims(String agent, String tenant) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .subject(agent).issuer(ISSUER).audience(AUDIENCE)
                .claim("tenant_id", tenant).claim("roles", List.of("agent")).claim("name", "Agent " + agent)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofMinutes(10))));
    }

    /** Signed with the provider's key. */
    public String sign(JWTClaimsSet claims) {
        return sign(claims, key);
    }

    /**
     * Tokens of {@code tenant}'s agent that a service must answer 401, by what is wrong with each: missing exp, sub or
     * tenant_id, expired, not yet valid (both beyond the clock skew), another audience or issuer, a forged signature.
     */
    public Map<String, String> refused(String tenant) {
        Instant now = Instant.now();
        Map<String, String> tokens = new LinkedHashMap<>();
        tokens.put("without exp", sign(claims("agent-7", tenant).expirationTime(null).build()));
        tokens.put("without sub", sign(claims("agent-7", tenant).subject(null).build()));
        tokens.put("without tenant_id", sign(claims("agent-7", tenant).claim("tenant_id", null).build()));
        tokens.put("expired", sign(claims("agent-7", tenant).issueTime(Date.from(now.minus(Duration.ofHours(1))))
                .expirationTime(Date.from(now.minus(Duration.ofMinutes(5)))).build()));
        tokens.put("not yet valid", sign(claims("agent-7", tenant)
                .notBeforeTime(Date.from(now.plus(Duration.ofMinutes(5)))).build()));
        tokens.put("of another audience", sign(claims("agent-7", tenant).audience("another-service").build()));
        tokens.put("of another issuer", sign(claims("agent-7", tenant).issuer("https://attacker.example").build()));
        tokens.put("with a forged signature", sign(claims("agent-7", tenant).build(), forger));
        return tokens;
    }

    private static String sign(JWTClaimsSet claims, RSAKey with) {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(with.getKeyID()).build(), claims);
        try {
            jwt.sign(new RSASSASigner(with));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    @Override
    public void close() {
        jwks.stop(0);
    }
}
