package com.answerline.ingest.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mockito.ArgumentCaptor;
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
import com.answerline.avro.CostEstimate;
import com.answerline.avro.DecisionExplanation;
import com.answerline.avro.DeliveryLifecycle;
import com.answerline.avro.DeliveryState;
import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.FallbackPolicy;
import com.answerline.avro.OutcomeReason;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.ReplyCancellation;
import com.answerline.avro.SendStep;
import com.answerline.avro.ThreadDirection;
import com.answerline.avro.ThreadMessage;
import com.answerline.avro.WindowState;
import com.answerline.ingest.client.PeerClient;
import com.answerline.ingest.client.ServiceUnavailableException;
import com.answerline.ingest.config.SecurityConfig;
import com.answerline.ingest.publish.EventPublisher;
import com.answerline.ingest.publish.OutgoingRecord;
import com.answerline.ingest.query.OutcomeStoreUnavailableException;
import com.answerline.ingest.query.ReplyOutcomes;
import com.answerline.schemas.topic.Topics;

@WebFluxTest(controllers = ReplyOutcomeController.class)
@Import({SecurityConfig.class, GatewayFixtures.class})
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

    @MockitoBean
    EventPublisher publisher;

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
    void shouldShowTheDeliveryOfTheOutcomesSendAndOfEverySendOfTheCommand() {
        // Given a failover: the WhatsApp reply failed with 131047, the SMS that replaced it was delivered
        DispatchOutcome failover = DispatchOutcome.newBuilder(smsFallback()).setStep(SendStep.FAILOVER).build();
        when(outcomes.find(COMMAND)).thenReturn(Optional.of(failover));
        when(outcomes.sends(COMMAND)).thenReturn(List.of(
                send(SendStep.FAILOVER, Channel.SMS, DeliveryLifecycle.newBuilder().setState(DeliveryState.DELIVERED)
                        .setAcceptedAt(AT).setSentAt(AT.plusSeconds(1)).setDeliveredAt(AT.plusSeconds(2)).build()),
                send(SendStep.REPLY, Channel.WHATSAPP, DeliveryLifecycle.newBuilder().setState(DeliveryState.FAILED)
                        .setAcceptedAt(AT.minusSeconds(60)).setFailedAt(AT.minusSeconds(30)).setErrorCode(131047)
                        .setErrorTitle("Re-engagement message").build())));
        // When an agent of demo asks
        client.mutateWith(agentOf("demo")).get().uri("/api/v1/replies/{id}", COMMAND).exchange()
                // Then delivery is the failover's, deliveries both sends in step order, unknown times left out
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.step").isEqualTo("FAILOVER")
                .jsonPath("$.delivery.state").isEqualTo("DELIVERED")
                .jsonPath("$.delivery.deliveredAt").isEqualTo("2026-11-25T12:00:07Z")
                .jsonPath("$.delivery.readAt").doesNotExist()
                .jsonPath("$.deliveries.length()").isEqualTo(2)
                .jsonPath("$.deliveries[0].step").isEqualTo("REPLY")
                .jsonPath("$.deliveries[0].channel").isEqualTo("WHATSAPP")
                .jsonPath("$.deliveries[0].delivery.state").isEqualTo("FAILED")
                .jsonPath("$.deliveries[0].delivery.failedAt").isEqualTo("2026-11-25T11:59:35Z")
                .jsonPath("$.deliveries[0].delivery.errorCode").isEqualTo(131047)
                .jsonPath("$.deliveries[0].delivery.errorTitle").isEqualTo("Re-engagement message")
                .jsonPath("$.deliveries[1].step").isEqualTo("FAILOVER")
                .jsonPath("$.deliveries[1].channel").isEqualTo("SMS");
    }

    @Test
    void shouldAnswerNullDeliveryAndNoDeliveriesBeforeTheProviderReported() {
        when(outcomes.find(COMMAND)).thenReturn(Optional.of(smsFallback()));
        client.mutateWith(agentOf("demo")).get().uri("/api/v1/replies/{id}", COMMAND).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.delivery").isEmpty()
                .jsonPath("$.deliveries").isEmpty();
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
    void shouldShowTheStepTheHoldExpiryTheSmsDetailsAndTheEstimatedCost() {
        // Given a held answer's outcome and an SMS fallback priced by dispatch
        String sms = "6f1c2d3e-0000-4000-8000-000000000002";
        when(outcomes.find(COMMAND)).thenReturn(Optional.of(held()));
        when(outcomes.find(sms)).thenReturn(Optional.of(DispatchOutcome.newBuilder(smsFallback()).setCommandId(sms)
                .setSmsSegments(2).setSmsEncoding("UCS_2")
                .setEstimatedCost(CostEstimate.newBuilder().setCurrency("EUR").setAmountMicros(157_800L)
                        .setBasis("SMS 2 x NL").build())
                .build()));
        // When demo's agent reads both
        client.mutateWith(agentOf("demo")).get().uri("/api/v1/replies/{id}", COMMAND).exchange()
                // Then the held one says which step it is at and until when the answer is held
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("HELD")
                .jsonPath("$.final").isEqualTo(false)
                .jsonPath("$.step").isEqualTo("HOLD_INVITATION")
                .jsonPath("$.holdExpiresAt").isEqualTo("2026-12-02T12:00:05Z")
                .jsonPath("$.estimatedCost.currency").isEqualTo("EUR")
                .jsonPath("$.estimatedCost.amount").isEqualTo("0.0456")
                .jsonPath("$.estimatedCost.amountMicros").isEqualTo(45_600)
                .jsonPath("$.estimatedCost.basis").isEqualTo("TEMPLATE UTILITY NL")
                .jsonPath("$.smsSegments").doesNotExist();
        client.mutateWith(agentOf("demo")).get().uri("/api/v1/replies/{id}", sms).exchange()
                // And the SMS one its segments, encoding and price; the step defaults to REPLY
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.step").isEqualTo("REPLY")
                .jsonPath("$.smsSegments").isEqualTo(2)
                .jsonPath("$.smsEncoding").isEqualTo("UCS_2")
                .jsonPath("$.estimatedCost.amount").isEqualTo("0.1578")
                .jsonPath("$.estimatedCost.basis").isEqualTo("SMS 2 x NL")
                .jsonPath("$.holdExpiresAt").doesNotExist();
    }

    @Test
    void shouldShowWhatAParkedReplyWaitsForAndWhenItGivesUp() {
        // Given a reply dispatch parked while WhatsApp is unavailable
        Instant validUntil = Instant.parse("2026-12-02T12:15:00Z");
        when(outcomes.find(COMMAND)).thenReturn(Optional.of(DispatchOutcome.newBuilder(smsFallback())
                .setStatus(OutcomeStatus.PENDING).setFinal$(false).setChannel(Channel.WHATSAPP)
                .setOutcomeReason(OutcomeReason.PROVIDER_UNAVAILABLE_WAITING).setReason("PROVIDER_UNAVAILABLE_WAITING")
                .setValidUntil(validUntil).build()));
        // When demo's agent reads it
        client.mutateWith(agentOf("demo")).get().uri("/api/v1/replies/{id}", COMMAND).exchange()
                // Then it says: pending, waiting for WhatsApp, until when
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("PENDING")
                .jsonPath("$.final").isEqualTo(false)
                .jsonPath("$.reason").isEqualTo("PROVIDER_UNAVAILABLE_WAITING")
                .jsonPath("$.waitingFor").isEqualTo("WHATSAPP")
                .jsonPath("$.validUntil").isEqualTo("2026-12-02T12:15:00Z");
        // And a sent reply says neither
        when(outcomes.find(COMMAND)).thenReturn(Optional.of(smsFallback()));
        client.mutateWith(agentOf("demo")).get().uri("/api/v1/replies/{id}", COMMAND).exchange()
                .expectBody()
                .jsonPath("$.waitingFor").doesNotExist()
                .jsonPath("$.validUntil").doesNotExist();
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldPublishTheCancellationOfAHeldAnswerKeyedByConversationAndAnswer202() {
        // Given a held answer of demo, and Kafka acknowledging
        when(outcomes.find(COMMAND)).thenReturn(Optional.of(held()));
        when(publisher.publish(anyList())).thenReturn(Mono.empty());
        // When demo's agent cancels it
        client.mutateWith(agentOf("demo")).delete().uri("/api/v1/replies/{id}/hold", COMMAND).exchange()
                // Then 202 pointing at the outcome, where CANCELLED will show
                .expectStatus().isAccepted()
                .expectHeader().valueEquals(HttpHeaders.LOCATION, "/api/v1/replies/" + COMMAND)
                .expectBody()
                .jsonPath("$.commandId").isEqualTo(COMMAND)
                .jsonPath("$.status").isEqualTo("CANCELLATION_REQUESTED")
                .jsonPath("$.links.outcome").isEqualTo("/api/v1/replies/" + COMMAND);
        // And one ReplyCancellation went to reply-cancellations, keyed by the conversation
        ArgumentCaptor<List<OutgoingRecord<?>>> captor = ArgumentCaptor.forClass(List.class);
        verify(publisher).publish(captor.capture());
        assertThat(captor.getValue()).singleElement().satisfies(record -> {
            assertThat(record.topic()).isEqualTo(Topics.REPLY_CANCELLATIONS);
            assertThat(record.key()).isEqualTo("100000000000001:31612345678");
            assertThat(record.timestamp()).isEqualTo(GatewayFixtures.NOW);
            assertThat(record.value()).isEqualTo(ReplyCancellation.newBuilder()
                    .setCommandId(COMMAND).setTenantId("demo").setConversationId("100000000000001:31612345678")
                    .setAgentId("agent-7").setRequestedAt(GatewayFixtures.NOW).build());
        });
    }

    @Test
    void shouldAnswerTheSame404ForAnotherTenantsHeldAnswerAsForAnUnknownCommand() {
        when(outcomes.find(COMMAND)).thenReturn(Optional.of(held()), Optional.empty());
        String foreign = client.mutateWith(agentOf("other")).delete().uri("/api/v1/replies/{id}/hold", COMMAND).exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody(String.class).returnResult().getResponseBody();
        String unknown = client.mutateWith(agentOf("demo")).delete().uri("/api/v1/replies/{id}/hold", COMMAND).exchange()
                .expectStatus().isNotFound()
                .expectBody(String.class).returnResult().getResponseBody();
        assertThat(foreign).isEqualTo(unknown).doesNotContain("HELD");
        verify(publisher, never()).publish(anyList());
    }

    @ParameterizedTest
    @EnumSource(value = OutcomeStatus.class, names = "HELD", mode = EnumSource.Mode.EXCLUDE)
    void shouldAnswer409NamingTheStatusWhenTheReplyIsNotHeld(OutcomeStatus status) {
        // Given a command of demo at another status than HELD (SENT, EXPIRED, CANCELLED, PENDING, ...)
        when(outcomes.find(COMMAND)).thenReturn(Optional.of(DispatchOutcome.newBuilder(held()).setStatus(status)
                .setFinal$(status != OutcomeStatus.PENDING).build()));
        // When demo's agent tries to cancel it
        client.mutateWith(agentOf("demo")).delete().uri("/api/v1/replies/{id}/hold", COMMAND).exchange()
                // Then 409 problem details saying what it is, and nothing is published
                .expectStatus().isEqualTo(HttpStatus.CONFLICT)
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(409)
                .jsonPath("$.replyStatus").isEqualTo(status.name())
                .jsonPath("$.final").isEqualTo(status != OutcomeStatus.PENDING)
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).endsWith(status.name()));
        verify(publisher, never()).publish(anyList());
    }

    @Test
    void shouldForwardACancellationToTheOwnerAndRelayItsLocation() {
        when(outcomes.remoteOwner(COMMAND)).thenReturn(Optional.of("127.0.0.1:18081"));
        HttpHeaders headers = new HttpHeaders();
        headers.setContentType(MediaType.APPLICATION_JSON);
        headers.setLocation(java.net.URI.create("/api/v1/replies/" + COMMAND));
        when(peers.cancelHold(anyString(), anyString(), any()))
                .thenReturn(Mono.just(new ResponseEntity<>("{\"status\":\"CANCELLATION_REQUESTED\"}"
                        .getBytes(StandardCharsets.UTF_8), headers, HttpStatus.ACCEPTED)));
        when(jwtDecoder.decode("agent-token")).thenReturn(Mono.just(Jwt.withTokenValue("agent-token")
                .header("alg", "RS256").subject("agent-7").claim("tenant_id", "demo").claim("roles", List.of("agent"))
                .build()));
        client.delete().uri("/api/v1/replies/{id}/hold", COMMAND)
                .header(HttpHeaders.AUTHORIZATION, "Bearer agent-token").exchange()
                .expectStatus().isAccepted()
                .expectHeader().valueEquals(HttpHeaders.LOCATION, "/api/v1/replies/" + COMMAND);
        verify(peers).cancelHold("127.0.0.1:18081", COMMAND, "Bearer agent-token");
        verify(outcomes, never()).find(anyString());
        verify(publisher, never()).publish(anyList());
    }

    @Test
    void shouldAnswer503ToACancellationWhileTheStoreIsLoading() {
        when(outcomes.find(COMMAND)).thenThrow(new OutcomeStoreUnavailableException("streams REBALANCING"));
        client.mutateWith(agentOf("demo")).delete().uri("/api/v1/replies/{id}/hold", COMMAND)
                .header(PeerClient.FORWARDED_HEADER, "1").exchange()
                .expectStatus().isEqualTo(503)
                .expectHeader().exists("Retry-After");
        verify(publisher, never()).publish(anyList());
    }

    @Test
    void shouldRefuseCallersWithoutTokenOrAgentRole() {
        client.get().uri("/api/v1/replies/{id}", COMMAND).exchange().expectStatus().isUnauthorized();
        client.mutateWith(mockJwt().jwt(jwt -> jwt.claim("tenant_id", "demo"))).get()
                .uri("/api/v1/replies/{id}", COMMAND).exchange().expectStatus().isForbidden();
        client.delete().uri("/api/v1/replies/{id}/hold", COMMAND).exchange().expectStatus().isUnauthorized();
        client.mutateWith(mockJwt().jwt(jwt -> jwt.claim("tenant_id", "demo"))).delete()
                .uri("/api/v1/replies/{id}/hold", COMMAND).exchange().expectStatus().isForbidden();
        verify(outcomes, never()).find(anyString());
    }

    private static ThreadMessage send(SendStep step, Channel channel, DeliveryLifecycle delivery) {
        return ThreadMessage.newBuilder().setTenantId("demo").setConversationId("100000000000001:31612345678")
                .setEntryId("out:" + COMMAND + "/" + step.name()).setDirection(ThreadDirection.OUTBOUND)
                .setChannel(channel).setAt(AT).setType("text").setCommandId(COMMAND).setStep(step)
                .setOutcomeStatus(OutcomeStatus.SENT).setDelivery(delivery).setUpdatedAt(AT)
                .build();
    }

    private static DispatchOutcome held() {
        return DispatchOutcome.newBuilder()
                .setCommandId(COMMAND)
                .setTenantId("demo")
                .setConversationId("100000000000001:31612345678")
                .setStatus(OutcomeStatus.HELD)
                .setStep(SendStep.HOLD_INVITATION)
                .setChannel(Channel.WHATSAPP_TEMPLATE)
                .setReason("WINDOW_CLOSED_ANSWER_HELD")
                .setProviderMessageId("wamid.INVITE")
                .setEstimatedCost(CostEstimate.newBuilder().setCurrency("EUR").setAmountMicros(45_600L)
                        .setBasis("TEMPLATE UTILITY NL").build())
                .setHoldExpiresAt(Instant.parse("2026-12-02T12:00:05Z"))
                .setFinal$(false)
                .setOccurredAt(AT)
                .build();
    }

    private static DispatchOutcome smsFallback() {
        return DispatchOutcome.newBuilder()
                .setCommandId(COMMAND)
                .setTenantId("demo")
                .setConversationId("100000000000001:31612345678")
                .setStatus(OutcomeStatus.SENT)
                .setChannel(Channel.SMS)
                .setOutcomeReason(OutcomeReason.WINDOW_CLOSED_SMS_FALLBACK)
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
