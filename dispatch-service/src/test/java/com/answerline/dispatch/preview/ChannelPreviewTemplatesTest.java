package com.answerline.dispatch.preview;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.security.test.web.reactive.server.SecurityMockServerConfigurers;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.reactive.function.client.WebClient;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import com.answerline.dispatch.config.SecurityConfig;
import com.answerline.dispatch.config.TenantSettings;
import com.answerline.platform.tenant.TenantDirectoryAutoConfiguration;
import com.answerline.schemas.tenant.TenantDirectory;
import com.answerline.dispatch.config.DispatchProperties;
import com.answerline.dispatch.config.TemplateConfig;
import com.answerline.dispatch.config.TemplateProperties;
import com.answerline.dispatch.decision.ChannelDecider;
import com.answerline.dispatch.pricing.CostEstimator;
import com.answerline.dispatch.support.MutableClock;
import com.answerline.dispatch.support.ProductionConfig;
import com.answerline.dispatch.support.RecordingHttpServer;
import com.answerline.dispatch.support.RecordingHttpServer.Response;
import com.answerline.dispatch.template.TemplateCatalogue;
import com.answerline.dispatch.template.TemplateValidator;

/**
 * The real template wiring (application.yml, {@link TemplateConfig}) syncing from a provider on 127.0.0.1 that
 * serves the template list in two pages, and the preview deciding on what it synced: an approved template is
 * sent rendered, a paused one is rejected before anything is sent.
 */
@WebFluxTest(controllers = ChannelPreviewController.class)
@ImportAutoConfiguration(TenantDirectoryAutoConfiguration.class)
@Import({TemplateConfig.class, ChannelPreviewTemplatesTest.Wiring.class, SecurityConfig.class})
class ChannelPreviewTemplatesTest {

    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    static final String WABA = "200000000000001";
    static final RecordingHttpServer PROVIDER = start();

    @Autowired
    WebTestClient client;

    /** As an agent of tenant demo (the gateway relays the agent's token; its checks are DispatchServiceIT's). */
    private WebTestClient agent() {
        return client.mutateWith(SecurityMockServerConfigurers.mockJwt().jwt(jwt -> jwt.claim("tenant_id", "demo")));
    }

    @Autowired
    TemplateCatalogue catalogue;

    static RecordingHttpServer start() {
        try {
            RecordingHttpServer provider = new RecordingHttpServer();
            provider.answer(request -> {
                if (!request.path().endsWith("/" + WABA + "/message_templates")) {
                    return new Response(404, "{\"error\":{\"code\":100,\"message\":\"Unknown object\"}}");
                }
                return request.query() != null && request.query().contains("after=P2")
                        ? new Response(200, """
                            {"data":[{"name":"customer_care_reopen","language":"de","status":"PAUSED","category":"UTILITY",
                              "components":[{"type":"BODY","text":"Liebe(r) {{1}}, viele Gruesse, {{2}}"}]}],
                             "paging":{"cursors":{"before":"P2","after":"P3"}}}""")
                        : new Response(200, """
                            {"data":[{"name":"customer_care_reopen","language":"en_US","status":"APPROVED","category":"UTILITY",
                              "components":[{"type":"BODY","text":"Dear {{1}}, best regards, {{2}}"}]}],
                             "paging":{"cursors":{"before":"P1","after":"P2"},"next":"http://ignored/next"}}""");
            });
            return provider;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @DynamicPropertySource
    static void provider(DynamicPropertyRegistry registry) {
        registry.add("answerline.dispatch.whatsapp.base-url", PROVIDER::baseUrl);
    }

    @AfterAll
    static void stop() {
        PROVIDER.close();
    }

    @TestConfiguration(proxyBeanMethods = false)
    @EnableConfigurationProperties({DispatchProperties.class, TemplateProperties.class})
    static class Wiring {

        /** The tenants as the application joins them: the platform's directory and dispatch's settings. */
        @Bean
        TenantSettings tenantSettings(TenantDirectory directory, DispatchProperties properties) {
            return new TenantSettings(directory, properties.tenants());
        }

        @Bean
        Clock clock() {
            return new MutableClock(NOW);
        }

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }

        @Bean
        WebClient.Builder webClientBuilder() {
            return WebClient.builder();
        }

        @Bean
        ChannelDecider channelDecider(Clock clock, DispatchProperties properties, TemplateValidator templates) {
            return new ChannelDecider(clock, properties.safetyMargin(), templates);
        }

        @Bean
        CostEstimator costEstimator() {
            return new CostEstimator(ProductionConfig.pricingProperties());
        }
    }

    @BeforeEach
    void synced() {
        await().atMost(Duration.ofSeconds(20))
                .until(() -> "provider".equals(catalogue.accounts().get(WABA).source()));
    }

    @Test
    void shouldSendTheTemplateApprovedAtTheProvider() {
        preview("en_US")
                .jsonPath("$.outcome").isEqualTo("SEND")
                .jsonPath("$.channel").isEqualTo("WHATSAPP_TEMPLATE")
                .jsonPath("$.reason").isEqualTo("TEMPLATE_REQUESTED");
    }

    @Test
    void shouldRejectTheTemplatePausedAtTheProviderOnItsSecondPage() {
        preview("de")
                .jsonPath("$.outcome").isEqualTo("REJECT")
                .jsonPath("$.channel").isEqualTo("NONE")
                .jsonPath("$.reason").isEqualTo("TEMPLATE_NOT_APPROVED");
    }

    private WebTestClient.BodyContentSpec preview(String language) {
        String body = """
                {"tenantId":"demo","conversationId":"100000000000001:4915112345678",
                 "template":{"name":"customer_care_reopen","language":"%s","parameters":["Ada","Grace"]},
                 "session":{"version":4,"windowExpiresAt":"%s","customerPhone":"4915112345678"}}
                """.formatted(language, NOW.minus(Duration.ofHours(1)));
        return agent().post().uri("/api/v1/channel-preview").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange()
                .expectStatus().isOk()
                .expectBody();
    }
}
