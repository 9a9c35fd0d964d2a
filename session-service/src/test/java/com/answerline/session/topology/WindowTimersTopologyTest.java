package com.answerline.session.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.answerline.avro.Channel;
import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.InboundMessage;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.SessionState;
import com.answerline.avro.WindowEvent;
import com.answerline.avro.WindowEventType;
import com.answerline.schemas.topic.Topics;

/**
 * Window timers in the production topology and Streams configuration ({@link ProductionTopologyDriver}):
 * the driver's wall clock drives the punctuation, as the broker-side wall clock does in production.
 */
class WindowTimersTopologyTest {

    private static final String REGISTRY_SCOPE = "window-timers-test";
    private static final String CONVERSATION = "100000000000001:15551230001";
    // Whole seconds, like the webhook's timestamp: deadlines fall on the 1 s tick grid started at WALL_CLOCK_START.
    private static final Instant T0 = Instant.parse("2026-11-20T09:15:30Z");
    private static final Instant WALL_CLOCK_START = T0.plusSeconds(10);
    private static final Duration LEAD = ProductionTopologyDriver.EXPIRING_LEAD;
    private static final Instant END = T0.plus(Duration.ofHours(24));

    @TempDir
    Path dataDir;

    private ProductionTopologyDriver topology;
    private Instant wallClock;
    private TestInputTopic<String, InboundMessage> inbound;
    private TestInputTopic<String, DispatchOutcome> outcomes;
    private TestOutputTopic<String, SessionState> sessions;
    private TestOutputTopic<String, WindowEvent> windowEvents;
    private KeyValueStore<String, String> deadlineIndex;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    @BeforeEach
    void startDriver() {
        wallClock = WALL_CLOCK_START;
        topology = new ProductionTopologyDriver(dataDir, REGISTRY_SCOPE,
                new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()),
                Clock.fixed(WALL_CLOCK_START, ZoneOffset.UTC), meters, wallClock);
        inbound = topology.input(Topics.INBOUND_MESSAGES);
        outcomes = topology.input(Topics.DISPATCH_OUTCOMES);
        sessions = topology.output(Topics.CONVERSATION_SESSIONS);
        windowEvents = topology.output(Topics.WINDOW_EVENTS);
        deadlineIndex = topology.driver().getKeyValueStore(SessionTopology.WINDOW_DEADLINES_STORE);
    }

    @AfterEach
    void closeDriver() {
        topology.close();
    }

    @Test
    void shouldPublishOpenedForTheFirstMessageAndIndexItsTwoDeadlines() {
        // When a customer's first WhatsApp message is folded
        inbound.pipeInput(CONVERSATION, whatsApp("wamid.1", T0));

        // Then OPENED goes to window-events under the conversation id, from the fold itself
        List<KeyValue<String, WindowEvent>> events = windowEvents.readKeyValuesToList();
        assertThat(events).hasSize(1);
        assertThat(events.get(0).key).isEqualTo(CONVERSATION);
        WindowEvent opened = events.get(0).value;
        assertThat(opened.getType()).isEqualTo(WindowEventType.OPENED);
        assertThat(opened.getWindowOpenedAt()).isEqualTo(T0);
        assertThat(opened.getWindowExpiresAt()).isEqualTo(END);
        assertThat(opened.getAnswered()).isNull();
        assertThat(opened.getTenantId()).isEqualTo("demo");
        // And the index holds exactly its EXPIRING and CLOSED deadlines, ordered by time
        assertThat(index()).containsExactly(
                KeyValue.pair(String.format("%019d|%s", END.minus(LEAD).toEpochMilli(), CONVERSATION),
                        "EXPIRING|" + END.toEpochMilli()),
                KeyValue.pair(String.format("%019d|%s", END.toEpochMilli(), CONVERSATION),
                        "CLOSED|" + END.toEpochMilli()));
        assertThat(meters.counter(WindowEventMetrics.WINDOW_EVENTS, "type", "OPENED", "tenant", "demo").count())
                .isEqualTo(1.0);
    }

    @Test
    void shouldPublishExpiringOnceAtTheLeadBeforeTheEndAndNotAMillisecondEarlier() {
        // Given an open window
        inbound.pipeInput(CONVERSATION, whatsApp("wamid.1", T0));
        windowEvents.readValuesToList();
        sessions.readValuesToList();

        // When the wall clock reaches one millisecond before end - lead
        advanceTo(END.minus(LEAD).minusMillis(1));

        // Then nothing yet
        assertThat(windowEvents.isEmpty()).isTrue();
        assertThat(sessions.isEmpty()).isTrue();

        // When it reaches end - lead
        advanceTo(END.minus(LEAD));

        // Then EXPIRING, once, and the session records it with version + 1
        assertThat(windowEvents.readValuesToList()).singleElement().satisfies(expiring -> {
            assertThat(expiring.getType()).isEqualTo(WindowEventType.EXPIRING);
            assertThat(expiring.getWindowExpiresAt()).isEqualTo(END);
            assertThat(expiring.getEmittedAt()).isEqualTo(END.minus(LEAD));
        });
        assertThat(sessions.readValuesToList()).singleElement().satisfies(state -> {
            assertThat(state.getExpiringNotified()).isTrue();
            assertThat(state.getVersion()).isEqualTo(2);
        });
        // And ticks after it repeat nothing; only the CLOSED deadline is left in the index
        advanceTo(END.minus(LEAD).plusSeconds(1));
        advanceTo(END.minus(Duration.ofMinutes(1)));
        assertThat(windowEvents.isEmpty()).isTrue();
        assertThat(index()).extracting(entry -> entry.value).containsExactly("CLOSED|" + END.toEpochMilli());
    }

    @Test
    void shouldCloseUnansweredAtTheEndExactlyAndRecordTheBreach() {
        // Given an unanswered customer whose EXPIRING went out
        inbound.pipeInput(CONVERSATION, whatsApp("wamid.1", T0));
        advanceTo(END.minus(LEAD));
        windowEvents.readValuesToList();
        sessions.readValuesToList();

        // When the wall clock reaches one millisecond before the end, then the end exactly
        advanceTo(END.minusMillis(1));
        assertThat(windowEvents.isEmpty()).isTrue();
        advanceTo(END);

        // Then CLOSED, not answered; the session says closedUnanswered (version + 1); the index is empty
        assertThat(windowEvents.readValuesToList()).singleElement().satisfies(closed -> {
            assertThat(closed.getType()).isEqualTo(WindowEventType.CLOSED);
            assertThat(closed.getAnswered()).isFalse();
            assertThat(closed.getWindowExpiresAt()).isEqualTo(END);
        });
        assertThat(sessions.readValuesToList()).singleElement().satisfies(state -> {
            assertThat(state.getClosedUnanswered()).isTrue();
            assertThat(state.getVersion()).isEqualTo(3);
        });
        assertThat(index()).isEmpty();
        assertThat(meters.counter(WindowEventMetrics.WINDOW_EVENTS, "type", "CLOSED", "tenant", "demo").count())
                .isEqualTo(1.0);
    }

    @Test
    void shouldCloseAnsweredWhenAReplyWentOut() {
        // Given a customer answered by a reply that was SENT
        inbound.pipeInput(CONVERSATION, whatsApp("wamid.1", T0));
        outcomes.pipeInput(CONVERSATION, DispatchOutcome.newBuilder().setCommandId("cmd-1").setTenantId("demo")
                .setConversationId(CONVERSATION).setStatus(OutcomeStatus.SENT).setChannel(Channel.WHATSAPP)
                .setReason("WINDOW_OPEN").setFinal$(true).setOccurredAt(T0.plusSeconds(120)).build());
        windowEvents.readValuesToList();

        // When the window ends
        advanceTo(END.minus(LEAD));
        advanceTo(END);

        // Then CLOSED says answered, and no breach is recorded
        assertThat(windowEvents.readValuesToList()).extracting(WindowEvent::getType, WindowEvent::getAnswered)
                .containsExactly(tuple(WindowEventType.EXPIRING, null),
                        tuple(WindowEventType.CLOSED, true));
        assertThat(topology.driver().<String, SessionState>getKeyValueStore(SessionTopology.SESSION_STORE).get(CONVERSATION)
                .getClosedUnanswered()).isFalse();
        assertThat(index()).isEmpty();
    }

    @Test
    void shouldMoveTheDeadlinesWhenTheCustomerRenewsBeforeTheEnd() {
        // Given an open window, renewed two hours later
        inbound.pipeInput(CONVERSATION, whatsApp("wamid.1", T0));
        advanceTo(T0.plus(Duration.ofHours(2)));
        inbound.pipeInput(CONVERSATION, whatsApp("wamid.2", T0.plus(Duration.ofHours(2))));
        Instant newEnd = T0.plus(Duration.ofHours(26));
        assertThat(windowEvents.readValuesToList()).extracting(WindowEvent::getType)
                .containsExactly(WindowEventType.OPENED);
        // Then only the new end's deadlines are indexed
        assertThat(index()).extracting(entry -> entry.value)
                .containsExactly("EXPIRING|" + newEnd.toEpochMilli(), "CLOSED|" + newEnd.toEpochMilli());

        // When the old end - lead and the old end pass
        advanceTo(END.minus(LEAD));
        advanceTo(END);

        // Then nothing is announced for them
        assertThat(windowEvents.isEmpty()).isTrue();

        // And the new end's EXPIRING and CLOSED come on time
        advanceTo(newEnd.minus(LEAD));
        advanceTo(newEnd);
        assertThat(windowEvents.readValuesToList()).extracting(WindowEvent::getType, WindowEvent::getWindowExpiresAt)
                .containsExactly(tuple(WindowEventType.EXPIRING, newEnd),
                        tuple(WindowEventType.CLOSED, newEnd));
    }

    @Test
    void shouldOpenANewWindowAfterClosedAndResetItsFlags() {
        // Given a window that warned and closed unanswered
        inbound.pipeInput(CONVERSATION, whatsApp("wamid.1", T0));
        advanceTo(END.minus(LEAD));
        advanceTo(END);
        assertThat(windowEvents.readValuesToList()).extracting(WindowEvent::getType)
                .containsExactly(WindowEventType.OPENED, WindowEventType.EXPIRING, WindowEventType.CLOSED);

        // When the customer writes again three hours after the end
        Instant reopened = END.plus(Duration.ofHours(3));
        advanceTo(reopened.plusSeconds(1));
        inbound.pipeInput(CONVERSATION, whatsApp("wamid.2", reopened));

        // Then OPENED again, and the new window starts without the old window's flags
        assertThat(windowEvents.readValuesToList()).singleElement().satisfies(opened -> {
            assertThat(opened.getType()).isEqualTo(WindowEventType.OPENED);
            assertThat(opened.getWindowOpenedAt()).isEqualTo(reopened);
        });
        List<SessionState> published = sessions.readValuesToList();
        SessionState latest = published.get(published.size() - 1);
        assertThat(latest.getVersion()).isEqualTo(4);
        assertThat(latest.getExpiringNotified()).isFalse();
        assertThat(latest.getClosedUnanswered()).isFalse();
        assertThat(latest.getWindowExpiresAt()).isEqualTo(reopened.plus(Duration.ofHours(24)));
        assertThat(index()).hasSize(2);
    }

    @Test
    void shouldAnnounceOnlyClosedForAWindowThatEndedWhileNoTickRan() {
        // Given an open window and an instance that ran no tick between its lead and its end (downtime)
        inbound.pipeInput(CONVERSATION, whatsApp("wamid.1", T0));
        windowEvents.readValuesToList();

        // When the first tick comes after the end
        advanceTo(END.plus(Duration.ofMinutes(5)));

        // Then a late warning is not sent; CLOSED is, and both deadlines are gone
        assertThat(windowEvents.readValuesToList()).extracting(WindowEvent::getType)
                .containsExactly(WindowEventType.CLOSED);
        assertThat(index()).isEmpty();
    }

    private void advanceTo(Instant instant) {
        topology.driver().advanceWallClockTime(Duration.between(wallClock, instant));
        wallClock = instant;
    }

    private List<KeyValue<String, String>> index() {
        List<KeyValue<String, String>> entries = new ArrayList<>();
        try (KeyValueIterator<String, String> it = deadlineIndex.all()) {
            it.forEachRemaining(entries::add);
        }
        return entries;
    }

    private static InboundMessage whatsApp(String wamid, Instant sentAt) {
        return ProductionTopologyDriver.whatsApp(CONVERSATION, wamid, sentAt).build();
    }
}
