package com.answerline.ingest.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.reactive.server.SecurityMockServerConfigurers.mockJwt;

import java.time.Duration;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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
import reactor.test.StepVerifier;

import com.answerline.ingest.config.EventStreamProperties;
import com.answerline.ingest.config.SecurityConfig;
import com.answerline.ingest.events.LiveEvents;

/** {@code GET /api/v1/events}: who may open a stream, and the problems it answers instead of a stream. */
@WebFluxTest(controllers = EventController.class)
@Import({SecurityConfig.class, GatewayFixtures.class, EventControllerTest.TwoStreams.class})
class EventControllerTest {

    @Autowired
    WebTestClient client;

    @MockitoBean
    ReactiveJwtDecoder jwtDecoder;

    /** The real fan-out, capped at two streams. */
    @TestConfiguration(proxyBeanMethods = false)
    static class TwoStreams {
        @Bean
        LiveEvents liveEvents() {
            return new LiveEvents(new EventStreamProperties(2, Duration.ofMinutes(10), 16, 100), new SimpleMeterRegistry());
        }
    }

    private static JwtMutator agentOf(String tenant) {
        return mockJwt().jwt(jwt -> jwt.subject("agent-7").claim("tenant_id", tenant))
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
    void shouldAnswer503WithRetryAfterAboveTheCap() {
        // Given two open streams (the cap here)
        var first = open(agentOf("demo"), "").returnResult(String.class).getResponseBody().subscribe();
        var second = open(agentOf("demo"), "").returnResult(String.class).getResponseBody().subscribe();
        try {
            // When a third is asked for, then 503 with Retry-After
            open(agentOf("demo"), "").expectStatus().isEqualTo(503)
                    .expectHeader().exists("Retry-After")
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        } finally {
            first.dispose();
            second.dispose();
        }
    }

    @Test
    void shouldRefuseAnonymousCallers() {
        client.get().uri("/api/v1/events").accept(MediaType.TEXT_EVENT_STREAM).exchange().expectStatus().isUnauthorized();
    }
}
