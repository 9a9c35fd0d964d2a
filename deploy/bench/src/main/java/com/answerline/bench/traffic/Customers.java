package com.answerline.bench.traffic;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The customers of one harness run: {@code count} North-American numbers that no other run (and no e2e test)
 * uses, so a run's conversations start empty. The number block is drawn from the run id; numbers are E.164
 * digits (what libphonenumber calls possible), {@code 1 5xx xxx xxxx}.
 */
public final class Customers {

    private final long base;
    private final int count;

    /**
     * @param runId any number that differs between runs on one stack (a run's start second, say)
     * @param count how many customers
     */
    public Customers(long runId, int count) {
        if (count <= 0 || count > 100_000) {
            throw new IllegalArgumentException("1..100000 customers per run");
        }
        this.count = count;
        // +1 560 000 0000 .. +1 563 999 9999: 400 blocks of 100,000 numbers, one block per run id.
        this.base = 15_600_000_000L + Math.floorMod(runId, 400L) * 100_000L;
    }

    public int count() {
        return count;
    }

    /** The i-th customer's number in digits (0 <= i < count). */
    public String phone(int i) {
        return Long.toString(base + Math.floorMod(i, count));
    }

    /** Conversation id of the i-th customer with a business number. */
    public String conversation(String phoneNumberId, int i) {
        return phoneNumberId + ":" + phone(i);
    }

    /** The BSUID the provider sandbox gives this number (its CustomerAddress.bsuidFor: same number, same BSUID). */
    public static String bsuidOf(String phoneDigits) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(("answerline-sandbox-bsuid:" + phoneDigits).getBytes(StandardCharsets.UTF_8));
            return "US." + new BigInteger(1, Arrays.copyOf(hash, 8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
