package com.answerline.ingest.console;

/**
 * The console's Content-Security-Policy: scripts, styles and images from this origin only (no inline script or
 * style, no eval: the console has none), images also from {@code blob:} (media fetched with the bearer token and
 * shown through object URLs), connections to this origin and the identity provider's (discovery and token
 * endpoints), never framed.
 */
final class ConsoleHeaders {

    private ConsoleHeaders() {
    }

    static String contentSecurityPolicy(String issuerOrigin) {
        return String.join("; ",
                "default-src 'none'",
                "script-src 'self'",
                "style-src 'self'",
                "img-src 'self' blob:",
                "media-src 'self' blob:",
                "connect-src 'self' " + issuerOrigin,
                "form-action 'self'",
                "base-uri 'none'",
                "frame-ancestors 'none'");
    }
}
