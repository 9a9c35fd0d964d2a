package com.answerline.ingest.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
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

/** Fan-out, tenancy, slow clients and the cap of the live event streams; plain Reactor, no Kafka. */
class LiveEventsTest {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    private static final String DEMO_CONVERSATION = "100000000000001:31612345678";

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final LiveEvents events = new LiveEvents(new EventStreamProperties(3, Duration.ofMinutes(10), 4, 100), meters);

    @Test
    void shouldSendEachStreamOnlyItsTenantsEventsAfterTheOpenComment() {
        // Given a stream of tenant demo
        StepVerifier.create(events.stream("demo", null))
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
        StepVerifier.create(events.stream("demo", null).filter(sse -> sse.event() != null))
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
        StepVerifier.create(events.stream("demo", DEMO_CONVERSATION).filter(sse -> sse.event() != null))
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
        Disposable fastClient = events.stream("demo", null).subscribe(fast::add);
        StepVerifier.create(events.stream("demo", null), 1)
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
                .assertNext(sse -> assertThat(sse.data()).isInstanceOf(LiveEvents.StreamError.class))
                .expectComplete()
                .verify(Duration.ofSeconds(5));
        // And the fast client got all hundred
        assertThat(fast).filteredOn(sse -> "conversation".equals(sse.event())).hasSize(100);
        fastClient.dispose();
    }

    @Test
    void shouldCountOpenStreamsAndRefuseOneAboveTheCap() {
        // Given three open streams (the cap)
        Disposable a = events.stream("demo", null).subscribe();
        Disposable b = events.stream("demo", null).subscribe();
        Disposable c = events.stream("other", null).subscribe();
        assertThat(meters.get(LiveEvents.STREAMS_METRIC).gauge().value()).isEqualTo(3);
        // When a fourth is asked for, then it is refused
        assertThatThrownBy(() -> events.stream("demo", null)).isInstanceOf(TooManyStreamsException.class);
        // And once one closes, there is room again
        a.dispose();
        assertThat(meters.get(LiveEvents.STREAMS_METRIC).gauge().value()).isEqualTo(2);
        Disposable d = events.stream("demo", null).subscribe();
        List.of(b, c, d).forEach(Disposable::dispose);
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
