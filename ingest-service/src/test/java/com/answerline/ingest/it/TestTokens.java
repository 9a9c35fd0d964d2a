package com.answerline.ingest.it;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

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

/**
 * The identity provider of the integration tests: a signing key, its JWKS served by a JDK {@code HttpServer} on
 * 127.0.0.1, and agent tokens signed with it (issuer and audience of application.yml by default).
 */
final class TestTokens implements AutoCloseable {

    static final String ISSUER = "http://127.0.0.1:8089/sandbox";
    static final String AUDIENCE = "answerline-gateway";

    private final RSAKey key;
    private final HttpServer jwks;

    private TestTokens(RSAKey key, HttpServer jwks) {
        this.key = key;
        this.jwks = jwks;
    }

    static TestTokens start() {
        try {
            RSAKey key = new RSAKeyGenerator(2048).keyID("it-key").generate();
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
            return new TestTokens(key, server);
        } catch (IOException | JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    /** For {@code answerline.ingest.jwt.jwks-uri}. */
    String jwksUri() {
        return "http://127.0.0.1:" + jwks.getAddress().getPort() + "/.well-known/jwks.json";
    }

    /** A token of the expected issuer and audience. */
    String agent(String agent, String tenant) {
        return token(agent, tenant, List.of("agent"), ISSUER, AUDIENCE);
    }

    String token(String agent, String tenant, List<String> roles, String issuer, String audience) {
        return token(agent, tenant, roles, issuer, audience, Instant.now().plus(Duration.ofMinutes(10)));
    }

    /** An agent's token of the expected issuer and audience that expires at {@code expiresAt} (JWT: whole seconds). */
    String agentUntil(String agent, String tenant, Instant expiresAt) {
        return token(agent, tenant, List.of("agent"), ISSUER, AUDIENCE, expiresAt);
    }

    String token(String agent, String tenant, List<String> roles, String issuer, String audience, Instant expiresAt) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(agent).issuer(issuer).audience(audience)
                .claim("tenant_id", tenant).claim("roles", roles).claim("name", "Agent " + agent)
                .issueTime(new Date()).expirationTime(Date.from(expiresAt))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        try {
            jwt.sign(new RSASSASigner(key));
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
