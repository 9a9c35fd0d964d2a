package com.answerline.sandbox.identity;

import static java.nio.charset.StandardCharsets.US_ASCII;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * A PKCE code challenge of method S256 (RFC 7636): BASE64URL(SHA-256(ASCII(code_verifier))) without padding,
 * always 43 characters. The only method offered: with "plain", whoever reads the authorization request could
 * redeem its code.
 */
public record CodeChallenge(String value) {

    public static final String METHOD = "S256";
    private static final Pattern CHALLENGE = Pattern.compile("[A-Za-z0-9_-]{43}");
    /** RFC 7636 section 4.1: 43 to 128 unreserved characters. */
    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9._~-]{43,128}");

    public CodeChallenge {
        if (!isWellFormed(value)) {
            throw new IllegalArgumentException("a S256 code challenge is 43 base64url characters");
        }
    }

    public static boolean isWellFormed(String value) {
        return value != null && CHALLENGE.matcher(value).matches();
    }

    /** The challenge a client sends for this verifier. */
    public static CodeChallenge of(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(US_ASCII));
            return new CodeChallenge(Base64.getUrlEncoder().withoutPadding().encodeToString(digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    /** Whether the verifier is well formed and hashes to this challenge. */
    public boolean isSatisfiedBy(String verifier) {
        return verifier != null && VERIFIER.matcher(verifier).matches()
                && MessageDigest.isEqual(of(verifier).value().getBytes(US_ASCII), value.getBytes(US_ASCII));
    }
}
