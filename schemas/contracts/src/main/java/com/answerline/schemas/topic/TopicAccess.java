package com.answerline.schemas.topic;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * What each service does with each topic of the catalogue: the one declaration the Kafka ACLs of a deployment are
 * written from (deploy/k8s's {@code KafkaUser}s, checked against it by deploy/ops-check), and which each service's
 * tests check against its real consumers, producers and topologies.
 *
 * @param service       the service's name, also its Kafka principal (Strimzi {@code KafkaUser})
 * @param applicationId its Kafka Streams application id (default of its configuration): the consumer group, the
 *                      prefix of its internal topics ({@code <id>-...-changelog}, {@code -repartition}) and of its
 *                      transactional ids when it is exactly-once
 * @param exactlyOnce   whether its Streams app runs exactly-once v2, whose producers are transactional with ids
 *                      {@code <applicationId>-<process>-<thread>}
 * @param groups        its other consumer groups (Spring Kafka listener ids); readers by assignment have none
 * @param reads         topics it consumes (Streams sources and global tables, listeners, readers by assignment)
 * @param writes        topics it produces records of its own to
 * @param forwards      upstream-facing topics it guards: a record on the wrong partition is written again to the same
 *                      topic (UpstreamGuard), so it needs WRITE there although it originates nothing on them
 * @param describes     further topics it only describes (the start-up co-partitioning check)
 * @param legacyReads   topics outside the catalogue it still reads (a ledger of an older release)
 */
public record TopicAccess(String service, String applicationId, boolean exactlyOnce, List<String> groups, List<Topic<?>> reads,
                          List<Topic<?>> writes, List<Topic<?>> forwards, List<Topic<?>> describes,
                          List<String> legacyReads) {

    public static final TopicAccess INGEST = new TopicAccess("ingest-service", "ingest-service", false, List.of(),
            List.of(Topics.DISPATCH_OUTCOMES, Topics.CONVERSATION_MESSAGES, Topics.CONVERSATION_SESSIONS,
                    Topics.REPLY_ACCEPTANCES, Topics.CUSTOMER_IDENTITIES),
            List.of(Topics.INBOUND_MESSAGES, Topics.DELIVERY_STATUSES, Topics.REPLY_COMMANDS, Topics.ASSIGNMENT_CHANGES,
                    Topics.REPLY_CANCELLATIONS, Topics.REPLY_ACCEPTANCES, Topics.CUSTOMER_IDENTITIES,
                    Topics.UNROUTED_WEBHOOKS),
            List.of(),
            Topics.CONVERSATION_TOPICS,
            List.of());

    public static final TopicAccess SESSION = new TopicAccess("session-service", "session-service", true, List.of(),
            List.of(Topics.INBOUND_MESSAGES, Topics.DISPATCH_OUTCOMES, Topics.ASSIGNMENT_CHANGES, Topics.DELIVERY_STATUSES),
            List.of(Topics.CONVERSATION_SESSIONS, Topics.WINDOW_EVENTS, Topics.CONVERSATION_MESSAGES),
            List.of(Topics.INBOUND_MESSAGES, Topics.ASSIGNMENT_CHANGES, Topics.DELIVERY_STATUSES),
            List.of(),
            List.of());

    /**
     * dispatch's sender listens as {@code dispatch-sender}, its outcome metrics as {@code dispatch-outcome-metrics}; its
     * Direct Send access record is read by assignment (no group).
     */
    public static final TopicAccess DISPATCH = new TopicAccess("dispatch-service", "dispatch-service-decisions", true,
            List.of("dispatch-sender", "dispatch-outcome-metrics"),
            List.of(Topics.REPLY_COMMANDS, Topics.CONVERSATION_SESSIONS, Topics.DISPATCH_OUTCOMES,
                    Topics.REPLY_CANCELLATIONS, Topics.SEND_REQUESTS, Topics.DELIVERY_STATUSES, Topics.SEND_LEDGER,
                    Topics.DIRECT_SEND_ACCESS),
            List.of(Topics.SEND_REQUESTS, Topics.DISPATCH_OUTCOMES, Topics.SEND_LEDGER, Topics.DIRECT_SEND_ACCESS),
            List.of(Topics.REPLY_COMMANDS, Topics.REPLY_CANCELLATIONS),
            List.of(),
            List.of("dispatch-send-ledger"));

    public static final List<TopicAccess> ALL = List.of(INGEST, SESSION, DISPATCH);

    public TopicAccess {
        groups = List.copyOf(groups);
        reads = List.copyOf(reads);
        writes = List.copyOf(writes);
        forwards = List.copyOf(forwards);
        describes = List.copyOf(describes);
        legacyReads = List.copyOf(legacyReads);
        if (!reads.containsAll(forwards)) {
            throw new IllegalArgumentException(service + " forwards only records of topics it reads");
        }
    }

    /** Topic names it consumes: the catalogue's and the legacy ones. */
    public Set<String> readTopics() {
        Set<String> names = new LinkedHashSet<>(names(reads));
        names.addAll(legacyReads);
        return names;
    }

    /**
     * Topic names it produces to: its own, the guarded ones it forwards to, and the dead-letter twin of every topic it
     * reads or writes (poison records of what it reads, invalid records of what it would write).
     */
    public Set<String> writeTopics() {
        Set<String> names = new LinkedHashSet<>(names(writes));
        names.addAll(names(forwards));
        Stream.concat(reads.stream(), writes.stream()).map(Topic::deadLetter).forEach(names::add);
        return names;
    }

    /** Topic names it may describe: everything it reads or writes, and what it checks at start-up. */
    public Set<String> describeTopics() {
        Set<String> names = new LinkedHashSet<>(readTopics());
        names.addAll(writeTopics());
        for (Topic<?> topic : describes) {
            names.add(topic.name());
            names.add(topic.deadLetter());
        }
        return names;
    }

    /** Which services write this topic (originating or forwarding), in catalogue order. */
    public static List<String> writersOf(String topic) {
        List<String> writers = new ArrayList<>();
        for (TopicAccess access : ALL) {
            if (access.writeTopics().contains(topic)) {
                writers.add(access.service());
            }
        }
        return writers;
    }

    private static List<String> names(List<Topic<?>> topics) {
        return topics.stream().map(Topic::name).toList();
    }
}
