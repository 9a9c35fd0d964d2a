package com.answerline.sandbox.config;

import com.answerline.sandbox.identity.AuthorizationCodes;
import com.answerline.sandbox.identity.OidcClients;
import com.answerline.sandbox.whatsapp.MediaLibrary;
import com.answerline.sandbox.whatsapp.MessageTemplate;
import com.answerline.sandbox.whatsapp.SendArrivals;
import com.answerline.sandbox.whatsapp.ServiceWindow;
import com.answerline.sandbox.whatsapp.TemplateCatalogue;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.netty.channel.ChannelOption;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;

@Configuration(proxyBeanMethods = false)
class SandboxConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    BusinessNumbers businessNumbers(SandboxProperties properties) {
        return new BusinessNumbers(properties.businessNumbers());
    }

    /** Fails start-up on a malformed template (placeholder gaps, body over 1,024 characters). */
    @Bean
    TemplateCatalogue templateCatalogue(SandboxProperties properties) {
        Map<String, List<MessageTemplate>> templates = new LinkedHashMap<>();
        for (SandboxProperties.BusinessNumber number : properties.businessNumbers()) {
            templates.put(number.phoneNumberId(), number.templates().stream()
                    .map(t -> MessageTemplate.of(t.name(), t.language(), t.category(), t.status(), t.body(), t.example()))
                    .toList());
        }
        return new TemplateCatalogue(templates);
    }

    /** When each Cloud API send reached the sandbox, per configured number (the last 100,000 of each). */
    @Bean
    SendArrivals sendArrivals(SandboxProperties properties) {
        return new SendArrivals(properties.businessNumbers().stream()
                .map(SandboxProperties.BusinessNumber::phoneNumberId).toList(), 100_000);
    }

    @Bean
    ServiceWindow serviceWindow(SandboxProperties properties) {
        return new ServiceWindow(properties.whatsapp().serviceWindow());
    }

    /** The customers' media and their download URLs (valid for sandbox.whatsapp.media-url-ttl). */
    @Bean
    MediaLibrary mediaLibrary(SandboxProperties properties, Clock clock) {
        return new MediaLibrary(properties.whatsapp().mediaUrlTtl(), clock);
    }

    /** One client for every outbound delivery (ingest webhooks, status callbacks). */
    @Bean
    WebClient sandboxWebClient(SandboxProperties properties) {
        HttpClient httpClient = HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) properties.ingest().timeout().toMillis())
                .responseTimeout(properties.ingest().timeout());
        return WebClient.builder().clientConnector(new ReactorClientHttpConnector(httpClient)).build();
    }

    /** Fails start-up on a redirect URI that is not an absolute http(s) URI without a fragment. */
    @Bean
    OidcClients oidcClients(SandboxProperties properties) {
        return new OidcClients(properties.identity().clients());
    }

    @Bean
    AuthorizationCodes authorizationCodes(SandboxProperties properties, Clock clock) {
        return new AuthorizationCodes(properties.identity().codeTtl(), clock);
    }

    /**
     * The identity provider's signing key, generated at start-up: tokens do not survive a restart,
     * and no private key lives in the repository. Gateways refetch the JWKS on an unknown kid.
     */
    @Bean
    RSAKey agentSigningKey() throws JOSEException {
        return new RSAKeyGenerator(2048)
                .keyUse(KeyUse.SIGNATURE)
                .algorithm(JWSAlgorithm.RS256)
                .keyIDFromThumbprint(true)
                .generate();
    }
}
