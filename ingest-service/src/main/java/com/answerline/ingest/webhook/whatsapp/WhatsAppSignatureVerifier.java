package com.answerline.ingest.webhook.whatsapp;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks Meta's {@code X-Hub-Signature-256: sha256=<hex>}: HMAC-SHA256 of the raw body keyed with the app
 * secret. Any of the configured secrets may match (rotation). Runs on the raw bytes before any parsing.
 */
public final class WhatsAppSignatureVerifier {

    private static final String PREFIX = "sha256=";
    private static final String ALGORITHM = "HmacSHA256";

    private final List<byte[]> secrets;

    public WhatsAppSignatureVerifier(List<String> appSecrets) {
        if (appSecrets == null || appSecrets.isEmpty()) {
            throw new IllegalArgumentException("at least one app secret is required");
        }
        this.secrets = appSecrets.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
    }

    /** True when the header carries the HMAC of {@code body} under one of the secrets. */
    public boolean verify(byte[] body, String signatureHeader) {
        byte[] presented = decode(signatureHeader);
        if (presented == null) {
            return false;
        }
        boolean valid = false;
        // Every secret is tried even after a match, so timing does not reveal which one matched.
        for (byte[] secret : secrets) {
            valid |= MessageDigest.isEqual(hmac(secret, body), presented);
        }
        return valid;
    }

    private static byte[] decode(String header) {
        if (header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return null;
        }
        String hex = header.substring(PREFIX.length()).trim();
        if (hex.length() != 64) {
            return null;
        }
        try {
            return HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException notHex) {
            return null;
        }
    }

    private static byte[] hmac(byte[] secret, byte[] body) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret, ALGORITHM));
            return mac.doFinal(body);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
