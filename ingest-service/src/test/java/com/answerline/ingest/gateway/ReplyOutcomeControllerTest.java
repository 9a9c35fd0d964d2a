package com.answerline.ingest.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.security.test.web.reactive.server.SecurityMockServerConfigurers.mockJwt;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.test.web.reactive.server.SecurityMockServerConfigurers.JwtMutator;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

import com.answerline.avro.Channel;
import com.answerline.avro.DecisionExplanation;
import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.FallbackPolicy;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.WindowState;
import com.answerline.ingest.client.PeerClient;
import com.answerline.ingest.client.ServiceUnavailableException;
import com.answerline.ingest.config.SecurityConfig;
import com.answerline.ingest.query.OutcomeStoreUnavailableException;
import com.answerline.ingest.query.ReplyOutcomes;

@WebFluxTest(controllers = ReplyOutcomeController.class)
@Import(SecurityConfig.class)
class ReplyOutcomeControllerTest {

    private static final String COMMAND = "6f1c2d3e-0000-4000-8000-000000000001";
    private static final Instant AT = Instant.parse("2026-11-25T12:00:05Z");

    @Autowired
    WebTestClient client;

    @MockitoBean
    ReplyOutcomes outcomes;

    @MockitoBean
    ReactiveJwtDecoder jwtDecoder;

    @MockitoBean
    PeerClient peers;

    private static JwtMutator agentOf(String tenant) {
        return mockJwt().jwt(jwt -> jwt.subject("agent-7").claim("tenant_id", tenant))
                .authorities(new SimpleGrantedAuthority("ROLE_agent"));
    }

    @Test
    void shouldAnswerTheOutcomeOfOneOfTheTenantsCommands() {
        // Given an SMS fallback outcome of tenant demo
        when(outcomes.find(COMMAND)).thenReturn(Optional.of(smsFallback()));
        // When an agent of demo asks
        client.mutateWith(agentOf("demo")).get().uri("/api/v1/replies/{id}", COMMAND).exchange()
                // Then
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody()
                .jsonPath("$.commandId").isEqualTo(COMMAND)
                .jsonPath("$.conversationId").isEqualTo("100000000000001:31612345678")
                .jsonPath("$.status").isEqualTo("SENT")
                .jsonPath("$.final").isEqualTo(true)
                .jsonPath("$.channel").isEqualTo("SMS")
                .jsonPath("$.reason").isEqualTo("WINDOW_CLOSED_SMS_FALLBACK")
                .jsonPath("$.explanation.windowState").isEqualTo("CLOSED")
                .jsonPath("$.explanation.windowExpiresAt").isEqualTo("2026-11-24T10:00:00Z")
                .jsonPath("$.explanation.timeLeftMillis").isEqualTo(0)
                .jsonPath("$.explanation.policy").isEqualTo("SMS")
                .jsonPath("$.explanation.fallbackChain[0]").isEqualTo("SMS")
                .jsonPath("$.explanation.alternatives[0]").isEqualTo("WHATSAPP_TEMPLATE")
                .jsonPath("$.renderedText").isEqualTo("Your order ships today")
                .jsonPath("$.providerMessageId").isEqualTo("SM123")
                .jsonPath("$.errorCode").doesNotExist()
                .jsonPath("$.occurredAt").isEqualTo("2026-11-25T12:00:05Z");
    }

    @Test
    void shouldAnswer404ForAnotherTenantsCommandExactlyAsForAnUnknownOne() {
        // Given demo's outcome, then (second lookup) no outcome for the same id
        when(outcomes.find(COMMAND)).thenReturn(Optional.of(smsFallback()), Optional.empty());
        // When an agent of tenant other asks for demo's command, then a demo agent for the unknown one
        String foreign = client.mutateWith(agentOf("other")).get().uri("/api/v1/replies/{id}", COMMAND).exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(String.class).returnResult().getResponseBody();
        String unknown = client.mutateWith(agentOf("demo")).get().uri("/api/v1/replies/{id}", COMMAND).exchange()
                .expectStatus().isNotFound()
                .expectBody(String.class).returnResult().getResponseBody();
        // Then both answers are the same problem, which leaks nothing of demo's outcome
        assertThat(foreign).isEqualTo(unknown)
                .contains(ReplyOutcomeController.NOT_FOUND_DETAIL).doesNotContain("ships");
    }

    @Test
    void shouldAnswer404WithoutLookingUpAnOverlongId() {
        client.mutateWith(agentOf("demo")).get().uri("/api/v1/replies/{id}", "x".repeat(65)).exchange()
                .expectStatus().isNotFound();
        verify(outcomes, never()).find(anyString());
    }

    @Test
    void shouldAnswer503WhileTheStoreIsLoading() {
        when(outcomes.find(COMMAND)).thenThrow(new OutcomeStoreUnavailableException("streams REBALANCING"));
        client.mutateWith(agentOf("demo")).get().uri("/api/v1/replies/{id}", COMMAND).exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().exists("Retry-After")
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    }

    @Test
    void shouldForwardToTheOwnerWithTheAgentsTokenAndRelayItsAnswer() {
        // Given another instance owns the command's partition
        when(outcomes.remoteOwner(COMMAND)).thenReturn(Optional.of("127.0.0.1:18081"));
        HttpHeaders json = new HttpHeaders();
        json.setContentType(MediaType.APPLICATION_JSON);
        when(peers.replyOutcome(anyString(), anyString(), any()))
                .thenReturn(Mono.just(new ResponseEntity<>("{\"status\":\"SENT\"}".getBytes(StandardCharsets.UTF_8),
                        json, HttpStatus.OK)));
        // When an agent asks this instance with their bearer token
        when(jwtDecoder.decode("agent-token")).thenReturn(Mono.just(Jwt.withTokenValue("agent-token")
                .header("alg", "RS256").subject("agent-7").claim("tenant_id", "demo").claim("roles", List.of("agent"))
                .build()));
        client.get().uri("/api/v1/replies/{id}", COMMAND)
                .header(HttpHeaders.AUTHORIZATION, "Bearer agent-token").exchange()
                // Then the owner's answer comes back as it is, and the local store was not read
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody().jsonPath("$.status").isEqualTo("SENT");
        verify(peers).replyOutcome("127.0.0.1:18081", COMMAND, "Bearer agent-token");
        verify(outcomes, never()).find(anyString());
    }

    @Test
    void shouldAnswer503WhenTheOwnerCannotBeReached() {
        when(outcomes.remoteOwner(COMMAND)).thenReturn(Optional.of("127.0.0.1:18081"));
        when(peers.replyOutcome(anyString(), anyString(), any()))
                .thenReturn(Mono.error(new ServiceUnavailableException("ingest-service peer", null, "refused")));
        client.mutateWith(agentOf("demo")).get().uri("/api/v1/replies/{id}", COMMAND).exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().exists("Retry-After");
    }

    @Test
    void shouldAnswerAForwardedRequestFromTheLocalStoreOnly() {
        when(outcomes.find(COMMAND)).thenReturn(Optional.empty());
        client.mutateWith(agentOf("demo")).get().uri("/api/v1/replies/{id}", COMMAND)
                .header(PeerClient.FORWARDED_HEADER, "1").exchange()
                .expectStatus().isNotFound();
        verify(outcomes, never()).remoteOwner(anyString());
        verify(peers, never()).replyOutcome(anyString(), anyString(), any());
    }

    @Test
    void shouldRefuseCallersWithoutTokenOrAgentRole() {
        client.get().uri("/api/v1/replies/{id}", COMMAND).exchange().expectStatus().isUnauthorized();
        client.mutateWith(mockJwt().jwt(jwt -> jwt.claim("tenant_id", "demo"))).get()
                .uri("/api/v1/replies/{id}", COMMAND).exchange().expectStatus().isForbidden();
        verify(outcomes, never()).find(anyString());
    }

    private static DispatchOutcome smsFallback() {
        return DispatchOutcome.newBuilder()
                .setCommandId(COMMAND)
                .setTenantId("demo")
                .setConversationId("100000000000001:31612345678")
                .setStatus(OutcomeStatus.SENT)
                .setChannel(Channel.SMS)
                .setReason("WINDOW_CLOSED_SMS_FALLBACK")
                .setExplanation(DecisionExplanation.newBuilder()
                        .setWindowState(WindowState.CLOSED)
                        .setWindowExpiresAt(Instant.parse("2026-11-24T10:00:00Z"))
                        .setTimeLeftMillis(0L)
                        .setPolicy(FallbackPolicy.SMS)
                        .setFallbackChain(List.of("SMS"))
                        .setAlternatives(List.of("WHATSAPP_TEMPLATE"))
                        .build())
                .setRenderedText("Your order ships today")
                .setProviderMessageId("SM123")
                .setFinal$(true)
                .setOccurredAt(AT)
                .build();
    }
}
