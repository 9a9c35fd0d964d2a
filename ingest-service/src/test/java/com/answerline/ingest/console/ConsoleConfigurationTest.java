package com.answerline.ingest.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.answerline.ingest.config.SecurityConfig;

/** The console's files and config.json: public, with the browser headers; the API beside them stays protected. */
@WebFluxTest(useDefaultFilters = false)
@Import({ConsoleConfiguration.class, SecurityConfig.class})
@EnableConfigurationProperties(ConsoleProperties.class)
@TestPropertySource(properties = {
        "answerline.ingest.console.issuer=http://127.0.0.1:8089/",
        "answerline.ingest.console.client-id=answerline-console",
        "answerline.ingest.console.scope=openid profile"})
class ConsoleConfigurationTest {

    @Autowired
    WebTestClient client;

    @MockitoBean
    ReactiveJwtDecoder jwtDecoder;

    @Test
    void shouldHandTheIdentityProviderToTheBrowserWithoutAToken() {
        client.get().uri("/console/config.json").exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody()
                .jsonPath("$.issuer").isEqualTo("http://127.0.0.1:8089")
                .jsonPath("$.clientId").isEqualTo("answerline-console")
                .jsonPath("$.scope").isEqualTo("openid profile");
    }

    @Test
    void shouldServeThePageAndItsModulesWithTheConsoleHeaders() {
        HttpHeaders page = client.get().uri("/console/").exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                .expectBody(String.class).value(html -> assertThat(html)
                        .contains("<script type=\"module\" src=\"js/main.js\"></script>")
                        .doesNotContain("<script>").doesNotContain(" style=\"").doesNotContain(" onclick="))
                .returnResult().getResponseHeaders();

        assertThat(page.getFirst("Content-Security-Policy"))
                .contains("default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' blob:",
                        "connect-src 'self' http://127.0.0.1:8089", "frame-ancestors 'none'")
                .doesNotContain("unsafe-inline", "unsafe-eval");
        assertThat(page.getFirst("X-Frame-Options")).isEqualTo("DENY");
        assertThat(page.getFirst("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(page.getFirst("Referrer-Policy")).isEqualTo("no-referrer");

        client.get().uri("/console/js/main.js").exchange()
                .expectStatus().isOk()
                .expectHeader().value(HttpHeaders.CONTENT_TYPE, type -> assertThat(type).contains("javascript"))
                .expectHeader().valueEquals("X-Content-Type-Options", "nosniff");
        client.get().uri("/console/console.css").exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.valueOf("text/css"));
    }

    @Test
    void shouldRedirectTheBarePathToTheConsole() {
        client.get().uri("/console").exchange()
                .expectStatus().is3xxRedirection()
                .expectHeader().location("/console/");
    }

    @Test
    void shouldKeepTheApiProtectedAndRefuseWritesUnderTheConsole() {
        client.get().uri("/api/v1/conversations").exchange().expectStatus().isUnauthorized();
        client.post().uri("/console/config.json").exchange().expectStatus().isUnauthorized();
        client.get().uri("/console/../api/v1/conversations").exchange().expectStatus().value(status ->
                assertThat(status).isIn(400, 401, 404));
    }

    @Test
    void shouldNameTheIssuersOriginOnlyInTheContentSecurityPolicy() {
        ConsoleProperties properties = new ConsoleProperties(URI.create("https://idp.example.com/realms/agents"),
                "answerline-console", "openid");

        assertThat(properties.issuerOrigin()).isEqualTo("https://idp.example.com");
        assertThat(ConsoleHeaders.contentSecurityPolicy(properties.issuerOrigin()))
                .contains("connect-src 'self' https://idp.example.com;");
        assertThat(ConsoleConfigView.of(properties).issuer()).isEqualTo("https://idp.example.com/realms/agents");
    }
}
