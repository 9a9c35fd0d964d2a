package com.answerline.ingest.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.reactive.server.SecurityMockServerConfigurers.mockJwt;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.test.web.reactive.server.SecurityMockServerConfigurers.JwtMutator;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.answerline.ingest.config.SecurityConfig;
import com.answerline.ingest.config.ServiceClientsConfig;
import com.answerline.ingest.config.ServicesProperties;

/**
 * The gateway's conversation reads over real HTTP: the production clients (WebClient, timeouts, JSON) against
 * real servers on 127.0.0.1 that answer session-service's and dispatch-service's contracts, including their
 * 404 and 503. ingest has no dependency on those services, so the servers are stand-ins
 * ({@link FakeSessionAndDispatch}); the lead's end-to-end test runs the real services.
 */
@WebFluxTest(controllers = ConversationController.class, properties = "answerline.ingest.services.read-timeout=1s")
@Import({SecurityConfig.class, GatewayFixtures.class, ServiceClientsConfig.class})
@ImportAutoConfiguration(WebClientAutoConfiguration.class)
@EnableConfigurationProperties(ServicesProperties.class)
class ConversationReadsIT {

    static final FakeSessionAndDispatch SERVICES = new FakeSessionAndDispatch(GatewayFixtures.NOW);
    static final String DEMO = GatewayFixtures.DEMO_CONVERSATION;
    static final String DEMO_CLOSED = "100000000000001:4915112345678";
    static final String OTHER = "100000000000002:4915112345679";

    @Autowired
    WebTestClient client;

    @MockitoBean
    ReactiveJwtDecoder jwtDecoder;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        registry.add("answerline.ingest.services.session-url", SERVICES::sessionUrl);
        registry.add("answerline.ingest.services.dispatch-url", SERVICES::dispatchUrl);
    }

    @AfterAll
    static void stop() {
        SERVICES.close();
    }

    @BeforeEach
    void sessions() {
        SERVICES.sessionDown = false;
        SERVICES.dispatchDown = false;
        SERVICES.sessionDelay = Duration.ZERO;
        SERVICES.sessions.clear();
        SERVICES.listQueries.clear();
        SERVICES.sessionReads.clear();
        SERVICES.previewBodies.clear();
        SERVICES.authorizations.clear();
        // demo: one window open for 2 more hours (assigned to agent-7), one closed an hour ago; other: one conversation
        SERVICES.sessions.put(DEMO, FakeSessionAndDispatch.session("demo", DEMO, 12,
                GatewayFixtures.NOW.plus(Duration.ofHours(2)), "agent-7"));
        SERVICES.sessions.put(DEMO_CLOSED, FakeSessionAndDispatch.session("demo", DEMO_CLOSED, 5,
                GatewayFixtures.NOW.minus(Duration.ofHours(1)), null));
        SERVICES.sessions.put(OTHER, FakeSessionAndDispatch.session("other", OTHER, 1,
                GatewayFixtures.NOW.plus(Duration.ofHours(1)), "agent-9"));
        client = client.mutate().responseTimeout(Duration.ofSeconds(20)).build();
    }

    private static JwtMutator agentOf(String tenant) {
        return mockJwt().jwt(jwt -> jwt.tokenValue(GatewayFixtures.tokenValue(tenant)).subject("agent-7")
                        .claim("tenant_id", tenant))
                .authorities(new SimpleGrantedAuthority("ROLE_agent"));
    }

    @Test
    void shouldShowTheWindowAssigneeLastMessagesCustomerAndReplyChannel() {
        client.mutateWith(agentOf("demo")).get().uri("/api/v1/conversations/{id}", DEMO).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody()
                .jsonPath("$.conversationId").isEqualTo(DEMO)
                .jsonPath("$.version").isEqualTo(12)
                .jsonPath("$.window.open").isEqualTo(true)
                .jsonPath("$.window.expiresAt").isEqualTo("2026-11-25T14:00:00Z")
                .jsonPath("$.window.openedAt").isEqualTo("2026-11-24T14:00:00Z")
                .jsonPath("$.window.secondsLeft").isEqualTo(7200)
                .jsonPath("$.window.state").isEqualTo("OPEN")
                .jsonPath("$.assignee.id").isEqualTo("agent-7")
                .jsonPath("$.assignee.assignedAt").isEqualTo("2026-11-25T10:00:00Z")
                .jsonPath("$.unansweredSince").isEqualTo("2026-11-25T11:30:00Z")
                .jsonPath("$.lastInbound.channel").isEqualTo("WHATSAPP")
                .jsonPath("$.lastInbound.at").isEqualTo("2026-11-25T11:30:00Z")
                .jsonPath("$.lastOutbound.channel").isEqualTo("SMS")
                .jsonPath("$.lastOutbound.outcome").isEqualTo("DELIVERED")
                .jsonPath("$.lastOutbound.at").isEqualTo("2026-11-25T09:00:00Z")
                .jsonPath("$.customer.profileName").isEqualTo("Ada")
                .jsonPath("$.customer.phone").isEqualTo("31612345678")
                .jsonPath("$.customer.bsuid").isEqualTo("NL.1349120865530274")
                .jsonPath("$.replyPreview.channel").isEqualTo("WHATSAPP")
                .jsonPath("$.replyPreview.reason").isEqualTo("WINDOW_OPEN")
                .jsonPath("$.replyPreviewError").doesNotExist();
        // And session and dispatch were each called with the agent's own token (relayed, no credential of the gateway's)
        assertThat(SERVICES.authorizations).containsExactly("Bearer " + GatewayFixtures.tokenValue("demo"),
                "Bearer " + GatewayFixtures.tokenValue("demo"));
        // And dispatch was fed exactly this session, with the tenant from the token and its own policy (AUTO)
        assertThat(SERVICES.previewBodies).singleElement().satisfies(body -> {
            assertThat(body).containsEntry("tenantId", "demo").containsEntry("conversationId", DEMO)
                    .containsEntry("fallback", "AUTO");
            assertThat(body.get("session").toString()).contains("version=12", "windowExpiresAt=2026-11-25T14:00:00Z",
                    "customerPhone=31612345678", "customerProfileName=Ada");
        });
    }

    @Test
    void shouldPreviewTheFallbackOfAClosedWindowAndAnotherPolicyOnRequest() {
        client.mutateWith(agentOf("demo")).get().uri("/api/v1/conversations/{id}?fallback=none", DEMO_CLOSED)
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.window.open").isEqualTo(false)
                .jsonPath("$.window.secondsLeft").isEqualTo(0)
                .jsonPath("$.window.state").isEqualTo("CLOSED")
                .jsonPath("$.assignee").isEmpty()
                .jsonPath("$.replyPreview.channel").isEqualTo("SMS")
                .jsonPath("$.replyPreview.policy").isEqualTo("NONE");
        assertThat(SERVICES.previewBodies).singleElement()
                .satisfies(body -> assertThat(body).containsEntry("fallback", "NONE"));
    }

    @Test
    void shouldForwardEveryReplyOptionWithItsCostAndPassTheDraftAndTheFreeEntryPointFacts() {
        client.mutateWith(agentOf("demo")).get().uri("/api/v1/conversations/{id}?text={text}", DEMO_CLOSED, "Danke 👍")
                .exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.replyPreview.channel").isEqualTo("SMS")
                .jsonPath("$.replyPreview.options.length()").isEqualTo(3)
                .jsonPath("$.replyPreview.options[0].kind").isEqualTo("WHATSAPP_FREE_FORM")
                .jsonPath("$.replyPreview.options[0].allowed").isEqualTo(false)
                .jsonPath("$.replyPreview.options[0].why").isEqualTo("WINDOW_CLOSED")
                .jsonPath("$.replyPreview.options[0].estimatedCost.amount").isEqualTo("0.042")
                .jsonPath("$.replyPreview.options[0].estimatedCost.basis").isEqualTo("SERVICE at UTILITY rate NL since 2026-10-01")
                // a field dispatch added later is not relayed (tolerant reader), absent ones stay absent
                .jsonPath("$.replyPreview.options[0].somethingNew").doesNotExist()
                .jsonPath("$.replyPreview.options[0].sms").doesNotExist()
                .jsonPath("$.replyPreview.options[1].allowed").isEqualTo(true)
                .jsonPath("$.replyPreview.options[1].why").doesNotExist()
                .jsonPath("$.replyPreview.options[1].sms.segments").isEqualTo(2)
                .jsonPath("$.replyPreview.options[1].sms.encoding").isEqualTo("UCS_2")
                .jsonPath("$.replyPreview.options[1].estimatedCost.amountMicros").isEqualTo(170_000)
                .jsonPath("$.replyPreview.options[2].template.category").isEqualTo("UTILITY")
                .jsonPath("$.replyPreview.options[2].template.parameterCount").isEqualTo(2)
                .jsonPath("$.replyPreview.options[2].fallback").isEqualTo("TEMPLATE");
        // And dispatch got the draft and what prices the free entry point
        assertThat(SERVICES.previewBodies).singleElement().satisfies(body -> {
            assertThat(body).containsEntry("text", "Danke 👍");
            assertThat(body.get("session").toString()).contains("windowOpenedAt=2026-11-24T11:00:00Z",
                    "freeEntryPoint=false", "unansweredSince=2026-11-25T11:30:00Z");
        });
    }

    @Test
    void shouldAskForThePreviewOfADraftMarkedUtilityWithDirectSendAndLeaveAnUnmarkedOneUnmarked() {
        // When the agent marks the draft as utility and previews Direct Send
        client.mutateWith(agentOf("demo")).get().uri("/api/v1/conversations/{id}?text={text}&category=utility&fallback=direct_send",
                        DEMO_CLOSED, "Your order has shipped").exchange()
                .expectStatus().isOk();
        // And then without the mark
        client.mutateWith(agentOf("demo")).get().uri("/api/v1/conversations/{id}?text={text}", DEMO_CLOSED, "Your order has shipped")
                .exchange()
                .expectStatus().isOk();

        // Then dispatch was asked with the mark and the policy, then without any category at all
        assertThat(SERVICES.previewBodies).hasSize(2);
        assertThat(SERVICES.previewBodies.get(0)).containsEntry("category", "UTILITY").containsEntry("fallback", "DIRECT_SEND");
        assertThat(SERVICES.previewBodies.get(1)).doesNotContainKey("category").containsEntry("fallback", "AUTO");
    }

    @Test
    void shouldPreviewWithoutADraftWhenTheAgentHasWrittenNothing() {
        client.mutateWith(agentOf("demo")).get().uri("/api/v1/conversations/{id}?text=", DEMO).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.replyPreview.options[1].sms").doesNotExist();
        assertThat(SERVICES.previewBodies).singleElement().satisfies(body -> assertThat(body.get("text")).isNull());
    }

    @Test
    void shouldRefuseADraftLongerThanAReplyNamingItWithoutAskingAnyService() {
        client.mutateWith(agentOf("demo")).get().uri("/api/v1/conversations/{id}?text={text}", DEMO, "a".repeat(4097))
                .exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.field").isEqualTo("text");
        assertThat(SERVICES.sessionReads).isEmpty();
        assertThat(SERVICES.previewBodies).isEmpty();
    }

    @Test
    void shouldAnswer404ForAnUnknownConversationAndForAnotherTenantsWithoutAskingForIt() {
        String unknown = client.mutateWith(agentOf("demo")).get()
                .uri("/api/v1/conversations/{id}", "100000000000001:31699999999").exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(String.class).returnResult().getResponseBody();
        // An agent of tenant other asks for demo's conversation, which exists
        String foreign = client.mutateWith(agentOf("other")).get().uri("/api/v1/conversations/{id}", DEMO).exchange()
                .expectStatus().isNotFound()
                .expectBody(String.class).returnResult().getResponseBody();
        // The same problem (only the echoed path differs), which says nothing of demo's conversation
        assertThat(foreign.replace(DEMO.replace(":", "%3A"), "ID"))
                .isEqualTo(unknown.replace("100000000000001%3A31699999999", "ID")).doesNotContain("Ada");
        assertThat(SERVICES.sessionReads).containsExactly("100000000000001:31699999999");
        assertThat(SERVICES.previewBodies).isEmpty();
    }

    @Test
    void shouldAnswer503WithRetryAfterWhileSessionServiceCannotAnswer() {
        SERVICES.sessionDown = true;
        client.mutateWith(agentOf("demo")).get().uri("/api/v1/conversations/{id}", DEMO).exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().valueEquals("Retry-After", "7")
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.type").isEqualTo("urn:answerline:problem:unavailable");
        client.mutateWith(agentOf("demo")).get().uri("/api/v1/conversations?window=open").exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().valueEquals("Retry-After", "7");
    }

    @Test
    void shouldAnswer503WhenSessionServiceDoesNotAnswerWithinTheReadTimeout() {
        // Given session-service hangs for longer than the gateway's read timeout (1 s here)
        SERVICES.sessionDelay = Duration.ofSeconds(4);
        long started = System.nanoTime();
        client.mutateWith(agentOf("demo")).get().uri("/api/v1/conversations/{id}", DEMO).exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().exists("Retry-After");
        // Then the agent is answered after about one timeout, not after the hang (and not after a retry)
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        assertThat(SERVICES.sessionReads).hasSize(1);
    }

    @Test
    void shouldStillShowTheConversationWithoutPreviewWhileDispatchCannotAnswer() {
        SERVICES.dispatchDown = true;
        client.mutateWith(agentOf("demo")).get().uri("/api/v1/conversations/{id}", DEMO).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.window.open").isEqualTo(true)
                .jsonPath("$.replyPreview").isEmpty()
                .jsonPath("$.replyPreviewError").isEqualTo(ConversationController.PREVIEW_UNAVAILABLE);
    }

    @Test
    void shouldListTheTokensTenantOnlyWhateverTheQuerySays() {
        // An agent of tenant other, trying to smuggle tenantId=demo into the query
        client.mutateWith(agentOf("other")).get().uri("/api/v1/conversations?tenantId=demo").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.items.length()").isEqualTo(1)
                .jsonPath("$.items[0].conversationId").isEqualTo(OTHER)
                .jsonPath("$.items[0].replyPreview").doesNotExist()
                .jsonPath("$.nextCursor").isEmpty()
                .jsonPath("$.next").isEmpty();
        // And session-service was asked with other's own token (it takes the tenant from it), no tenant in the query
        assertThat(SERVICES.listQueries).singleElement()
                .satisfies(query -> assertThat(query).doesNotContainKey("tenantId"));
        assertThat(SERVICES.authorizations).containsExactly("Bearer " + GatewayFixtures.tokenValue("other"));
    }

    @Test
    void shouldResolveAssigneeMeToTheCallerAndForwardTheFilters() {
        client.mutateWith(agentOf("demo")).get()
                .uri("/api/v1/conversations?window=expiring&within=PT1H&assignee=me").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.items.length()").isEqualTo(1)
                .jsonPath("$.items[0].assignee.id").isEqualTo("agent-7");
        assertThat(SERVICES.listQueries).singleElement().satisfies(query -> {
            assertThat(query.get("assignee")).containsExactly("agent-7");
            assertThat(query.get("window")).containsExactly("expiring");
            assertThat(query.get("within")).containsExactly("PT1H");
            assertThat(query.get("limit")).containsExactly("20");
        });
    }

    @Test
    void shouldPageWithAReadyNextLink() {
        String next = client.mutateWith(agentOf("demo")).get().uri("/api/v1/conversations?limit=1").exchange()
                .expectStatus().isOk()
                .expectBody(ConversationPage.class).returnResult().getResponseBody().next();
        assertThat(next).isEqualTo("/api/v1/conversations?limit=1&cursor=o%3A1");
        // Following the link as it is gives the second page, and it is the last
        client.mutateWith(agentOf("demo")).get().uri(URI.create(next)).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.items.length()").isEqualTo(1)
                .jsonPath("$.items[0].conversationId").isEqualTo(DEMO_CLOSED)
                .jsonPath("$.nextCursor").isEmpty()
                .jsonPath("$.next").isEmpty();
        assertThat(SERVICES.listQueries).extracting(query -> query.get("cursor"))
                .containsExactly(null, List.of("o:1"));
    }

    @Test
    void shouldRefuseBadParametersNamingThemWithoutAskingSessionService() {
        for (String[] bad : List.of(new String[] {"limit=0", "limit"}, new String[] {"limit=101", "limit"},
                new String[] {"window=soon", "window"}, new String[] {"window=expiring&within=1h", "within"},
                new String[] {"unassigned=yes", "unassigned"}, new String[] {"assignee=me&unassigned=true", "unassigned"})) {
            client.mutateWith(agentOf("demo")).get().uri("/api/v1/conversations?" + bad[0]).exchange()
                    .expectStatus().isBadRequest()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.field").isEqualTo(bad[1]);
        }
        client.mutateWith(agentOf("demo")).get().uri("/api/v1/conversations/{id}?fallback=fax", DEMO).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.field").isEqualTo("fallback");
        client.mutateWith(agentOf("demo")).get().uri("/api/v1/conversations/{id}?category=MARKETING", DEMO).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.field").isEqualTo("category");
        assertThat(SERVICES.listQueries).isEmpty();
        assertThat(SERVICES.sessionReads).isEmpty();
    }
}
