package com.answerline.schemas.topic;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.avro.specific.SpecificRecord;

import com.answerline.avro.AssignmentChanged;
import com.answerline.avro.CustomerIdentity;
import com.answerline.avro.DeliveryStatus;
import com.answerline.avro.DirectSendAccessEntry;
import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.InboundMessage;
import com.answerline.avro.ReplyAcceptance;
import com.answerline.avro.ReplyCancellation;
import com.answerline.avro.ReplyCommand;
import com.answerline.avro.SendLedgerEntry;
import com.answerline.avro.SendRequest;
import com.answerline.avro.SessionState;
import com.answerline.avro.ThreadMessage;
import com.answerline.avro.UnroutedWebhook;
import com.answerline.avro.WindowEvent;

/**
 * The topic catalogue. Every topic the system reads or writes is declared here once; call sites use
 * these constants, never a string.
 *
 * <p>All of them but {@link #UNROUTED_WEBHOOKS}, {@link #CUSTOMER_IDENTITIES}, {@link #REPLY_ACCEPTANCES},
 * {@link #SEND_LEDGER} and {@link #DIRECT_SEND_ACCESS} are conversation topics ({@link #CONVERSATION_TOPICS}): keyed by
 * the conversation id {@code <phone_number_id>:<customer key>} with the same partition count, so they are
 * co-partitioned and a conversation's records meet on one partition number in every topic (the session fold and
 * dispatch's join rely on it). An upstream producer writing with any client and the default murmur2 partitioner
 * lands on the same partition.
 */
public final class Topics {

    /** Partition count shared by every conversation topic. Changing it re-keys every conversation. */
    public static final int CONVERSATION_PARTITIONS = 6;

    /** Customer messages from WhatsApp and SMS webhooks. Written by ingest. */
    public static final Topic<InboundMessage> INBOUND_MESSAGES = conversationTopic("inbound-messages", InboundMessage.class, false);

    /** Provider statuses of our own messages. Written by ingest. */
    public static final Topic<DeliveryStatus> DELIVERY_STATUSES = conversationTopic("delivery-statuses", DeliveryStatus.class, false);

    /** Agents' replies to deliver. Written by ingest's gateway (and upstream systems). */
    public static final Topic<ReplyCommand> REPLY_COMMANDS = conversationTopic("reply-commands", ReplyCommand.class, false);

    /** Conversation assignment changes. Written by the gateway (and upstream systems). */
    public static final Topic<AssignmentChanged> ASSIGNMENT_CHANGES = conversationTopic("assignment-changes", AssignmentChanged.class, false);

    /** Latest session state per conversation. Written only by session-service; compacted. */
    public static final Topic<SessionState> CONVERSATION_SESSIONS = conversationTopic("conversation-sessions", SessionState.class, true);

    /** OPENED / EXPIRING / CLOSED window events. Written only by session-service. */
    public static final Topic<WindowEvent> WINDOW_EVENTS = conversationTopic("window-events", WindowEvent.class, false);

    /** Dispatch's channel decisions, consumed by its sender. Written only by dispatch-service. */
    public static final Topic<SendRequest> SEND_REQUESTS = conversationTopic("send-requests", SendRequest.class, false);

    /** Outcome of every reply command. Written only by dispatch-service. */
    public static final Topic<DispatchOutcome> DISPATCH_OUTCOMES = conversationTopic("dispatch-outcomes", DispatchOutcome.class, false);

    /** Agents' cancellations of held answers (TEMPLATE_THEN_HOLD). Written by ingest's gateway (and upstream systems). */
    public static final Topic<ReplyCancellation> REPLY_CANCELLATIONS = conversationTopic("reply-cancellations", ReplyCancellation.class, false);

    /** How long a conversation's thread keeps a message by default (the thread store's retention setting too). */
    public static final Duration THREAD_RETENTION = Duration.ofDays(90);

    /**
     * Every change of a conversation's thread (a new inbound message, a reaction, an outbound send's outcome or
     * delivery status), the message's whole current state each time. Written only by session-service, which owns the
     * thread; read by ingest (live feed, reply outcomes). Not compacted (keyed by conversation, so compaction would
     * keep one message per conversation); kept as long as a thread keeps a message.
     */
    public static final Topic<ThreadMessage> CONVERSATION_MESSAGES = new Topic<>("conversation-messages",
            ThreadMessage.class, CONVERSATION_PARTITIONS, false, "conversation-messages-dlt", 0, THREAD_RETENTION);

    /**
     * Largest record of {@link #UNROUTED_WEBHOOKS}: a whole webhook body (ingest accepts up to 3 MiB) plus the
     * record's own fields. Its writers set {@code max.request.size} at least this high.
     */
    public static final int UNROUTED_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

    /**
     * Signed webhooks for a business number no tenant owns, kept verbatim for inspection and replay. Written by
     * ingest. Not a conversation topic: no tenant, no conversation; keyed by the business number (phone_number_id,
     * or an SMS number's digits). One partition: rare records, read by people in arrival order.
     */
    public static final Topic<UnroutedWebhook> UNROUTED_WEBHOOKS = new Topic<>("unrouted-webhooks",
            UnroutedWebhook.class, 1, false, "unrouted-webhooks-dlt", UNROUTED_MAX_MESSAGE_BYTES);

    /**
     * The customer identity directory: every identifier (phone, BSUID) seen for a customer of a business number,
     * mapped to the customer's conversation. Written and read (as a global table) by ingest. Keyed by
     * {@code <phone_number_id>:<identifier>}, so not a conversation topic; compacted.
     */
    public static final Topic<CustomerIdentity> CUSTOMER_IDENTITIES = new Topic<>("customer-identities",
            CustomerIdentity.class, CONVERSATION_PARTITIONS, true, "customer-identities-dlt");

    /** How long the gateway remembers an Idempotency-Key (as Stripe does: a day). */
    public static final Duration IDEMPOTENCY_RETENTION = Duration.ofHours(24);

    /**
     * Replies the gateway accepted under an Idempotency-Key, keyed by the command id derived from it. Written and
     * read (as a global table) by ingest; compacted and deleted after {@link #IDEMPOTENCY_RETENTION}.
     */
    public static final Topic<ReplyAcceptance> REPLY_ACCEPTANCES = new Topic<>("reply-acceptances",
            ReplyAcceptance.class, CONVERSATION_PARTITIONS, true, "reply-acceptances-dlt", 0, IDEMPOTENCY_RETENTION);

    /** How long dispatch's send ledger keeps an entry: longer than any redelivery of a send request (7 days). */
    public static final Duration SEND_LEDGER_RETENTION = Duration.ofDays(8);

    /**
     * dispatch-service's send ledger: the state of every provider send, keyed by the ledger key (the command id, or
     * {@code <commandId>/<step>}), written to the partition number of its send request (so as many partitions as
     * {@link #SEND_REQUESTS}). Written and read only by dispatch's sender; compacted and deleted after
     * {@link #SEND_LEDGER_RETENTION}. "-v2": until 2026-12 the ledger held DispatchOutcome values on
     * {@code dispatch-send-ledger}; a topic's registry subject cannot change record type (see the dispatch README).
     */
    public static final Topic<SendLedgerEntry> SEND_LEDGER = new Topic<>("dispatch-send-ledger-v2",
            SendLedgerEntry.class, CONVERSATION_PARTITIONS, true, "dispatch-send-ledger-v2-dlt", 0, SEND_LEDGER_RETENTION);

    /**
     * dispatch-service's record of WhatsApp Direct Send refusals per business number: the latest
     * {@link DirectSendAccessEntry} per phone_number_id (refused with 100 or 139200, or re-enabled by an operator).
     * Written and read only by dispatch, every instance reading all of it (the decision of any conversation asks it);
     * compacted and never deleted by age (a refusal stays until an operator re-enables the number, or a later entry
     * replaces it). Keyed by phone_number_id, not a conversation topic; one partition: a handful of records.
     */
    public static final Topic<DirectSendAccessEntry> DIRECT_SEND_ACCESS = new Topic<>("dispatch-direct-send-access",
            DirectSendAccessEntry.class, 1, true, "dispatch-direct-send-access-dlt");

    /** The co-partitioned topics keyed by conversation id. */
    public static final List<Topic<?>> CONVERSATION_TOPICS = List.of(INBOUND_MESSAGES, DELIVERY_STATUSES,
            REPLY_COMMANDS, ASSIGNMENT_CHANGES, CONVERSATION_SESSIONS, WINDOW_EVENTS, SEND_REQUESTS, DISPATCH_OUTCOMES,
            REPLY_CANCELLATIONS, CONVERSATION_MESSAGES);

    /**
     * The topics with the conversation partition count: the conversation topics, and the send ledger, whose partition
     * p belongs to send-requests partition p. A deployment that changes the count changes it for all of them.
     */
    public static final List<Topic<?>> CONVERSATION_PARTITIONED = Stream.concat(CONVERSATION_TOPICS.stream(),
            Stream.of(SEND_LEDGER)).toList();

    /** Every topic of the system; what the local stack and ingest create (with their dead-letter twins). */
    public static final List<Topic<?>> ALL = Stream.concat(CONVERSATION_TOPICS.stream(),
            Stream.of(UNROUTED_WEBHOOKS, CUSTOMER_IDENTITIES, REPLY_ACCEPTANCES, SEND_LEDGER, DIRECT_SEND_ACCESS)).toList();

    private static final Map<String, Class<? extends SpecificRecord>> VALUE_TYPES = ALL.stream()
            .collect(Collectors.toUnmodifiableMap(Topic::name, Topic::valueType));

    private Topics() {
    }

    /**
     * The value type the catalogue declares for a topic name, or null for a topic it does not declare (dead-letter
     * twins, Kafka Streams' internal topics, anyone else's).
     */
    public static Class<? extends SpecificRecord> valueTypeOf(String topicName) {
        return topicName == null ? null : VALUE_TYPES.get(topicName);
    }

    /**
     * Where records of {@code topicName} that cannot be processed go: the catalogue's dead-letter twin, or
     * {@code <name>-dlt} for a topic the catalogue does not declare (e.g. Kafka Streams' internal topics). The one rule every
     * dead-letter publisher uses.
     */
    public static String deadLetterOf(String topicName) {
        return ALL.stream().filter(topic -> topic.name().equals(topicName)).findFirst()
                .map(Topic::deadLetter).orElse(topicName + "-dlt");
    }

    private static <V extends SpecificRecord> Topic<V> conversationTopic(
            String name, Class<V> type, boolean compacted) {
        return new Topic<>(name, type, CONVERSATION_PARTITIONS, compacted, name + "-dlt");
    }
}
