package com.answerline.ingest.webhook.sms;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks {@code X-Twilio-Signature}: base64 HMAC-SHA1, keyed with the auth token, of the full URL Twilio
 * called followed by every POST parameter as name+value, sorted by name (then value, for repeated names).
 */
public final class TwilioSignatureVerifier {

    private static final String ALGORITHM = "HmacSHA1";

    private final byte[] authToken;

    public TwilioSignatureVerifier(String authToken) {
        if (authToken == null || authToken.isBlank()) {
            throw new IllegalArgumentException("auth token is required");
        }
        this.authToken = authToken.getBytes(StandardCharsets.UTF_8);
    }

    public boolean verify(String url, Map<String, List<String>> params, String signatureHeader) {
        if (signatureHeader == null || signatureHeader.isBlank()) {
            return false;
        }
        byte[] expected = sign(url, params).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, signatureHeader.trim().getBytes(StandardCharsets.US_ASCII));
    }

    /** The signature Twilio would send for this URL and these parameters. */
    public String sign(String url, Map<String, List<String>> params) {
        StringBuilder data = new StringBuilder(url);
        List<String> names = new ArrayList<>(params.keySet());
        names.sort(null);
        for (String name : names) {
            List<String> values = new ArrayList<>(params.get(name));
            values.sort(null);
            for (String value : values) {
                data.append(name).append(value);
            }
        }
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(authToken, ALGORITHM));
            return Base64.getEncoder().encodeToString(mac.doFinal(data.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA1 unavailable", e);
        }
    }
}
