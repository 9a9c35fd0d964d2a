package com.answerline.sandbox.http;

import com.answerline.sandbox.identity.OidcClients;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.config.CorsRegistry;
import org.springframework.web.reactive.config.WebFluxConfigurer;

/**
 * The registered clients' origins may read the discovery document and the JWKS and call the token endpoint from
 * script, as an identity provider lets a browser app do. The authorization endpoint is a page the browser navigates
 * to, so it needs none; no credentials (cookies) are involved anywhere.
 */
@Configuration(proxyBeanMethods = false)
class IdentityCors implements WebFluxConfigurer {

    private final OidcClients clients;

    IdentityCors(OidcClients clients) {
        this.clients = clients;
    }

    @Override
    public void addCorsMappings(CorsRegistry registry) {
        String[] origins = clients.origins().toArray(String[]::new);
        for (String path : new String[] {OidcController.DISCOVERY, OidcController.ISSUER_DISCOVERY,
                IdentityController.JWKS}) {
            registry.addMapping(path).allowedOrigins(origins).allowedMethods("GET");
        }
        registry.addMapping(OidcController.TOKEN).allowedOrigins(origins).allowedMethods("POST");
    }
}
