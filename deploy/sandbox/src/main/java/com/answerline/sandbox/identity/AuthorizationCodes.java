package com.answerline.sandbox.identity;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Outstanding authorization codes, in memory: each names what it was issued for, can be redeemed once, and only
 * within its time to live. Redeeming removes it whatever the caller then decides, so a failed attempt (a wrong
 * verifier, perhaps an attacker's) spends it too (RFC 6749 section 10.5).
 */
public class AuthorizationCodes {

    /** What a code was issued for: the client's request and who signed in, when. */
    public record Grant(String clientId, String redirectUri, CodeChallenge challenge, String scope, String nonce,
                        SignIn signIn, Instant signedInAt) {
    }

    private final ConcurrentMap<String, Grant> grants = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Duration ttl;
    private final Clock clock;

    public AuthorizationCodes(Duration ttl, Clock clock) {
        this.ttl = ttl;
        this.clock = clock;
    }

    /** A new code (256 random bits) for the grant; forgets the expired ones. */
    public String issue(Grant grant) {
        Instant now = clock.instant();
        grants.values().removeIf(g -> isExpired(g, now));
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String code = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        grants.put(code, grant);
        return code;
    }

    /** The code's grant, once: empty when the code is unknown, already redeemed or expired. */
    public Optional<Grant> redeem(String code) {
        Grant grant = code == null ? null : grants.remove(code);
        return Optional.ofNullable(grant).filter(g -> !isExpired(g, clock.instant()));
    }

    private boolean isExpired(Grant grant, Instant now) {
        return !now.isBefore(grant.signedInAt().plus(ttl));
    }
}
