package com.answerline.dispatch.topology;

import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.KTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.HeldAnswer;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.ReplyCommand;
import com.answerline.avro.SendRequest;
import com.answerline.avro.SendStep;
import com.answerline.avro.SessionState;
import com.answerline.dispatch.decision.ChannelDecider;
import com.answerline.dispatch.decision.TenantRules;
import com.answerline.schemas.serde.SpecificAvroSerde;
import com.answerline.schemas.topic.Topics;
import com.answerline.platform.upstream.UpstreamGuard;

/**
 * The decision topology: reply commands meet the conversation's session table (co-partitioned by conversation
 * id) and leave as SendRequests, or as final REJECTED outcomes.
 *
 * <p>Not older than what the agent saw: a command carries {@code observedSessionVersion}. While the table holds
 * an older version (session-service has not caught up yet: the agent saw a newer state through the gateway
 * than this partition has read), the command waits in {@link #PENDING_STORE} and a non-final PENDING outcome
 * says so. Every session update for that conversation re-checks its waiting commands; a wall-clock punctuator
 * rejects the ones still waiting after the catch-up timeout (SESSION_NOT_CAUGHT_UP). The table and the waiting
 * commands are in one sub-topology, so the check and the release happen in the same task and transaction.
 *
 * <p>Not rejected because this task has not read the session yet: a free-form command for a conversation with
 * no session state at all (e.g. just after a rebalance, or session-service publishing a moment late) waits in
 * the same store with a non-final PENDING {@code WAITING_FOR_CONVERSATION_SESSION}; the conversation's first
 * session releases it, and only after the unknown-conversation grace (counted from when it was parked) is it
 * decided as unknown (REJECTED UNKNOWN_CONVERSATION, or the template when its fallback is TEMPLATE). Templates
 * chosen by the agent never wait.
 *
 * <p>Held answers (TEMPLATE_THEN_HOLD): a decision to send the invitation template and hold the agent's text
 * leaves as a SendRequest of step HOLD_INVITATION and stores a {@link HeldAnswer} in {@link #HELD_STORE} (same
 * transaction). The invitation's outcome ({@code dispatch-outcomes}, read back here), the conversation's session
 * updates and the agents' cancellations ({@code reply-cancellations}) meet it in the same task: all inputs are keyed
 * by conversation id and co-partitioned. See {@link HeldAnswersProcessor}.
 *
 * <p>Reply commands and cancellations, which upstream systems write too, pass the {@link UpstreamGuard} first: an
 * invalid one goes to the topic's dead-letter twin (and has no outcome: its key is not a conversation anyone could
 * look the outcome up by), a misplaced one is forwarded to its conversation's partition.
 *
 * <p>A function of a {@link StreamsBuilder}: no I/O, so tests run it in {@code TopologyTestDriver}.
 */
public final class DecisionTopology {

    public static final String SESSION_STORE = "dispatch-conversation-sessions-store";
    public static final String PENDING_STORE = "dispatch-pending-replies-store";
    /** Agents' answers held until the customer writes back (TEMPLATE_THEN_HOLD); value {@link HeldAnswer}. */
    public static final String HELD_STORE = "dispatch-held-answers-store";
    /**
     * The invitation outcomes a held answer acts on. Its own EXPIRED and CANCELLED, read back from the same topic,
     * are not among them.
     */
    private static final Set<OutcomeStatus> INVITATION_RESULTS =
            EnumSet.of(OutcomeStatus.HELD, OutcomeStatus.FAILED, OutcomeStatus.REJECTED);

    private final ReplyDecisions decisions;
    private final Clock clock;
    private final Duration catchUpTimeout;
    private final Duration unknownConversationGrace;
    private final Duration holdCheckInterval;
    private final HoldMetrics holdMetrics;
    private final Map<String, ?> serdeConfig;
    private final UpstreamGuard.Settings upstream;

    /**
     * @param holdExpireAfter   how long a held answer waits for the customer before it ends EXPIRED
     * @param holdCheckInterval how often (wall clock) each task looks for expired held answers
     * @param upstream          the gate of the upstream-facing inputs: this service guards {@code reply-commands} and
     *                          {@code reply-cancellations} (dead letters for invalid records, forwarding for misplaced
     *                          ones)
     */
    public DecisionTopology(ChannelDecider decider, Function<String, TenantRules> tenants, Clock clock,
                            Duration catchUpTimeout, Duration unknownConversationGrace, Duration holdExpireAfter,
                            Duration holdCheckInterval, HoldMetrics holdMetrics, Map<String, ?> serdeConfig,
                            UpstreamGuard.Settings upstream) {
        this.decisions = new ReplyDecisions(decider, tenants, clock, holdExpireAfter);
        this.clock = clock;
        this.catchUpTimeout = catchUpTimeout;
        this.unknownConversationGrace = unknownConversationGrace;
        this.holdCheckInterval = holdCheckInterval;
        this.holdMetrics = holdMetrics;
        this.serdeConfig = serdeConfig;
        this.upstream = upstream;
    }

    public Topology build() {
        StreamsBuilder builder = new StreamsBuilder();
        addTo(builder);
        return builder.build();
    }

    public void addTo(StreamsBuilder builder) {
        // Timestamped: the timestamp is when the command was parked (wall clock), which the unknown-conversation
        // grace counts from.
        builder.addStateStore(Stores.timestampedKeyValueStoreBuilder(Stores.persistentTimestampedKeyValueStore(PENDING_STORE),
                Serdes.String(), Topics.REPLY_COMMANDS.valueSerde(serdeConfig)));
        // Persistent with a changelog (like every store here): held answers survive restarts and move with their task.
        SpecificAvroSerde<HeldAnswer> heldSerde = new SpecificAvroSerde<>();
        heldSerde.configure(serdeConfig, false);
        builder.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(HELD_STORE),
                Serdes.String(), heldSerde));

        KTable<String, SessionState> sessions = builder.table(Topics.CONVERSATION_SESSIONS.name(),
                Consumed.with(Topics.CONVERSATION_SESSIONS.keySerde(), Topics.CONVERSATION_SESSIONS.valueSerde(serdeConfig))
                        .withName("conversation-sessions-source"),
                Materialized.<String, SessionState, org.apache.kafka.streams.state.KeyValueStore<org.apache.kafka.common.utils.Bytes, byte[]>>as(SESSION_STORE)
                        .withKeySerde(Topics.CONVERSATION_SESSIONS.keySerde())
                        .withValueSerde(Topics.CONVERSATION_SESSIONS.valueSerde(serdeConfig)));

        KStream<String, ReplyCommand> commands = UpstreamGuard.guard(builder.stream(Topics.REPLY_COMMANDS.name(),
                Consumed.with(Topics.REPLY_COMMANDS.keySerde(), Topics.REPLY_COMMANDS.valueSerde(serdeConfig))
                        .withName("reply-commands-source")), Topics.REPLY_COMMANDS,
                Topics.REPLY_COMMANDS.valueSerde(serdeConfig), upstream);

        // Held answers: their invitation's outcome (HELD, FAILED or REJECTED of step HOLD_INVITATION; every other
        // outcome is dropped here, before any store is read) and the agents' cancellations, with the session updates,
        // in one processor.
        KStream<String, SpecificRecord> invitationOutcomes = builder.stream(Topics.DISPATCH_OUTCOMES.name(),
                        Consumed.with(Topics.DISPATCH_OUTCOMES.keySerde(), Topics.DISPATCH_OUTCOMES.valueSerde(serdeConfig))
                                .withName("dispatch-outcomes-source"))
                .filter((key, outcome) -> outcome != null && outcome.getStep() == SendStep.HOLD_INVITATION
                                && INVITATION_RESULTS.contains(outcome.getStatus()),
                        Named.as("invitation-outcomes"))
                .mapValues(outcome -> (SpecificRecord) outcome, Named.as("invitation-outcome-as-record"));
        KStream<String, SpecificRecord> cancellations = UpstreamGuard.guard(builder.stream(Topics.REPLY_CANCELLATIONS.name(),
                        Consumed.with(Topics.REPLY_CANCELLATIONS.keySerde(), Topics.REPLY_CANCELLATIONS.valueSerde(serdeConfig))
                                .withName("reply-cancellations-source")), Topics.REPLY_CANCELLATIONS,
                        Topics.REPLY_CANCELLATIONS.valueSerde(serdeConfig), upstream)
                .mapValues(cancellation -> (SpecificRecord) cancellation, Named.as("cancellation-as-record"));

        KStream<String, SpecificRecord> decided = commands.process(
                () -> new DecideReplyProcessor(decisions, clock, catchUpTimeout, unknownConversationGrace, holdMetrics),
                Named.as("decide-reply"), SESSION_STORE, PENDING_STORE, HELD_STORE);
        KStream<String, SessionState> sessionUpdates = sessions.toStream(Named.as("session-updates"));
        KStream<String, SpecificRecord> released = sessionUpdates
                .process(() -> new ReleaseWaitingRepliesProcessor(decisions, holdMetrics), Named.as("release-waiting-replies"),
                        PENDING_STORE, HELD_STORE);
        KStream<String, SpecificRecord> heldAnswers = sessionUpdates
                .mapValues(session -> (SpecificRecord) session, Named.as("session-as-record"))
                .merge(invitationOutcomes, Named.as("sessions-and-invitation-outcomes"))
                .merge(cancellations, Named.as("held-answer-events"))
                .process(() -> new HeldAnswersProcessor(decisions, clock, holdCheckInterval, holdMetrics),
                        Named.as("held-answers"), SESSION_STORE, HELD_STORE);

        decided.merge(released, Named.as("decisions"))
                .merge(heldAnswers, Named.as("decisions-and-held-answers"))
                .split(Named.as("route-"))
                .branch((key, value) -> value instanceof SendRequest, Branched.withConsumer(sends -> sends
                        .mapValues(value -> (SendRequest) value, Named.as("as-send-request"))
                        .to(Topics.SEND_REQUESTS.name(), Produced.with(Topics.SEND_REQUESTS.keySerde(),
                                Topics.SEND_REQUESTS.valueSerde(serdeConfig)).withName("send-requests-sink")),
                        "send-requests"))
                .defaultBranch(Branched.withConsumer(outcomes -> outcomes
                        .mapValues(value -> (DispatchOutcome) value, Named.as("as-outcome"))
                        .to(Topics.DISPATCH_OUTCOMES.name(), Produced.with(Topics.DISPATCH_OUTCOMES.keySerde(),
                                Topics.DISPATCH_OUTCOMES.valueSerde(serdeConfig)).withName("dispatch-outcomes-sink")),
                        "dispatch-outcomes"));
    }

    /** Key of a waiting command: the conversation id first, so one prefix scan finds a conversation's commands. */
    static String pendingKey(String conversationId, String commandId) {
        return conversationId + '#' + commandId;
    }

    static String pendingPrefix(String conversationId) {
        return conversationId + '#';
    }
}
