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

import com.answerline.avro.AssignmentChanged;
import com.answerline.ingest.config.SecurityConfig;
import com.answerline.ingest.publish.EventPublisher;
import com.answerline.ingest.publish.OutgoingRecord;
import com.answerline.schemas.topic.Topics;

@WebFluxTest(controllers = AssignmentController.class)
@Import({SecurityConfig.class, GatewayFixtures.class})
class AssignmentControllerTest {

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

    private static JwtMutator caller(String subject, String tenant, String role) {
        return mockJwt().jwt(jwt -> jwt.subject(subject).claim("tenant_id", tenant))
                .authorities(new SimpleGrantedAuthority("ROLE_" + role));
    }

    private WebTestClient.ResponseSpec put(JwtMutator token, String conversation, String json) {
        return client.mutateWith(token).put().uri("/api/v1/conversations/{id}/assignee", conversation)
                .contentType(MediaType.APPLICATION_JSON).bodyValue(json).exchange();
    }

    private WebTestClient.ResponseSpec delete(JwtMutator token, String conversation) {
        return client.mutateWith(token).delete().uri("/api/v1/conversations/{id}/assignee", conversation).exchange();
    }

    @SuppressWarnings("unchecked")
    private AssignmentChanged published() {
        ArgumentCaptor<List<OutgoingRecord<?>>> captor = ArgumentCaptor.forClass(List.class);
        verify(publisher).publish(captor.capture());
        OutgoingRecord<?> record = captor.getValue().get(0);
        assertThat(record.topic()).isEqualTo(Topics.ASSIGNMENT_CHANGES);
        assertThat(record.key()).isEqualTo(DEMO_CONVERSATION);
        assertThat(record.timestamp()).isEqualTo(NOW);
        return (AssignmentChanged) record.value();
    }

    @Test
    void shouldLetAnAgentTakeAConversationAndPublishTheChange() {
        // When
        put(caller("alice", "demo", "agent"), DEMO_CONVERSATION, "{\"agentId\":\"alice\"}")
                .expectStatus().isAccepted()
                .expectBody()
                .jsonPath("$.conversationId").isEqualTo(DEMO_CONVERSATION)
                .jsonPath("$.assigneeId").isEqualTo("alice")
                .jsonPath("$.changedBy").isEqualTo("alice")
                .jsonPath("$.changedAt").isEqualTo("2026-11-25T12:00:00Z");
        // Then
        AssignmentChanged change = published();
        assertThat(change.getTenantId()).isEqualTo("demo");
        assertThat(change.getAssigneeId()).isEqualTo("alice");
        assertThat(change.getChangedBy()).isEqualTo("alice");
        assertThat(change.getChangedAt()).isEqualTo(NOW);
    }

    @Test
    void shouldForbidAnAgentToAssignSomeoneElse() {
        put(caller("alice", "demo", "agent"), DEMO_CONVERSATION, "{\"agentId\":\"bob\"}")
                .expectStatus().isForbidden()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.status").isEqualTo(403);
        verify(publisher, never()).publish(anyList());
    }

    @Test
    void shouldLetASupervisorAssignAnyoneAndUnassign() {
        // When a supervisor assigns bob
        put(caller("sue", "demo", "supervisor"), DEMO_CONVERSATION, "{\"agentId\":\"bob\"}")
                .expectStatus().isAccepted()
                .expectBody().jsonPath("$.assigneeId").isEqualTo("bob").jsonPath("$.changedBy").isEqualTo("sue");
        // Then the change names bob as assignee and sue as its author
        AssignmentChanged change = published();
        assertThat(change.getAssigneeId()).isEqualTo("bob");
        assertThat(change.getChangedBy()).isEqualTo("sue");
    }

    @Test
    void shouldPublishAnUnassignmentWithoutAssignee() {
        delete(caller("alice", "demo", "agent"), DEMO_CONVERSATION)
                .expectStatus().isAccepted()
                .expectBody().jsonPath("$.assigneeId").doesNotExist().jsonPath("$.changedBy").isEqualTo("alice");
        assertThat(published().getAssigneeId()).isNull();
    }

    @Test
    void shouldForbidCallersWithNeitherRoleWithAProblem() {
        put(caller("vic", "demo", "viewer"), DEMO_CONVERSATION, "{\"agentId\":\"vic\"}")
                .expectStatus().isForbidden()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        delete(caller("vic", "demo", "viewer"), DEMO_CONVERSATION)
                .expectStatus().isForbidden()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        client.put().uri("/api/v1/conversations/{id}/assignee", DEMO_CONVERSATION)
                .contentType(MediaType.APPLICATION_JSON).bodyValue("{\"agentId\":\"x\"}")
                .exchange().expectStatus().isUnauthorized();
        verify(publisher, never()).publish(anyList());
    }

    @Test
    void shouldAnswer404ForAnotherTenantsConversationExactlyAsForAnUnknownOne() {
        // Given a supervisor of tenant other, and the demo conversation
        byte[] foreign = put(caller("sue", "other", "supervisor"), DEMO_CONVERSATION, "{\"agentId\":\"sue\"}")
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().returnResult().getResponseBody();
        byte[] unknown = put(caller("sue", "other", "supervisor"), "999999999:31612345678", "{\"agentId\":\"sue\"}")
                .expectStatus().isNotFound().expectBody().returnResult().getResponseBody();
        // Then both answers are the same but for the id in "instance", and nothing is published
        assertThat(new String(foreign)).isEqualTo(new String(unknown).replace("999999999", "100000000000001"));
        delete(caller("sue", "other", "supervisor"), DEMO_CONVERSATION).expectStatus().isNotFound();
        verify(publisher, never()).publish(anyList());
    }

    @Test
    void shouldNameTheFieldThatIsWrong() {
        put(caller("sue", "demo", "supervisor"), DEMO_CONVERSATION, "{}")
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.field").isEqualTo("agentId");
        put(caller("sue", "demo", "supervisor"), "not-a-conversation", "{\"agentId\":\"bob\"}")
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.field").isEqualTo("conversationId");
        put(caller("sue", "demo", "supervisor"), "100000000000001:0031612345678", "{\"agentId\":\"bob\"}")
                .expectStatus().isBadRequest()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.field").isEqualTo("conversationId");
        delete(caller("sue", "demo", "supervisor"), "100000000000001:us.1349")
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.field").isEqualTo("conversationId");
        verify(publisher, never()).publish(anyList());
    }
}
