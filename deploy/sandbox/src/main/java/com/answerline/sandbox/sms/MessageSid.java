package com.answerline.sandbox.sms;

import java.security.SecureRandom;
import java.util.HexFormat;

/** Twilio message SIDs: "SM" and 32 hex digits. */
public final class MessageSid {

    private static final SecureRandom RANDOM = new SecureRandom();

    private MessageSid() {
    }

    public static String random() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return "SM" + HexFormat.of().formatHex(bytes);
    }
}
