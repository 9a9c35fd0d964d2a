package com.answerline.dispatch.preview;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.json.JsonCompareMode;
import org.springframework.security.test.web.reactive.server.SecurityMockServerConfigurers;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.answerline.dispatch.config.SecurityConfig;
import com.answerline.dispatch.config.TenantSettings;
import com.answerline.platform.tenant.TenantDirectoryAutoConfiguration;
import com.answerline.schemas.tenant.TenantDirectory;
import com.answerline.dispatch.config.DispatchProperties;
import com.answerline.dispatch.decision.ChannelDecider;
import com.answerline.dispatch.pricing.CostEstimator;
import com.answerline.dispatch.support.MutableClock;
import com.answerline.dispatch.support.ProductionConfig;
import com.answerline.dispatch.template.CatalogueTemplate;
import com.answerline.dispatch.template.TemplateCatalogue;

/** The endpoint over HTTP: JSON in and out, problem details for bad bodies. Tenants from application.yml. */
@WebFluxTest(controllers = ChannelPreviewController.class)
@ImportAutoConfiguration(TenantDirectoryAutoConfiguration.class)
@Import({ChannelPreviewControllerTest.FixedClock.class, SecurityConfig.class})
class ChannelPreviewControllerTest {

    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    @Autowired
    WebTestClient client;

    /** As an agent of tenant demo (the gateway relays the agent's token; its checks are DispatchServiceIT's). */
    private WebTestClient agent() {
        return client.mutateWith(SecurityMockServerConfigurers.mockJwt().jwt(jwt -> jwt.claim("tenant_id", "demo")));
    }

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
        Clock clock() {
            return new MutableClock(NOW);
        }

        @Bean
        ChannelDecider channelDecider(Clock clock, DispatchProperties properties) {
            return new ChannelDecider(clock, properties.safetyMargin());
        }

        /** Demo's invitation template as the provider's list shows it once synced. */
        @Bean
        TemplateCatalogue templateCatalogue() {
            TemplateCatalogue catalogue = new TemplateCatalogue();
            catalogue.seed("200000000000001", List.of(new CatalogueTemplate("customer_care_reopen", "en_US", "UTILITY",
                    CatalogueTemplate.APPROVED, "Dear {{1}}, best regards, {{2}}")));
            return catalogue;
        }

        @Bean
        CostEstimator costEstimator() {
            return new CostEstimator(ProductionConfig.pricingProperties());
        }
    }

    @Test
    void shouldAnswerTheSmsFallbackForAClosedWindowOfTenantDemo() {
        // Given a demo conversation whose window closed an hour ago
        String body = """
                {"tenantId":"demo","conversationId":"100000000000001:4915112345678",
                 "session":{"version":4,"windowExpiresAt":"%s","customerPhone":"4915112345678"}}
                """.formatted(NOW.minus(Duration.ofHours(1)));
        // When the preview is asked for, then it is the decision dispatch takes for a text reply now
        preview(body)
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
        preview(body)
                .jsonPath("$.channel").isEqualTo("WHATSAPP")
                .jsonPath("$.reason").isEqualTo("WINDOW_OPEN")
                .jsonPath("$.windowOpen").isEqualTo(true)
                .jsonPath("$.policy").isEqualTo("NONE");
    }

    @Test
    void shouldListEveryOptionWithItsCostForTheAgentsDraft() {
        // Given a demo conversation whose window is open for three more hours, and the agent's draft
        String body = """
                {"tenantId":"demo","conversationId":"100000000000001:4915112345678","text":"Your parcel left today.",
                 "session":{"version":4,"windowExpiresAt":"%s","customerPhone":"4915112345678"}}
                """.formatted(NOW.plus(Duration.ofHours(3)));
        // When the preview is asked for, then the chosen option stays where it was
        preview(body)
                .jsonPath("$.channel").isEqualTo("WHATSAPP")
                .jsonPath("$.reason").isEqualTo("WINDOW_OPEN")
                // And every option is listed, absent fields left out
                .json("""
                        {"options":[
                          {"kind":"WHATSAPP_FREE_FORM","channel":"WHATSAPP","allowed":true,"fallback":"AUTO",
                           "estimatedCost":{"currency":"EUR","amount":"0.0456","amountMicros":45600,
                                            "basis":"SERVICE at UTILITY rate DE since 2026-10-01"}},
                          {"kind":"WHATSAPP_DIRECT_SEND","channel":"WHATSAPP_DIRECT_SEND","allowed":false,
                           "why":"WINDOW_OPEN","fallback":"DIRECT_SEND","category":"UTILITY",
                           "estimatedCost":{"currency":"EUR","amount":"0.0456","amountMicros":45600,
                                            "basis":"DIRECT_SEND at UTILITY rate DE since 2026-10-01"}},
                          {"kind":"SMS_WITH_LINK","channel":"SMS","allowed":false,"why":"WINDOW_OPEN","fallback":"SMS",
                           "sms":{"segments":1,"encoding":"GSM_7"},
                           "estimatedCost":{"currency":"EUR","amount":"0.075","amountMicros":75000,
                                            "basis":"SMS 1 x DE since 2026-10-01"}},
                          {"kind":"TEMPLATE","channel":"WHATSAPP_TEMPLATE","allowed":true,"fallback":"TEMPLATE",
                           "template":{"name":"customer_care_reopen","language":"en_US","category":"UTILITY",
                                       "body":"Dear {{1}}, best regards, {{2}}","parameterCount":2},
                           "estimatedCost":{"currency":"EUR","amount":"0.0456","amountMicros":45600,
                                            "basis":"TEMPLATE UTILITY DE in window since 2026-10-01"}},
                          {"kind":"HOLD","channel":"WHATSAPP_TEMPLATE","allowed":false,"why":"WINDOW_OPEN",
                           "fallback":"TEMPLATE_THEN_HOLD",
                           "template":{"name":"customer_care_reopen","language":"en_US","category":"UTILITY",
                                       "body":"Dear {{1}}, best regards, {{2}}","parameterCount":2},
                           "estimatedCost":{"currency":"EUR","amount":"0.0456","amountMicros":45600,
                                            "basis":"TEMPLATE UTILITY DE in window since 2026-10-01"}}]}
                        """, JsonCompareMode.LENIENT)
                .jsonPath("$.options[0].why").doesNotExist()
                .jsonPath("$.options[0].sms").doesNotExist()
                .jsonPath("$.options.length()").isEqualTo(5)
                .jsonPath("$.options[1].note").isEqualTo(ReplyOptions.UTILITY_MEANS)
                .jsonPath("$.options[1].whyDetail").doesNotExist()
                .jsonPath("$.options[2].kind").isEqualTo("SMS_WITH_LINK");
    }

    @Test
    void shouldAnswer400ForADraftLongerThanAReply() {
        String body = "{\"tenantId\":\"demo\",\"conversationId\":\"100000000000001:4915112345678\",\"text\":\"%s\"}"
                .formatted("a".repeat(4097));
        agent().post().uri("/api/v1/channel-preview").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.field").isEqualTo("text");
    }

    @Test
    void shouldAnswer400NamingTheFieldOfABadBody() {
        agent().post().uri("/api/v1/channel-preview").contentType(MediaType.APPLICATION_JSON)
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
        agent().post().uri("/api/v1/channel-preview").contentType(MediaType.APPLICATION_JSON).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.field").isEqualTo("body");
        agent().post().uri("/api/v1/channel-preview").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"tenantId\":")
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    }

    private WebTestClient.BodyContentSpec preview(String body) {
        return agent().post().uri("/api/v1/channel-preview").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
                .exchange()
                .expectStatus().isOk()
                .expectBody();
    }
}
