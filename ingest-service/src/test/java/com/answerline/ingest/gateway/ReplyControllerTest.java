package com.answerline.ingest.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.security.test.web.reactive.server.SecurityMockServerConfigurers.mockJwt;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.test.web.reactive.server.SecurityMockServerConfigurers.JwtMutator;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.core.publisher.Mono;

import com.answerline.avro.FallbackPolicy;
import com.answerline.avro.ReplyCommand;
import com.answerline.ingest.config.SecurityConfig;
import com.answerline.ingest.publish.EventPublisher;
import com.answerline.ingest.publish.OutgoingRecord;
import com.answerline.schemas.topic.Topics;

@WebFluxTest(controllers = ReplyController.class)
@Import({SecurityConfig.class, GatewayFixtures.class})
class ReplyControllerTest {

    private static final Instant NOW = GatewayFixtures.NOW;
    private static final String DEMO_CONVERSATION = GatewayFixtures.DEMO_CONVERSATION;

    @Autowired
    WebTestClient client;

    @MockitoBean
    EventPublisher publisher;

    @MockitoBean
    ReactiveJwtDecoder jwtDecoder;

    @BeforeEach
    void kafkaAcknowledges() {
        when(publisher.publish(anyList())).thenReturn(Mono.empty());
    }

    private static JwtMutator agentOf(String tenant) {
        return mockJwt().jwt(jwt -> jwt.subject("agent-7").claim("tenant_id", tenant).claim("name", "Alex"))
                .authorities(new SimpleGrantedAuthority("ROLE_agent"));
    }

    private WebTestClient.ResponseSpec post(JwtMutator token, String conversation, String json) {
        return client.mutateWith(token).post().uri("/api/v1/conversations/{id}/replies", conversation)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(json).exchange();
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldAcceptAReplyAndPublishTheCommandKeyedByConversation() {
        // When
        var result = post(agentOf("demo"), DEMO_CONVERSATION, "{\"text\":\"Your order ships today\",\"fallback\":\"SMS\"}")
                .expectStatus().isAccepted()
                .expectHeader().valueMatches("Location", "/api/v1/replies/[0-9a-f-]{36}")
                .expectBody()
                .jsonPath("$.status").isEqualTo("PENDING")
                .jsonPath("$.links.outcome").value(v -> assertThat((String) v).startsWith("/api/v1/replies/"))
                .returnResult();
        // Then
        ArgumentCaptor<List<OutgoingRecord<?>>> captor = ArgumentCaptor.forClass(List.class);
        verify(publisher).publish(captor.capture());
        OutgoingRecord<?> record = captor.getValue().get(0);
        assertThat(record.topic()).isEqualTo(Topics.REPLY_COMMANDS);
        assertThat(record.key()).isEqualTo(DEMO_CONVERSATION);
        ReplyCommand command = (ReplyCommand) record.value();
        assertThat(command.getAgentId()).isEqualTo("agent-7");
        assertThat(command.getAgentName()).isEqualTo("Alex");
        assertThat(command.getTenantId()).isEqualTo("demo");
        assertThat(command.getFallback()).isEqualTo(FallbackPolicy.SMS);
        assertThat(command.getIssuedAt()).isEqualTo(NOW);
        assertThat(new String(result.getResponseBody())).contains(command.getCommandId());
    }

    @Test
    void shouldAnswer404ForAnotherTenantsConversationExactlyAsForAnUnknownOne() {
        post(agentOf("other"), DEMO_CONVERSATION, "{\"text\":\"hi\"}")
                .expectStatus().isNotFound();
        post(agentOf("demo"), "999999999:31612345678", "{\"text\":\"hi\"}")
                .expectStatus().isNotFound();
        verify(publisher, never()).publish(anyList());
    }

    @Test
    void shouldRequireTextOrTemplate() {
        post(agentOf("demo"), DEMO_CONVERSATION, "{\"fallback\":\"SMS\"}")
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.field").isEqualTo("text");
        verify(publisher, never()).publish(anyList());
    }

    @Test
    void shouldRefuseATextLongerThanWhatsAppsLimit() {
        String tooLong = "a".repeat(4097);
        post(agentOf("demo"), DEMO_CONVERSATION, "{\"text\":\"" + tooLong + "\"}")
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.field").isEqualTo("text");
        post(agentOf("demo"), DEMO_CONVERSATION, "{\"text\":\"" + "a".repeat(4096) + "\"}")
                .expectStatus().isAccepted();
    }

    @Test
    void shouldNameTheTemplateFieldAndTheFallbackThatAreWrong() {
        post(agentOf("demo"), DEMO_CONVERSATION, "{\"template\":{\"name\":\"closed_hours\"}}")
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.field").isEqualTo("template.language");
        post(agentOf("demo"), DEMO_CONVERSATION, "{\"text\":\"hi\",\"fallback\":\"CARRIER_PIGEON\"}")
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.field").isEqualTo("fallback");
    }

    @Test
    void shouldAnswerMalformedJsonWithAProblem() {
        post(agentOf("demo"), DEMO_CONVERSATION, "{\"text\": ")
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        verify(publisher, never()).publish(anyList());
    }

    @Test
    void shouldRefuseAMalformedConversationId() {
        post(agentOf("demo"), "not-a-conversation", "{\"text\":\"hi\"}")
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.field").isEqualTo("conversationId");
        post(agentOf("demo"), "100000000000001:999612345678", "{\"text\":\"hi\"}")
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.field").isEqualTo("conversationId");
        verify(publisher, never()).publish(anyList());
    }

    @Test
    void shouldAcceptAReplyToACustomerKnownOnlyByBsuid() {
        post(agentOf("demo"), "100000000000001:US.13491208655302741918", "{\"text\":\"hi\"}")
                .expectStatus().isAccepted();
    }

    @Test
    void shouldGiveTheSameCommandIdForAReplayedIdempotencyKey() {
        String first = client.mutateWith(agentOf("demo")).post().uri("/api/v1/conversations/{id}/replies", DEMO_CONVERSATION)
                .header("Idempotency-Key", "k-1").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"text\":\"hi\"}")
                .exchange().expectStatus().isAccepted().expectBody(ReplyAccepted.class).returnResult().getResponseBody().commandId();
        String replay = client.mutateWith(agentOf("demo")).post().uri("/api/v1/conversations/{id}/replies", DEMO_CONVERSATION)
                .header("Idempotency-Key", "k-1").contentType(MediaType.APPLICATION_JSON).bodyValue("{\"text\":\"hi\"}")
                .exchange().expectStatus().isAccepted().expectBody(ReplyAccepted.class).returnResult().getResponseBody().commandId();
        assertThat(replay).isEqualTo(first);
    }

    @Test
    void shouldRefuseAnonymousCallersAndTokensWithoutTheAgentRole() {
        client.post().uri("/api/v1/conversations/{id}/replies", DEMO_CONVERSATION)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"text\":\"hi\"}")
                .exchange().expectStatus().isUnauthorized();
        post(mockJwt().jwt(jwt -> jwt.claim("tenant_id", "demo")).authorities(new SimpleGrantedAuthority("ROLE_viewer")),
                DEMO_CONVERSATION, "{\"text\":\"hi\"}")
                .expectStatus().isForbidden();
        verify(publisher, never()).publish(anyList());
    }
}
