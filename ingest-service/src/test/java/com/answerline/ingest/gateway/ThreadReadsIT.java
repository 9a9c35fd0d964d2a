package com.answerline.ingest.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.reactive.server.SecurityMockServerConfigurers.mockJwt;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

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
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.test.web.reactive.server.SecurityMockServerConfigurers.JwtMutator;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.answerline.ingest.client.MediaReference;
import com.answerline.ingest.client.SessionClient;
import com.answerline.ingest.config.SecurityConfig;
import com.answerline.ingest.config.ServiceClientsConfig;
import com.answerline.ingest.config.ServicesProperties;

/**
 * The gateway's thread read over real HTTP: the production client against a real server on 127.0.0.1 answering
 * session-service's thread contract ({@link FakeSessionThreads}), with its 404, 400 and 503; and the client's media
 * reference look-up.
 */
@WebFluxTest(controllers = ThreadController.class, properties = "answerline.ingest.services.read-timeout=1s")
@Import({SecurityConfig.class, GatewayFixtures.class, ServiceClientsConfig.class})
@ImportAutoConfiguration(WebClientAutoConfiguration.class)
@EnableConfigurationProperties(ServicesProperties.class)
class ThreadReadsIT {

    static final FakeSessionThreads SESSION = new FakeSessionThreads();
    static final String DEMO = GatewayFixtures.DEMO_CONVERSATION;
    static final String OTHER = "100000000000002:4915112345679";

    @Autowired
    WebTestClient client;

    @Autowired
    SessionClient sessions;

    @MockitoBean
    ReactiveJwtDecoder jwtDecoder;

    @DynamicPropertySource
    static void services(DynamicPropertyRegistry registry) {
        registry.add("answerline.ingest.services.session-url", SESSION::url);
        registry.add("answerline.ingest.services.dispatch-url", SESSION::url);
    }

    @AfterAll
    static void stop() {
        SESSION.close();
    }

    @BeforeEach
    void threads() {
        SESSION.down = false;
        SESSION.requests.clear();
        SESSION.threads.clear();
        SESSION.threads.put(DEMO, new FakeSessionThreads.Thread("demo", List.of(
                FakeSessionThreads.reply("cmd-1", "2026-11-25T11:31:00Z"),
                FakeSessionThreads.image(DEMO, "wamid.2", "MEDIA-1", "2026-11-25T11:30:00Z"),
                FakeSessionThreads.image(DEMO, "wamid.1", "MEDIA-0", "2026-11-25T11:00:00Z"))));
        SESSION.threads.put(OTHER, new FakeSessionThreads.Thread("other", List.of(
                FakeSessionThreads.image(OTHER, "wamid.9", "MEDIA-9", "2026-11-25T11:00:00Z"))));
        client = client.mutate().responseTimeout(Duration.ofSeconds(20)).build();
    }

    private static JwtMutator agentOf(String tenant) {
        return mockJwt().jwt(jwt -> jwt.tokenValue(GatewayFixtures.tokenValue(tenant)).subject("agent-7")
                        .claim("tenant_id", tenant))
                .authorities(new SimpleGrantedAuthority("ROLE_agent"));
    }

    @Test
    void shouldShowTheThreadNewestFirstWithTheDeliveryMediaLinkAndReactions() {
        client.mutateWith(agentOf("demo")).get().uri("/api/v1/conversations/{id}/messages", DEMO).exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody()
                .jsonPath("$.conversationId").isEqualTo(DEMO)
                .jsonPath("$.items.length()").isEqualTo(3)
                .jsonPath("$.items[0].id").isEqualTo("out:cmd-1/REPLY")
                .jsonPath("$.items[0].agentId").isEqualTo("agent-7")
                .jsonPath("$.items[0].delivery.state").isEqualTo("READ")
                .jsonPath("$.items[0].estimatedCost.amount").isEqualTo("0.0456")
                .jsonPath("$.items[0].media").doesNotExist()
                .jsonPath("$.items[1].media.href").isEqualTo("/api/v1/conversations/" + DEMO + "/media/MEDIA-1")
                .jsonPath("$.items[1].media.sizeBytes").isEqualTo(48213)
                .jsonPath("$.items[1].reactions[0].emoji").isEqualTo("👍")
                .jsonPath("$.items[1].at").isEqualTo("2026-11-25T11:30:00Z")
                .jsonPath("$.items[1].somethingNew").doesNotExist()
                .jsonPath("$.next").isEmpty();
        // The tenant is the token's (relayed, never a parameter), the default page size 50
        assertThat(SESSION.requests).singleElement().satisfies(uri -> assertThat(uri)
                .doesNotContain("tenantId").contains("limit=50").doesNotContain("before"));
    }

    @Test
    void shouldPageWithAReadyNextLink() {
        String next = client.mutateWith(agentOf("demo")).get().uri("/api/v1/conversations/{id}/messages?limit=2", DEMO)
                .exchange()
                .expectStatus().isOk()
                .expectBody(ThreadView.class).returnResult().getResponseBody().next();
        assertThat(next).isEqualTo("/api/v1/conversations/" + DEMO + "/messages?before=p2&limit=2");
        client.mutateWith(agentOf("demo")).get().uri(URI.create(next)).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.items.length()").isEqualTo(1)
                .jsonPath("$.items[0].id").isEqualTo("in:wamid.1")
                .jsonPath("$.next").isEmpty();
    }

    @Test
    void shouldAnswer404ForAnotherTenantsConversationWithoutAskingAndForAnUnknownOne() {
        client.mutateWith(agentOf("demo")).get().uri("/api/v1/conversations/{id}/messages", OTHER).exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(SESSION.requests).isEmpty();
        client.mutateWith(agentOf("demo")).get().uri("/api/v1/conversations/{id}/messages", "100000000000001:31699999999")
                .exchange()
                .expectStatus().isNotFound()
                .expectBody().jsonPath("$.type").isEqualTo("urn:answerline:problem:not-found");
    }

    @Test
    void shouldRefuseBadParametersNamingThem() {
        for (String[] bad : List.of(new String[] {"limit=0", "limit"}, new String[] {"limit=101", "limit"},
                new String[] {"limit=many", "limit"}, new String[] {"before=not%20a%20cursor", "before"},
                new String[] {"before=" + "A".repeat(2049), "before"})) {
            client.mutateWith(agentOf("demo")).get().uri("/api/v1/conversations/" + DEMO + "/messages?" + bad[0])
                    .exchange()
                    .expectStatus().isBadRequest()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.field").isEqualTo(bad[1]);
        }
        client.mutateWith(agentOf("demo")).get().uri("/api/v1/conversations/{id}/messages", "100000000000001:12")
                .exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.field").isEqualTo("conversationId");
        assertThat(SESSION.requests).isEmpty();
        // A well-formed cursor session-service did not hand out: its 400, naming the field
        client.mutateWith(agentOf("demo")).get().uri("/api/v1/conversations/{id}/messages?before=xyz", DEMO).exchange()
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.field").isEqualTo("before");
    }

    @Test
    void shouldAnswer503WithRetryAfterWhileSessionServiceCannotAnswer() {
        SESSION.down = true;
        client.mutateWith(agentOf("demo")).get().uri("/api/v1/conversations/{id}/messages", DEMO).exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().valueEquals("Retry-After", "4");
    }

    @Test
    void shouldLookUpAMediaReferenceOfTheTenantsConversationOnly() {
        // The tenant is the relayed token's
        Jwt agent = Jwt.withTokenValue(GatewayFixtures.tokenValue("demo")).header("alg", "none").subject("agent-7")
                .claim("tenant_id", "demo").build();
        Optional<MediaReference> found = sessions.mediaReference(agent, DEMO, "MEDIA-1").block();
        Optional<MediaReference> foreign = sessions.mediaReference(agent, OTHER, "MEDIA-9").block();
        Optional<MediaReference> unknown = sessions.mediaReference(agent, DEMO, "MEDIA-404").block();

        assertThat(found).contains(new MediaReference("MEDIA-1", "100000000000001", "image/jpeg", null, 48_213L,
                "in:wamid.2"));
        assertThat(foreign).isEmpty();
        assertThat(unknown).isEmpty();
    }
}
