package com.answerline.ingest.console;

import java.net.URI;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The agents' web console ({@code /console/}): the OpenID Connect provider it signs agents in with. The console
 * reads the provider's endpoints from {@code <issuer>/.well-known/openid-configuration}, so the issuer's origin is
 * the one other origin its Content-Security-Policy lets it connect to.
 *
 * @param issuer   where the discovery document lives (the local stack: the sandbox, http://127.0.0.1:8089)
 * @param clientId the console's client id at the provider (a public client: PKCE, no secret)
 * @param scope    requested at sign-in
 */
@Validated
@ConfigurationProperties("answerline.ingest.console")
public record ConsoleProperties(@NotNull URI issuer, @NotBlank String clientId, @NotBlank String scope) {

    public ConsoleProperties {
        if (issuer != null && (!issuer.isAbsolute() || issuer.getHost() == null
                || !("http".equals(issuer.getScheme()) || "https".equals(issuer.getScheme())))) {
            throw new IllegalArgumentException("answerline.ingest.console.issuer must be an absolute http(s) URL, was "
                    + issuer);
        }
    }

    /** {@code scheme://host[:port]}: the origin the browser fetches the discovery document and the tokens from. */
    public String issuerOrigin() {
        return issuer.getScheme() + "://" + issuer.getHost() + (issuer.getPort() == -1 ? "" : ":" + issuer.getPort());
    }

    /** The issuer as the console joins paths to it: without a trailing slash. */
    String issuerUrl() {
        String url = issuer.toString();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
