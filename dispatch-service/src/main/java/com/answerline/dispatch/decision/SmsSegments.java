package com.answerline.dispatch.decision;

/**
 * How an SMS body is encoded and how many segments (billed messages) it takes (DOMAIN.md section 4).
 *
 * <p>GSM-7 when every character is in the GSM 03.38 default alphabet or its extension table, else UCS-2 for the
 * whole message. GSM-7: 160 septets in one segment, 153 per segment of a multi-part message; the extension
 * characters ({@code € [ ] { } \ ^ ~ |} and form feed) take two septets (escape + character). UCS-2: 70 UTF-16
 * units in one segment, 67 per part; a character outside the Basic Multilingual Plane (most emoji) takes two.
 *
 * <p>Own code on purpose: no well-kept Java library on Maven Central counts SMS segments (the GSM charset
 * libraries there encode bytes, and are unmaintained); Twilio's segment calculator exists for JavaScript only. The
 * count is the plain arithmetic above: like most estimates it ignores that a carrier never splits an escape
 * sequence or a surrogate pair across two parts, which can add one part at an exact boundary.
 *
 * @param units    septets (GSM-7) or UTF-16 units (UCS-2)
 * @param segments at least 1
 */
public record SmsSegments(Encoding encoding, int units, int segments) {

    /** The wire names are the DispatchOutcome.smsEncoding values. */
    public enum Encoding {
        GSM_7(160, 153), UCS_2(70, 67);

        private final int single;
        private final int perPart;

        Encoding(int single, int perPart) {
            this.single = single;
            this.perPart = perPart;
        }

        int segments(int units) {
            return units <= single ? 1 : (units + perPart - 1) / perPart;
        }
    }

    private static final String GSM_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private static final String GSM_EXTENSION = "€[]{}\\^~|\f";

    public static SmsSegments of(String body) {
        int septets = 0;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (GSM_BASIC.indexOf(c) >= 0) {
                septets++;
            } else if (GSM_EXTENSION.indexOf(c) >= 0) {
                septets += 2;
            } else {
                return new SmsSegments(Encoding.UCS_2, body.length(), Encoding.UCS_2.segments(body.length()));
            }
        }
        return new SmsSegments(Encoding.GSM_7, septets, Encoding.GSM_7.segments(septets));
    }
}
