package com.answerline.dispatch.preview;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.answerline.dispatch.config.TenantSettings;
import com.answerline.platform.tenant.TenantDirectoryAutoConfiguration;
import com.answerline.schemas.tenant.TenantDirectory;
import com.answerline.dispatch.config.DispatchProperties;
import com.answerline.dispatch.decision.ChannelDecider;
import com.answerline.dispatch.support.MutableClock;

/** The endpoint over HTTP: JSON in and out, problem details for bad bodies. Tenants from application.yml. */
@WebFluxTest(controllers = ChannelPreviewController.class)
@ImportAutoConfiguration(TenantDirectoryAutoConfiguration.class)
@Import(ChannelPreviewControllerTest.FixedClock.class)
class ChannelPreviewControllerTest {

    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    @Autowired
    WebTestClient client;

    /** The production tenants (application.yml, bound as the application binds them) and a fixed clock. */
    @TestConfiguration(proxyBeanMethods = false)
    @EnableConfigurationProperties(DispatchProperties.class)
    static class FixedClock {

        /** The tenants as the application joins them: the platform's directory and dispatch's settings. */
        @Bean
        TenantSettings tenantSettings(TenantDirectory directory, DispatchProperties properties) {
            return new TenantSettings(directory, properties.tenants());
        }

        @Bean
        ChannelDecider channelDecider(DispatchProperties properties) {
            return new ChannelDecider(new MutableClock(NOW), properties.safetyMargin());
        }
    }

    @Test
    void shouldAnswerTheSmsFallbackForAClosedWindowOfTenantDemo() {
        // Given a demo conversation whose window closed an hour ago
        String body = """
                {"tenantId":"demo","conversationId":"100000000000001:4915112345678",
                 "session":{"version":4,"windowExpiresAt":"%s","customerPhone":"4915112345678"}}
                """.formatted(NOW.minus(Duration.ofHours(1)));
        // When the preview is asked for
        client.post().uri("/api/v1/channel-preview").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange()
                // Then it is the decision dispatch takes for a text reply now
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.channel").isEqualTo("SMS")
                .jsonPath("$.reason").isEqualTo("WINDOW_CLOSED_SMS_FALLBACK")
                .jsonPath("$.outcome").isEqualTo("SEND")
                .jsonPath("$.windowOpen").isEqualTo(false)
                .jsonPath("$.windowState").isEqualTo("CLOSED")
                .jsonPath("$.windowExpiresAt").isEqualTo("2026-11-25T11:00:00Z")
                .jsonPath("$.policy").isEqualTo("SMS")
                .jsonPath("$.sessionVersion").isEqualTo(4)
                .jsonPath("$.fallbackChain[1]").isEqualTo("SMS");
    }

    @Test
    void shouldAnswerWhatsAppWithAnotherFallbackWhileTheWindowIsOpen() {
        String body = """
                {"tenantId":"demo","conversationId":"100000000000001:4915112345678","fallback":"NONE",
                 "session":{"version":4,"windowExpiresAt":"%s"}}
                """.formatted(NOW.plus(Duration.ofHours(3)));
        client.post().uri("/api/v1/channel-preview").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.channel").isEqualTo("WHATSAPP")
                .jsonPath("$.reason").isEqualTo("WINDOW_OPEN")
                .jsonPath("$.windowOpen").isEqualTo(true)
                .jsonPath("$.policy").isEqualTo("NONE");
    }

    @Test
    void shouldAnswer400NamingTheFieldOfABadBody() {
        client.post().uri("/api/v1/channel-preview").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"tenantId\":\"demo\",\"conversationId\":\"100000000000001:4915112345678\",\"fallback\":\"FAX\"}")
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.field").isEqualTo("fallback")
                .jsonPath("$.type").isEqualTo("urn:answerline:problem:invalid-request");
    }

    @Test
    void shouldAnswer400ForMissingOrUnreadableBodies() {
        client.post().uri("/api/v1/channel-preview").contentType(MediaType.APPLICATION_JSON).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.field").isEqualTo("body");
        client.post().uri("/api/v1/channel-preview").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"tenantId\":")
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    }
}
