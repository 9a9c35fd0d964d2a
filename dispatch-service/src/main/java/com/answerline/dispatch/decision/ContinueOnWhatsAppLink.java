package com.answerline.dispatch.decision;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** The "continue on WhatsApp" link of an SMS fallback: {@code https://wa.me/<digits>?text=<url-encoded prefill>}. */
public final class ContinueOnWhatsAppLink {

    private ContinueOnWhatsAppLink() {
    }

    public static String of(String businessNumber, String prefill) {
        String digits = businessNumber.replaceAll("\\D", "");
        // URLEncoder is form encoding: a space becomes '+', which wa.me would pre-fill literally; use %20.
        String encoded = URLEncoder.encode(prefill, StandardCharsets.UTF_8).replace("+", "%20");
        return "https://wa.me/" + digits + "?text=" + encoded;
    }
}
