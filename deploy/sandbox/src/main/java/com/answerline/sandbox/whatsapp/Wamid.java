package com.answerline.sandbox.whatsapp;

import java.security.SecureRandom;
import java.util.Base64;

/** WhatsApp message ids: "wamid." and an opaque base64 string (URL-safe, so ids fit in paths). */
public final class Wamid {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Wamid() {
    }

    public static String random() {
        byte[] bytes = new byte[30];
        RANDOM.nextBytes(bytes);
        return "wamid." + Base64.getUrlEncoder().encodeToString(bytes);
    }
}
