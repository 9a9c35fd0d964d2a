package com.answerline.sandbox.sms;

/**
 * How many SMS segments a body takes: GSM-7 unless one character is outside the GSM-7 alphabet,
 * then UCS-2 for the whole message. One SMS holds 160 GSM-7 septets or 70 UCS-2 units; a
 * multi-part message 153 or 67 per segment (the rest is the concatenation header).
 */
public final class SmsSegments {

    /** GSM 03.38 basic character set (ESC excluded: it only prefixes extension characters). */
    private static final String GSM7_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    /** Extension table: each costs two septets (ESC + character). */
    private static final String GSM7_EXTENSION = "€[]{}\\^~|\f";

    public enum Encoding { GSM7, UCS2 }

    public record Count(Encoding encoding, int units, int segments) {
    }

    private SmsSegments() {
    }

    public static Count count(String body) {
        int septets = gsm7Septets(body);
        if (septets >= 0) {
            return new Count(Encoding.GSM7, septets, segments(septets, 160, 153));
        }
        // UTF-16 code units are UCS-2 units on the wire: an emoji outside the BMP counts as two.
        int units = body.length();
        return new Count(Encoding.UCS2, units, segments(units, 70, 67));
    }

    /** Septets needed in GSM-7, or -1 when the body cannot be written in GSM-7. */
    private static int gsm7Septets(String body) {
        int septets = 0;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (GSM7_BASIC.indexOf(c) >= 0) {
                septets += 1;
            } else if (GSM7_EXTENSION.indexOf(c) >= 0) {
                septets += 2;
            } else {
                return -1;
            }
        }
        return septets;
    }

    private static int segments(int units, int single, int perPart) {
        if (units <= single) {
            return 1;
        }
        return (units + perPart - 1) / perPart;
    }
}
