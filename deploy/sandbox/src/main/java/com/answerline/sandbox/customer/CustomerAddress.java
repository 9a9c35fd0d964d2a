package com.answerline.sandbox.customer;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How a customer is addressed: by phone number (kept as digits, E.164 without '+') or by
 * business-scoped user id (BSUID, e.g. {@code US.13491208655302741918}).
 */
public record CustomerAddress(Kind kind, String value) {

    public enum Kind { PHONE, BSUID }

    private static final Pattern PHONE = Pattern.compile("\\+?[0-9]{6,15}");
    private static final Pattern BSUID = Pattern.compile("[A-Z]{2}\\.(ENT\\.)?[A-Za-z0-9]{1,128}");
    private static final Pattern PHONE_PUNCTUATION = Pattern.compile("[\\s\\-().]");

    /** Parses "+15551234567", "15551234567", "+1 555 123-4567" or a BSUID; empty when neither. */
    public static Optional<CustomerAddress> parse(String raw) {
        if (raw == null) {
            return Optional.empty();
        }
        String trimmed = raw.trim();
        if (BSUID.matcher(trimmed).matches()) {
            return Optional.of(new CustomerAddress(Kind.BSUID, trimmed));
        }
        String compact = PHONE_PUNCTUATION.matcher(trimmed).replaceAll("");
        if (PHONE.matcher(compact).matches()) {
            return Optional.of(new CustomerAddress(Kind.PHONE, compact.startsWith("+") ? compact.substring(1) : compact));
        }
        return Optional.empty();
    }

    public static CustomerAddress phone(String digits) {
        return new CustomerAddress(Kind.PHONE, digits);
    }

    public boolean isPhone() {
        return kind == Kind.PHONE;
    }

    /**
     * The sandbox's BSUID for a phone number: stable across restarts, so tests can predict it.
     * Real BSUIDs are opaque; this one is "US." plus 64 bits of a SHA-256 of the number, in decimal.
     */
    public static String bsuidFor(String phoneDigits) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(("answerline-sandbox-bsuid:" + phoneDigits).getBytes(StandardCharsets.UTF_8));
            byte[] first8 = new byte[8];
            System.arraycopy(hash, 0, first8, 0, 8);
            return "US." + new BigInteger(1, first8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
