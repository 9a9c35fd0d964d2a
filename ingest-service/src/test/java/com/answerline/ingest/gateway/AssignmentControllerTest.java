package com.answerline.ingest.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.security.test.web.reactive.server.SecurityMockServerConfigurers.mockJwt;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

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
import com.answerline.ingest.client.ServiceUnavailableException;
import com.answerline.ingest.client.SessionClient;
import com.answerline.ingest.client.SessionView;
import com.answerline.ingest.config.SecurityConfig;
import com.answerline.ingest.publish.EventPublisher;
import com.answerline.ingest.publish.OutgoingRecord;
import com.answerline.schemas.topic.Topics;

/**
 * {@code PUT|DELETE …/assignee}: the role rules (an agent takes an unassigned conversation and releases their own;
 * another agent's needs a supervisor), the tenant gate and the published change. session-service's answer (who holds
 * the conversation) is stubbed here; its wire contract is {@link ConversationReadsIT}'s.
 */
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

    @MockitoBean
    SessionClient sessions;

    @BeforeEach
    void kafkaAcknowledgesAndSessionKnowsNothing() {
        when(publisher.publish(anyList())).thenReturn(Mono.empty());
        when(sessions.find(any(), anyString())).thenReturn(Mono.just(Optional.empty()));
    }

    /** session-service answers the demo conversation held by {@code assigneeId} (null: nobody). */
    private void heldBy(String assigneeId) {
        when(sessions.find(any(), eq(DEMO_CONVERSATION))).thenReturn(Mono.just(Optional.of(session("demo", assigneeId))));
    }

    private static SessionView session(String tenant, String assigneeId) {
        return new SessionView(DEMO_CONVERSATION, tenant, "100000000000001", 4, true, NOW.minusSeconds(3600),
                NOW.plusSeconds(82_800), NOW.minusSeconds(3600), false, "31612345678", null, "Ada", assigneeId,
                assigneeId == null ? null : NOW.minusSeconds(60), NOW.minusSeconds(3600), null, "WHATSAPP",
                NOW.minusSeconds(3600), null, null, null, 1, 0, false, NOW, "OPEN", 82_800L, null);
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
    void shouldLetAnAgentTakeAnUnassignedConversation() {
        // Given nobody holds the conversation
        heldBy(null);
        // When alice takes it, then 202 and the change names her
        put(caller("alice", "demo", "agent"), DEMO_CONVERSATION, "{\"agentId\":\"alice\"}").expectStatus().isAccepted();
        assertThat(published().getAssigneeId()).isEqualTo("alice");
    }

    @Test
    void shouldForbidAnAgentToTakeAnotherAgentsConversationNamingTheHolder() {
        // Given bob holds the conversation
        heldBy("bob");
        // When alice (an agent) tries to take it, then 403 problem details naming bob, and nothing is published
        put(caller("alice", "demo", "agent"), DEMO_CONVERSATION, "{\"agentId\":\"alice\"}")
                .expectStatus().isForbidden()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(403)
                .jsonPath("$.assigneeId").isEqualTo("bob")
                .jsonPath("$.detail").isEqualTo("this conversation is assigned to bob; taking over another agent's "
                        + "conversation needs the supervisor role");
        verify(publisher, never()).publish(anyList());
    }

    @Test
    void shouldLetAnAgentTakeAgainAConversationTheyAlreadyHold() {
        heldBy("alice");
        put(caller("alice", "demo", "agent"), DEMO_CONVERSATION, "{\"agentId\":\"alice\"}").expectStatus().isAccepted();
    }

    @Test
    void shouldLetASupervisorTakeOverAnotherAgentsConversation() {
        // Given bob holds the conversation
        heldBy("bob");
        // When sue (a supervisor) assigns it to herself, then 202 and the change names her
        put(caller("sue", "demo", "supervisor"), DEMO_CONVERSATION, "{\"agentId\":\"sue\"}").expectStatus().isAccepted();
        assertThat(published().getAssigneeId()).isEqualTo("sue");
        // And a supervisor's change does not depend on session-service's answer: it was not asked
        verify(sessions, never()).find(any(), anyString());
    }

    @Test
    void shouldLetAnAgentReleaseTheirOwnConversation() {
        heldBy("alice");
        delete(caller("alice", "demo", "agent"), DEMO_CONVERSATION).expectStatus().isAccepted();
        assertThat(published().getAssigneeId()).isNull();
    }

    @Test
    void shouldForbidAnAgentToReleaseAnotherAgentsConversation() {
        // Given bob holds the conversation
        heldBy("bob");
        // When alice (an agent) releases it, then 403 naming bob, and nothing is published
        delete(caller("alice", "demo", "agent"), DEMO_CONVERSATION)
                .expectStatus().isForbidden()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.assigneeId").isEqualTo("bob")
                .jsonPath("$.detail").isEqualTo("this conversation is assigned to bob; releasing another agent's "
                        + "conversation needs the supervisor role");
        verify(publisher, never()).publish(anyList());
    }

    @Test
    void shouldLetASupervisorReleaseAnotherAgentsConversation() {
        heldBy("bob");
        delete(caller("sue", "demo", "supervisor"), DEMO_CONVERSATION).expectStatus().isAccepted()
                .expectBody().jsonPath("$.changedBy").isEqualTo("sue");
        assertThat(published().getAssigneeId()).isNull();
    }

    @Test
    void shouldAnswer503WhileSessionServiceCannotSayWhoHoldsTheConversation() {
        // Given session-service does not answer
        when(sessions.find(any(), eq(DEMO_CONVERSATION))).thenReturn(Mono.error(
                new ServiceUnavailableException("session-service", Duration.ofSeconds(7), "503")));
        // When an agent takes the conversation, then 503 with Retry-After, and nothing is published
        put(caller("alice", "demo", "agent"), DEMO_CONVERSATION, "{\"agentId\":\"alice\"}")
                .expectStatus().isEqualTo(503).expectHeader().exists("Retry-After");
        verify(publisher, never()).publish(anyList());
    }

    @Test
    void shouldAnswer404WhenSessionServiceSaysTheConversationIsAnotherTenants() {
        when(sessions.find(any(), eq(DEMO_CONVERSATION))).thenReturn(Mono.just(Optional.of(session("other", null))));
        delete(caller("alice", "demo", "agent"), DEMO_CONVERSATION).expectStatus().isNotFound();
        verify(publisher, never()).publish(anyList());
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
