package com.answerline.ingest.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.springframework.security.test.web.reactive.server.SecurityMockServerConfigurers.mockJwt;

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

import com.answerline.avro.ContentCategory;
import com.answerline.avro.FallbackPolicy;
import com.answerline.avro.ReplyAcceptance;
import com.answerline.avro.ReplyCommand;
import com.answerline.ingest.config.SecurityConfig;
import com.answerline.ingest.publish.EventPublisher;
import com.answerline.ingest.publish.OutgoingRecord;
import com.answerline.ingest.publish.PublishFailedException;
import com.answerline.ingest.query.AcceptedReplies;
import com.answerline.ingest.query.IdempotencyStoreUnavailableException;
import com.answerline.schemas.topic.Topics;

@WebFluxTest(controllers = ReplyController.class)
@Import({SecurityConfig.class, GatewayFixtures.class, ReplyAcceptances.class})
class ReplyControllerTest {

    private static final Instant NOW = GatewayFixtures.NOW;
    private static final String DEMO_CONVERSATION = GatewayFixtures.DEMO_CONVERSATION;

    @Autowired
    WebTestClient client;

    @MockitoBean
    EventPublisher publisher;

    @MockitoBean
    ReactiveJwtDecoder jwtDecoder;

    @MockitoBean
    AcceptedReplies table;

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
        assertThat(command.getCategory()).as("not marked").isNull();
        assertThat(command.getIssuedAt()).isEqualTo(NOW);
        assertThat(new String(result.getResponseBody())).contains(command.getCommandId());
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldAcceptTemplateThenHoldAsTheCommandsFallback() {
        // When an agent asks dispatch to hold the answer until the customer is back
        post(agentOf("demo"), DEMO_CONVERSATION, "{\"text\":\"Your refund was approved\",\"fallback\":\"TEMPLATE_THEN_HOLD\"}")
                .expectStatus().isAccepted();
        // Then the command carries that policy
        ArgumentCaptor<List<OutgoingRecord<?>>> captor = ArgumentCaptor.forClass(List.class);
        verify(publisher).publish(captor.capture());
        ReplyCommand command = (ReplyCommand) captor.getValue().get(0).value();
        assertThat(command.getFallback()).isEqualTo(FallbackPolicy.TEMPLATE_THEN_HOLD);
        assertThat(command.getText()).isEqualTo("Your refund was approved");
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldCarryTheUtilityMarkAndTheDirectSendFallbackOntoTheCommand() {
        // When the agent marks the text as utility and asks for Direct Send (spelled in any case)
        post(agentOf("demo"), DEMO_CONVERSATION,
                "{\"text\":\"Your order 1234 has shipped\",\"fallback\":\"direct_send\",\"category\":\"utility\"}")
                .expectStatus().isAccepted();

        // Then the command carries both, for dispatch to decide on
        ArgumentCaptor<List<OutgoingRecord<?>>> captor = ArgumentCaptor.forClass(List.class);
        verify(publisher).publish(captor.capture());
        ReplyCommand command = (ReplyCommand) captor.getValue().get(0).value();
        assertThat(command.getFallback()).isEqualTo(FallbackPolicy.DIRECT_SEND);
        assertThat(command.getCategory()).isEqualTo(ContentCategory.UTILITY);
    }

    @Test
    void shouldRefuseAnyOtherCategoryNamingItAndPublishNothing() {
        // Marketing is not utility, UNSPECIFIED is the contract's reading default and no mark, "" says nothing
        for (String category : List.of("\"MARKETING\"", "\"UNSPECIFIED\"", "\"\"", "\"utility!\"", "42")) {
            post(agentOf("demo"), DEMO_CONVERSATION, "{\"text\":\"hi\",\"category\":" + category + "}")
                    .expectStatus().isBadRequest()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody().jsonPath("$.field").isEqualTo("category");
        }
        verify(publisher, never()).publish(anyList());
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

    private WebTestClient.ResponseSpec postWithKey(String key, String json) {
        return client.mutateWith(agentOf("demo")).post().uri("/api/v1/conversations/{id}/replies", DEMO_CONVERSATION)
                .header("Idempotency-Key", key).contentType(MediaType.APPLICATION_JSON).bodyValue(json).exchange();
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldPublishTheCommandThenItsAcceptanceOnceAndAnswerAReplayWithTheSame202() {
        // Given a reply accepted under a key
        var first = postWithKey("k-1", "{\"text\":\"hi\"}").expectStatus().isAccepted()
                .expectHeader().doesNotExist(ReplyController.REPLAYED_HEADER)
                .expectBody(String.class).returnResult();
        // When the same request is replayed
        var replay = postWithKey("k-1", "{\"text\":\"hi\",\"fallback\":\"auto\"}").expectStatus().isAccepted()
                .expectHeader().valueEquals(ReplyController.REPLAYED_HEADER, "true")
                .expectBody(String.class).returnResult();
        // Then the replay's answer is the first one's, and two publishes carried the command, then its acceptance
        assertThat(replay.getResponseBody()).isEqualTo(first.getResponseBody());
        assertThat(replay.getResponseHeaders().getLocation()).isEqualTo(first.getResponseHeaders().getLocation());
        ArgumentCaptor<List<OutgoingRecord<?>>> captor = ArgumentCaptor.forClass(List.class);
        verify(publisher, times(2)).publish(captor.capture());
        assertThat(captor.getAllValues()).extracting(records -> records.size()).containsExactly(1, 1);
        assertThat(captor.getAllValues()).extracting(records -> records.get(0).topic().name())
                .containsExactly(Topics.REPLY_COMMANDS.name(), Topics.REPLY_ACCEPTANCES.name());
        ReplyCommand command = (ReplyCommand) captor.getAllValues().get(0).get(0).value();
        OutgoingRecord<?> acceptanceRecord = captor.getAllValues().get(1).get(0);
        ReplyAcceptance acceptance = (ReplyAcceptance) acceptanceRecord.value();
        assertThat(acceptanceRecord.key()).isEqualTo(command.getCommandId());
        assertThat(acceptance.getCommandId()).isEqualTo(command.getCommandId());
        assertThat(acceptance.getRequestFingerprint()).isEqualTo(ReplyCommands.fingerprint(new ReplyRequest("hi", null, null)));
        assertThat(acceptance.getAcceptedAt()).isEqualTo(NOW);
        assertThat(first.getResponseBody()).contains(command.getCommandId());
    }

    @Test
    void shouldNotPublishTheAcceptanceOfACommandKafkaDidNotAcknowledge() {
        // Given Kafka does not acknowledge the reply's command
        when(publisher.publish(argThat(records -> records != null && records.get(0).topic() == Topics.REPLY_COMMANDS)))
                .thenReturn(Mono.error(new PublishFailedException("Kafka did not acknowledge the records", null)));
        // When a reply is sent with a key, then it is not accepted
        postWithKey("k-8", "{\"text\":\"hi\"}").expectStatus().isEqualTo(503);
        // And no acceptance was published, so a retry is not answered as a replay of a reply that is not on Kafka
        ArgumentCaptor<List<OutgoingRecord<?>>> captor = ArgumentCaptor.forClass(List.class);
        verify(publisher).publish(captor.capture());
        assertThat(captor.getValue()).extracting(r -> r.topic().name()).containsExactly(Topics.REPLY_COMMANDS.name());
    }

    @Test
    void shouldAnswerAReplayFromTheGlobalTableWithoutPublishing() {
        // Given the table holds an acceptance of this key (another instance, or before a restart)
        String commandId = ReplyCommands.commandId("demo", "agent-7", com.answerline.schemas.conversation.ConversationId.parse(DEMO_CONVERSATION),
                new ReplyCommands.IdempotencyKey("k-2", "Idempotency-Key"));
        when(table.find(commandId)).thenReturn(Optional.of(ReplyAcceptance.newBuilder().setCommandId(commandId)
                .setTenantId("demo").setConversationId(DEMO_CONVERSATION).setAgentId("agent-7")
                .setRequestFingerprint(ReplyCommands.fingerprint(new ReplyRequest("hi", null, null)))
                .setAcceptedAt(NOW.minusSeconds(3600)).build()));
        // When the same request comes to this instance, then it is a replay, answered from the table
        postWithKey("k-2", "{\"text\":\"hi\"}").expectStatus().isAccepted()
                .expectHeader().valueEquals(ReplyController.REPLAYED_HEADER, "true")
                .expectHeader().valueEquals("Location", "/api/v1/replies/" + commandId);
        verify(publisher, never()).publish(anyList());
    }

    @Test
    void shouldAnswer422ForAKeyReusedWithAnotherBody() {
        postWithKey("k-3", "{\"text\":\"hi\"}").expectStatus().isAccepted();
        postWithKey("k-3", "{\"text\":\"hello\"}")
                .expectStatus().isEqualTo(422)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody().jsonPath("$.field").isEqualTo("Idempotency-Key");
        verify(publisher, times(2)).publish(anyList());
    }

    @Test
    void shouldTakeClientCommandIdAsTheKeyAndRefuseOneThatContradictsTheHeader() {
        String viaBody = post(agentOf("demo"), DEMO_CONVERSATION, "{\"text\":\"hi\",\"clientCommandId\":\"k-4\"}")
                .expectStatus().isAccepted().expectBody(ReplyAccepted.class).returnResult().getResponseBody().commandId();
        String viaHeader = postWithKey("k-4", "{\"text\":\"hi\"}").expectStatus().isAccepted()
                .expectHeader().valueEquals(ReplyController.REPLAYED_HEADER, "true")
                .expectBody(ReplyAccepted.class).returnResult().getResponseBody().commandId();
        assertThat(viaHeader).isEqualTo(viaBody);
        postWithKey("k-5", "{\"text\":\"hi\",\"clientCommandId\":\"k-6\"}")
                .expectStatus().isBadRequest()
                .expectBody().jsonPath("$.field").isEqualTo("clientCommandId");
    }

    @Test
    void shouldAnswer503WithRetryAfterForAKeyWhileTheTableCannotBeReadButServeRequestsWithoutKey() {
        when(table.find(anyString())).thenThrow(new IdempotencyStoreUnavailableException("streams REBALANCING"));
        postWithKey("k-7", "{\"text\":\"hi\"}")
                .expectStatus().isEqualTo(503)
                .expectHeader().exists("Retry-After")
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        verify(publisher, never()).publish(anyList());
        post(agentOf("demo"), DEMO_CONVERSATION, "{\"text\":\"hi\"}").expectStatus().isAccepted();
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
