package com.answerline.ingest.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.http.codec.ServerSentEvent;
import reactor.core.Disposable;
import reactor.test.StepVerifier;

import com.answerline.avro.Channel;
import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.LastOutbound;
import com.answerline.avro.OutboundStatus;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.SendStep;
import com.answerline.avro.SessionState;
import com.answerline.avro.ThreadDirection;
import com.answerline.avro.ThreadMessage;
import com.answerline.ingest.config.EventStreamProperties;
import com.answerline.ingest.gateway.ReplyOutcomeView;
import com.answerline.schemas.thread.ThreadItem;

/** Fan-out, tenancy, slow clients, the token's expiry and the caps of the live event streams; plain Reactor, no Kafka. */
class LiveEventsTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final String DEMO_CONVERSATION = "100000000000001:31612345678";

    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    /** Three streams per instance, two per agent, three per tenant. */
    private final LiveEvents events = new LiveEvents(new EventStreamProperties(3, 2, 3, Duration.ofMinutes(10), 4, 100),
            CLOCK, meters);

    /** An agent of the tenant whose token expires in an hour. */
    private static StreamOwner owner(String tenant, String agent) {
        return new StreamOwner(tenant, agent, NOW.plus(Duration.ofHours(1)));
    }

    private static StreamOwner demo() {
        return owner("demo", "agent-7");
    }

    @Test
    void shouldSendEachStreamOnlyItsTenantsEventsAfterTheOpenComment() {
        // Given a stream of tenant demo
        StepVerifier.create(events.stream(demo(), null))
                .assertNext(sse -> assertThat(sse.comment()).isEqualTo(LiveEvents.OPENED_COMMENT))
                // When a session of other and one of demo change, and dispatch reports for demo
                .then(() -> {
                    events.publish(LiveEvent.of(session("other", "100000000000002:31612345678", 1), NOW));
                    events.publish(LiveEvent.of(session("demo", DEMO_CONVERSATION, 7), NOW));
                    events.publish(LiveEvent.of(outcome("demo")));
                })
                // Then demo's stream gets demo's two events
                .assertNext(sse -> {
                    assertThat(sse.event()).isEqualTo("conversation");
                    assertThat(sse.id()).isEqualTo(DEMO_CONVERSATION + "@7");
                    assertThat(((ConversationView) sse.data()).windowOpen()).isTrue();
                })
                .assertNext(sse -> {
                    assertThat(sse.event()).isEqualTo("reply-outcome");
                    assertThat(((ReplyOutcomeView) sse.data()).status()).isEqualTo("SENT");
                })
                .thenCancel()
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void shouldCarryTheOutcomesStepAndHoldExpiryInTheReplyOutcomeEvent() {
        // Given dispatch reports a held answer
        Instant expiresAt = NOW.plus(Duration.ofDays(7));
        DispatchOutcome held = DispatchOutcome.newBuilder(outcome("demo")).setStatus(OutcomeStatus.HELD).setFinal$(false)
                .setStep(SendStep.HOLD_INVITATION).setChannel(Channel.WHATSAPP_TEMPLATE).setHoldExpiresAt(expiresAt)
                .build();
        // When it becomes an event, then its data is the same view GET /replies/{id} answers, new fields included
        ReplyOutcomeView view = (ReplyOutcomeView) LiveEvent.of(held).event().data();
        assertThat(view).isEqualTo(ReplyOutcomeView.of(held));
        assertThat(view.step()).isEqualTo("HOLD_INVITATION");
        assertThat(view.holdExpiresAt()).isEqualTo(expiresAt);
    }

    @Test
    void shouldSendEachStreamOnlyItsTenantsThreadMessagesAsThreadItems() {
        // Given a stream of tenant demo
        ThreadMessage others = inbound("other", "100000000000002:31612345678", "wamid.other");
        ThreadMessage demos = inbound("demo", DEMO_CONVERSATION, "wamid.demo");
        StepVerifier.create(events.stream(demo(), null).filter(sse -> sse.event() != null))
                // When a customer of other, then one of demo write
                .then(() -> {
                    events.publish(LiveEvent.of(others));
                    events.publish(LiveEvent.of(demos));
                })
                // Then demo's stream gets demo's message only: the thread item with its text, in a message event
                .assertNext(sse -> {
                    assertThat(sse.event()).isEqualTo("message");
                    assertThat(sse.id()).isEqualTo("in:wamid.demo@" + NOW.toEpochMilli());
                    MessageEvent data = (MessageEvent) sse.data();
                    assertThat(data.conversationId()).isEqualTo(DEMO_CONVERSATION);
                    assertThat(data.message()).isEqualTo(ThreadItem.of(demos));
                    assertThat(data.message().text()).isEqualTo("Where is my parcel?");
                    assertThat(data.message().media().href())
                            .isEqualTo("/api/v1/conversations/" + DEMO_CONVERSATION + "/media/1234567890");
                })
                .thenCancel()
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void shouldNarrowAStreamToOneConversation() {
        StepVerifier.create(events.stream(demo(), DEMO_CONVERSATION).filter(sse -> sse.event() != null))
                .then(() -> {
                    events.publish(LiveEvent.of(session("demo", "100000000000001:31600000000", 1), NOW));
                    events.publish(LiveEvent.of(session("demo", DEMO_CONVERSATION, 2), NOW));
                })
                .assertNext(sse -> assertThat(sse.id()).isEqualTo(DEMO_CONVERSATION + "@2"))
                .thenCancel()
                .verify(Duration.ofSeconds(5));
    }

    @Test
    void shouldEndASlowClientsStreamWithAnErrorEventWhileAFastOneGetsEverything() {
        // Given a fast client and a slow one that asks for nothing after the open comment
        List<ServerSentEvent<Object>> fast = new CopyOnWriteArrayList<>();
        Disposable fastClient = events.stream(demo(), null).subscribe(fast::add);
        StepVerifier.create(events.stream(demo(), null), 1)
                .assertNext(sse -> assertThat(sse.comment()).isEqualTo(LiveEvents.OPENED_COMMENT))
                // When far more events come than the slow client's buffer (4) and the merge's prefetch hold
                .then(() -> {
                    for (int version = 1; version <= 100; version++) {
                        events.publish(LiveEvent.of(session("demo", DEMO_CONVERSATION, version), NOW));
                    }
                })
                // Then the slow client, once it reads again, gets what was buffered and an error event, and its stream ends
                .thenRequest(Long.MAX_VALUE)
                .thenConsumeWhile(sse -> !"error".equals(sse.event()))
                .assertNext(sse -> assertThat(sse.data()).isInstanceOf(LiveEvents.StreamEnd.class))
                .expectComplete()
                .verify(Duration.ofSeconds(5));
        // And the fast client got all hundred
        assertThat(fast).filteredOn(sse -> "conversation".equals(sse.event())).hasSize(100);
        fastClient.dispose();
    }

    @Test
    void shouldCountOpenStreamsAndRefuseOneAboveTheInstanceCap() {
        // Given three open streams (the instance's cap) of three agents
        Disposable a = events.stream(owner("demo", "alice"), null).subscribe();
        Disposable b = events.stream(owner("demo", "bob"), null).subscribe();
        Disposable c = events.stream(owner("other", "carol"), null).subscribe();
        assertThat(meters.get(LiveEvents.STREAMS_METRIC).gauge().value()).isEqualTo(3);
        // When a fourth agent asks for one, then it is refused by the instance's cap, and counted so
        assertThatThrownBy(() -> events.stream(owner("demo", "dave"), null)).isInstanceOf(TooManyStreamsException.class);
        assertThat(meters.get(LiveEvents.REFUSED_METRIC).tag("cap", "instance").counter().count()).isEqualTo(1);
        // And once one closes, there is room again
        a.dispose();
        assertThat(meters.get(LiveEvents.STREAMS_METRIC).gauge().value()).isEqualTo(2);
        Disposable d = events.stream(owner("demo", "dave"), null).subscribe();
        List.of(b, c, d).forEach(Disposable::dispose);
        assertThat(events.openStreams()).isZero();
    }

    @Test
    void shouldRefuseAnAgentsStreamAboveTheAgentCapWhileOthersStillOpenTheirs() {
        // Given alice of demo holds two streams (the agent cap)
        Disposable first = events.stream(owner("demo", "alice"), null).subscribe();
        Disposable second = events.stream(owner("demo", "alice"), DEMO_CONVERSATION).subscribe();
        // When she asks for a third, then it is refused naming the agent cap, and counted by cap only
        assertThatThrownBy(() -> events.stream(owner("demo", "alice"), null))
                .isInstanceOfSatisfying(StreamCapReachedException.class, e -> {
                    assertThat(e.cap()).isEqualTo("agent");
                    assertThat(e.max()).isEqualTo(2);
                });
        assertThat(meters.get(LiveEvents.REFUSED_METRIC).tag("cap", "agent").counter().count()).isEqualTo(1);
        assertThat(meters.get(LiveEvents.REFUSED_METRIC).counters()).allSatisfy(counter ->
                assertThat(counter.getId().getTags()).extracting("key").containsExactly("cap"));
        // And the refusal took no place: another agent of demo, and an agent called alice of another tenant, open theirs
        assertThat(events.openStreams()).isEqualTo(2);
        Disposable bob = events.stream(owner("demo", "bob"), null).subscribe();
        bob.dispose();
        Disposable otherAlice = events.stream(owner("other", "alice"), null).subscribe();
        otherAlice.dispose();
        // And once one of hers closes, alice has room again
        first.dispose();
        Disposable third = events.stream(owner("demo", "alice"), null).subscribe();
        List.of(second, third).forEach(Disposable::dispose);
        assertThat(events.openStreams("demo", "alice")).isZero();
    }

    @Test
    void shouldRefuseATenantsStreamAboveTheTenantCapWhileOtherTenantsStillOpenTheirs() {
        // Given an instance with room for ten, three per tenant, and demo's three agents each holding one
        LiveEvents roomy = new LiveEvents(new EventStreamProperties(10, 2, 3, Duration.ofMinutes(10), 4, 100), CLOCK, meters);
        List<Disposable> demos = List.of(roomy.stream(owner("demo", "alice"), null).subscribe(),
                roomy.stream(owner("demo", "bob"), null).subscribe(), roomy.stream(owner("demo", "carol"), null).subscribe());
        // When a fourth agent of demo asks, then it is refused naming the tenant cap
        assertThatThrownBy(() -> roomy.stream(owner("demo", "dave"), null))
                .isInstanceOfSatisfying(StreamCapReachedException.class, e -> assertThat(e.cap()).isEqualTo("tenant"));
        assertThat(meters.get(LiveEvents.REFUSED_METRIC).tag("cap", "tenant").counter().count()).isEqualTo(1);
        // And dave took no place in his own count: another tenant's agent opens theirs
        assertThat(roomy.openStreams("demo", "dave")).isZero();
        Disposable other = roomy.stream(owner("other", "erin"), null).subscribe();
        other.dispose();
        demos.forEach(Disposable::dispose);
        assertThat(roomy.openStreamsOfTenant("demo")).isZero();
        assertThat(roomy.openStreams()).isZero();
    }

    @Test
    void shouldEndTheStreamWithAnExpiredEventAtTheTokensExpiry() {
        // Given a stream opened with a token that expires in an hour (Reactor's virtual time runs the timers)
        StepVerifier.withVirtualTime(() -> events.stream(demo(), null).filter(sse -> sse.event() != null))
                .expectSubscription()
                // Then it stays open until the last second before the expiry
                .expectNoEvent(Duration.ofHours(1).minusSeconds(1))
                // And at the expiry an expired event ends it
                .thenAwait(Duration.ofSeconds(1))
                .assertNext(sse -> {
                    assertThat(sse.event()).isEqualTo("expired");
                    LiveEvents.StreamEnd end = (LiveEvents.StreamEnd) sse.data();
                    assertThat(end.type()).isEqualTo("token-expired");
                    assertThat(end.detail()).contains("2026-11-25T13:00:00Z").contains("reconnect with a fresh token");
                })
                .expectComplete()
                .verify(Duration.ofSeconds(5));
        // And its place is given back
        assertThat(events.openStreams()).isZero();
        assertThat(events.openStreams("demo", "agent-7")).isZero();
    }

    @Test
    void shouldOpenNoStreamForATokenAlreadyPastItsExpiry() {
        // Given a token the decoder still accepted (its clock skew) but that expired a second ago
        StreamOwner expired = new StreamOwner("demo", "agent-7", NOW.minusSeconds(1));
        // Then no stream opens, and none is counted
        assertThatThrownBy(() -> events.stream(expired, null)).isInstanceOf(TokenExpiredException.class);
        assertThat(events.openStreams()).isZero();
    }

    @Test
    void shouldComputeWhetherTheWindowIsOpenWhenTheEventIsMade() {
        SessionState state = session("demo", DEMO_CONVERSATION, 3);
        assertThat(ConversationView.of(state, NOW).windowOpen()).isTrue();
        assertThat(ConversationView.of(state, NOW.plus(Duration.ofHours(2))).windowOpen()).isFalse();
        state.setWindowExpiresAt(null);
        assertThat(ConversationView.of(state, NOW).windowOpen()).isFalse();
        assertThat(ConversationView.of(state, NOW).lastOutboundChannel()).isEqualTo("SMS");
        assertThat(ConversationView.of(state, NOW).lastOutboundStatus()).isEqualTo("FAILED");
        assertThat(ConversationView.of(state, NOW).lastOutboundErrorCode()).isEqualTo(30003);
        assertThat(ConversationView.of(state, NOW).lastOutboundAt()).isEqualTo(NOW.minusSeconds(60));
    }

    static SessionState session(String tenant, String conversation, long version) {
        return SessionState.newBuilder()
                .setTenantId(tenant).setConversationId(conversation)
                .setPhoneNumberId(conversation.substring(0, conversation.indexOf(':')))
                .setVersion(version)
                .setWindowExpiresAt(NOW.plus(Duration.ofHours(1)))
                .setLastOutbound(LastOutbound.newBuilder().setChannel(Channel.SMS).setStatus(OutboundStatus.FAILED)
                        .setErrorCode(30003).setAt(NOW.minusSeconds(60)).build())
                .setUpdatedAt(NOW)
                .build();
    }

    static DispatchOutcome outcome(String tenant) {
        return DispatchOutcome.newBuilder()
                .setCommandId("cmd-1").setTenantId(tenant).setConversationId(DEMO_CONVERSATION)
                .setStatus(OutcomeStatus.SENT).setFinal$(true).setChannel(Channel.WHATSAPP)
                .setReason("WINDOW_OPEN").setOccurredAt(NOW)
                .build();
    }

    private static ThreadMessage inbound(String tenant, String conversation, String wamid) {
        return ThreadMessage.newBuilder()
                .setTenantId(tenant).setConversationId(conversation).setEntryId("in:" + wamid)
                .setDirection(ThreadDirection.INBOUND).setChannel(Channel.WHATSAPP).setAt(NOW.minusSeconds(5))
                .setProviderMessageId(wamid).setType("image").setText("Where is my parcel?")
                .setDetails(Map.of("media_id", "1234567890", "mime_type", "image/png"))
                .setUpdatedAt(NOW)
                .build();
    }
}
