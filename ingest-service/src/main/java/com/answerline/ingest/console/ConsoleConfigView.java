package com.answerline.ingest.console;

/**
 * Body of {@code GET /console/config.json}: what the console needs before anyone signs in (so it is open, and
 * holds nothing secret: a public client's id and the provider's address).
 */
record ConsoleConfigView(String issuer, String clientId, String scope) {

    static ConsoleConfigView of(ConsoleProperties properties) {
        return new ConsoleConfigView(properties.issuerUrl(), properties.clientId(), properties.scope());
    }
}
