package com.answerline.ingest.it;

import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * The identity provider of ingest's integration tests: the platform's ({@link com.answerline.platform.testing.TestTokens},
 * the same one session's and dispatch's tests use), under the names these tests call it by.
 */
final class TestTokens implements AutoCloseable {

    static final String ISSUER = com.answerline.platform.testing.TestTokens.ISSUER;
    static final String AUDIENCE = com.answerline.platform.testing.TestTokens.AUDIENCE;

    private final com.answerline.platform.testing.TestTokens provider;

    private TestTokens(com.answerline.platform.testing.TestTokens provider) {
        this.provider = provider;
    }

    static TestTokens start() {
        return new TestTokens(com.answerline.platform.testing.TestTokens.start());
    }

    /** The provider itself, for the refused tokens and tokens with other claims. */
    com.answerline.platform.testing.TestTokens provider() {
        return provider;
    }

    /** For {@code answerline.ingest.jwt.jwks-uri}. */
    String jwksUri() {
        return provider.jwksUri();
    }

    /** A token of the expected issuer and audience. */
    String agent(String agent, String tenant) {
        return provider.agent(agent, tenant);
    }

    String token(String agent, String tenant, List<String> roles, String issuer, String audience) {
        return provider.token(agent, tenant, roles, issuer, audience);
    }

    /** An agent's token of the expected issuer and audience that expires at {@code expiresAt} (JWT: whole seconds). */
    String agentUntil(String agent, String tenant, Instant expiresAt) {
        return provider.sign(provider.claims(agent, tenant).expirationTime(Date.from(expiresAt)).build());
    }

    @Override
    public void close() {
        provider.close();
    }
}
