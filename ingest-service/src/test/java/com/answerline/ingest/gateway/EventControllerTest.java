package com.answerline.ingest.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.security.test.web.reactive.server.SecurityMockServerConfigurers.mockJwt;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.test.web.reactive.server.SecurityMockServerConfigurers.JwtMutator;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

import com.answerline.ingest.config.EventStreamProperties;
import com.answerline.ingest.config.SecurityConfig;
import com.answerline.ingest.events.LiveEvents;

/**
 * {@code GET /api/v1/events}: who may open a stream, and the problems it answers instead of a stream (the caps per
 * agent, per tenant and per instance, a token already past its expiry).
 */
@WebFluxTest(controllers = EventController.class)
@Import({SecurityConfig.class, GatewayFixtures.class, EventControllerTest.TwoStreams.class})
class EventControllerTest {

    @Autowired
    WebTestClient client;

    @MockitoBean
    ReactiveJwtDecoder jwtDecoder;

    /** The real fan-out, capped at three streams per instance, one per agent and two per tenant. */
    @TestConfiguration(proxyBeanMethods = false)
    static class TwoStreams {
        @Bean
        SimpleMeterRegistry meters() {
            return new SimpleMeterRegistry();
        }

        @Bean
        LiveEvents liveEvents(Clock clock, SimpleMeterRegistry meters) {
            return new LiveEvents(new EventStreamProperties(3, 1, 2, Duration.ofMinutes(10), 16, 100), clock, meters);
        }
    }

    @Autowired
    SimpleMeterRegistry meters;

    /** Each test starts with no stream open: the previous test's are closed once their cancellation reached the server. */
    @BeforeEach
    void noStreamOpen() {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> meters.get("ingest.gateway.sse.streams").gauge().value() == 0);
    }

    private static JwtMutator agentOf(String tenant) {
        return agent("agent-7", tenant);
    }

    /** An agent's token that expires in an hour (the fixtures' clock). */
    private static JwtMutator agent(String agent, String tenant) {
        return token(agent, tenant, GatewayFixtures.NOW.plus(Duration.ofHours(1)));
    }

    private static JwtMutator token(String agent, String tenant, Instant expiresAt) {
        return mockJwt().jwt(jwt -> jwt.subject(agent).claim("tenant_id", tenant).expiresAt(expiresAt))
                .authorities(new SimpleGrantedAuthority("ROLE_agent"));
    }

    private WebTestClient.ResponseSpec open(JwtMutator token, String query) {
        return client.mutateWith(token).get().uri("/api/v1/events" + query)
                .accept(MediaType.TEXT_EVENT_STREAM).exchange();
    }

    @Test
    void shouldOpenAnEventStreamThatStartsWithAComment() {
        var result = open(agentOf("demo"), "").expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_EVENT_STREAM)
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() { });
        StepVerifier.create(result.getResponseBody())
                .assertNext(sse -> assertThat(sse.comment()).isEqualTo("stream open"))
                .thenCancel()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void shouldAnswerAnotherTenantsConversationWith404AndAMalformedOneWith400() {
        open(agentOf("other"), "?conversationId=100000000000001:31612345678")
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        open(agentOf("demo"), "?conversationId=nonsense")
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.field").isEqualTo("conversationId");
    }

    @Test
    void shouldAnswer503WithRetryAfterAboveTheInstanceCap() {
        // Given three open streams (the instance's cap) of three agents, two tenants
        List<Disposable> open = List.of(stream(agent("i-1", "demo")), stream(agent("i-2", "demo")),
                stream(agent("i-3", "other")));
        try {
            // When a fourth is asked for, then 503 with Retry-After
            open(agent("i-4", "other"), "").expectStatus().isEqualTo(503)
                    .expectHeader().exists("Retry-After")
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        } finally {
            open.forEach(Disposable::dispose);
        }
    }

    @Test
    void shouldAnswer429NamingTheAgentCapWhenOneAgentAsksForMoreThanTheirShare() {
        // Given agent a-1 holds a stream (the agent cap here is one)
        Disposable first = stream(agent("a-1", "demo"));
        try {
            // When they ask for another, then 429 problem details naming the agent cap, with Retry-After
            open(agent("a-1", "demo"), "?conversationId=" + GatewayFixtures.DEMO_CONVERSATION)
                    .expectStatus().isEqualTo(429)
                    .expectHeader().valueEquals("Retry-After", "30")
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.status").isEqualTo(429)
                    .jsonPath("$.cap").isEqualTo("agent")
                    .jsonPath("$.max").isEqualTo(1);
            // And another agent of the same tenant still gets a stream
            stream(agent("a-2", "demo")).dispose();
        } finally {
            first.dispose();
        }
    }

    @Test
    void shouldAnswer429NamingTheTenantCapWhenOneTenantAsksForMoreThanItsShare() {
        // Given two agents of demo hold a stream each (the tenant cap here is two)
        List<Disposable> open = List.of(stream(agent("t-1", "demo")), stream(agent("t-2", "demo")));
        try {
            // When a third agent of demo asks, then 429 naming the tenant cap
            open(agent("t-3", "demo"), "").expectStatus().isEqualTo(429)
                    .expectHeader().exists("Retry-After")
                    .expectBody().jsonPath("$.cap").isEqualTo("tenant");
        } finally {
            open.forEach(Disposable::dispose);
        }
    }

    @Test
    void shouldAnswer401ToATokenPastItsExpiry() {
        // Given a token that expired a second ago (the decoder allows some clock skew, the stream does not)
        open(token("e-1", "demo", GatewayFixtures.NOW.minusSeconds(1)), "")
                .expectStatus().isUnauthorized()
                .expectHeader().valueMatches("WWW-Authenticate", "Bearer error=\"invalid_token\".*")
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    }

    /** Opens a stream and waits for its first line, so that it is counted before the test goes on. */
    private Disposable stream(JwtMutator token) {
        var opened = new CountDownLatch(1);
        Disposable stream = open(token, "").expectStatus().isOk()
                .returnResult(new ParameterizedTypeReference<ServerSentEvent<String>>() { }).getResponseBody()
                .subscribe(sse -> opened.countDown());
        try {
            assertThat(opened.await(10, TimeUnit.SECONDS)).isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return stream;
    }

    @Test
    void shouldRefuseAnonymousCallers() {
        client.get().uri("/api/v1/events").accept(MediaType.TEXT_EVENT_STREAM).exchange().expectStatus().isUnauthorized();
    }
}
