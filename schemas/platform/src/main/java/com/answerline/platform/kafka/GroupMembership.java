package com.answerline.platform.kafka;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import com.answerline.platform.streams.StreamsApp;

/**
 * How fast a consumer group notices an instance that died without leaving ({@code kill -9}, an OOM kill, a lost
 * node), under {@code answerline.kafka.membership}, the same key in every service, for every group consumer: each
 * service's Streams app (its main consumer) and dispatch's sender listener. Until the group drops the dead member its
 * partitions are served by nobody; a restarted instance waits for it too, because the group rebalances only once the
 * dead member is gone.
 *
 * <p>The choice (docs/reliability.md "Takeover"): the classic group protocol with a short session timeout, and standby
 * replicas of the Streams stores (each service's own setting), so the survivor's copy is warm. Static membership does
 * not help a killed member (its partitions wait its session timeout just the same), and the newer consumer protocol
 * (KIP-848) is not available to Kafka Streams 4.1 apps (their own "streams" protocol is early access) and its
 * session timeout is the broker's ({@code group.consumer.min.session.timeout.ms}, 45 s by default).
 *
 * <p>The trade-off: heartbeats come from a background thread, so slow processing, a long restore or a slow provider
 * never evicts an instance; a pause of the whole JVM (a GC pause, a frozen or starved container) longer than the
 * session timeout does, and its partitions move (a rebalance of seconds, nothing lost: the evicted instance is fenced
 * and rejoins). Raise the timeout where such pauses are expected; each second added is a second more of takeover.
 *
 * @param sessionTimeout the consumers' {@code session.timeout.ms}: 6 s (the broker's {@code
 *                       group.min.session.timeout.ms} by default) to 30 min ({@code group.max.session.timeout.ms});
 *                       default 6 s. Heartbeats go every sixth of it, at most Kafka's 3 s: five may be lost before a
 *                       live member is dropped, and the survivors hear of a rebalance within a second
 * @param transactionTimeout an exactly-once Streams app's {@code transaction.timeout.ms}: a killed instance leaves
 *                       its transaction open, and the new owner of its tasks cannot read their committed offsets
 *                       (Kafka answers "unstable offset", KIP-447) nor can anyone read past it (read_committed) until
 *                       the broker aborts it, this long after it began (plus the broker's check interval,
 *                       {@code transaction.abort.timed.out.transaction.cleanup.interval.ms}, 10 s by default: set it to
 *                       1 s). Default 5 s (Streams' own: 10 s); more than the commit interval, and long enough for a
 *                       commit on a slow broker: a transaction that outlives it is aborted and its work redone
 *                       (nothing lost: exactly once)
 * @param probingRebalanceInterval a Streams app's {@code probing.rebalance.interval.ms}: an instance that joins (a
 *                       restart, a scale-out) first gets standby copies only and takes active tasks over once they
 *                       have caught up, at the next probing rebalance. Default 1 min (Kafka's minimum; its default is
 *                       10 min): two instances share the work a minute or so after one of them restarted, instead of
 *                       one of them holding everything for ten, and a kill then costs each survivor half the takeover
 * @param maxPollInterval a Streams app's main consumer's {@code max.poll.interval.ms}: a stream thread polls at least
 *                       every half of it. Default 10 s; see {@link #DEFAULT_MAX_POLL_INTERVAL}
 * @param fetchPerPartition every group consumer's {@code max.partition.fetch.bytes}: how much of one partition a fetch
 *                       brings. Default 8 KB (Kafka: 1 MB); see {@link #DEFAULT_FETCH_PER_PARTITION}
 */
@ConfigurationProperties("answerline.kafka.membership")
public record GroupMembership(@DefaultValue("6s") Duration sessionTimeout,
                              @DefaultValue("5s") Duration transactionTimeout,
                              @DefaultValue("1m") Duration probingRebalanceInterval,
                              @DefaultValue("10s") Duration maxPollInterval,
                              @DefaultValue("8KB") DataSize fetchPerPartition) {

    private static final Duration MIN = Duration.ofSeconds(6);
    private static final Duration MAX = Duration.ofMinutes(30);
    private static final Duration MIN_TRANSACTION = Duration.ofSeconds(1);
    private static final Duration MAX_TRANSACTION = Duration.ofMinutes(15);
    private static final Duration MIN_PROBING = Duration.ofMinutes(1);
    private static final Duration MIN_POLL_INTERVAL = Duration.ofSeconds(2);

    /**
     * A Streams app's main consumer's {@code max.poll.interval.ms} (Streams' default: 5 min). A stream thread polls
     * again only once none of its tasks can process anything, or after half of this, and its consumer's network I/O
     * (fetches, the end offsets a task waits for before it processes an input partition whose buffer ran dry, since
     * {@code max.task.idle.ms} is 0) happens inside that poll. An instance that takes over a backlog (a restart, a
     * takeover) had tasks waiting, uncommitted, while the thread worked through the others' buffered records: after a
     * dispatch restart under the fault suite's load, its decisions served their six partitions over 27 s (42 to 69 s
     * after the kill); with 10 s, over 13 and 17 s (two runs). A main consumer handing over 10,000 records a poll
     * instead of 1,000 did not help and was not kept. 10 s: a poll at least every 5 s. A thread that goes longer
     * between two polls (one loop of processing, punctuation and commit) is dropped from the group and rejoins (a
     * rebalance, nothing lost).
     */
    static final Duration DEFAULT_MAX_POLL_INTERVAL = Duration.ofSeconds(10);

    /**
     * Every group consumer's {@code max.partition.fetch.bytes} (Kafka's default: 1 MB). A poll hands over at most
     * {@code max.poll.records} (Streams: 1,000; a listener: 500), taken partition after partition from what the last
     * fetch brought. After a restart each partition has a backlog; with 1 MB a partition, the first poll's 1,000
     * records came from a few partitions, and the tasks of the others waited, with no record and no known end offset
     * (so, with {@code max.task.idle.ms} 0, not processable), for the next poll: up to 5 s later, while the thread
     * worked through the first ones (a freshly started JVM folds 50 to 300 events a second at first). Traced with
     * PartitionGroup's TRACE log: a restarted session served its partitions in rounds 5 s apart, and missed its start
     * time + 5 s by 4 s. With 8 KB (about 10 to 20 records) a partition, each poll carries some of every partition,
     * every task is processable after the first poll, and the thread polls again as soon as it ran through them: the
     * same restart served every partition within 2.9 s of its start (docs/reliability.md, "Takeover"). In steady state
     * a partition gets far less than 8 KB between two fetches; a record larger than it is still fetched whole. The
     * price: about 10 % of the fold's peak throughput (benchmark fold stage, 6,146 and 6,455 events/s against 7,068
     * and 7,073 with 1 MB); set 1MB where peak throughput matters more than a restart's takeover.
     */
    static final DataSize DEFAULT_FETCH_PER_PARTITION = DataSize.ofKilobytes(8);
    private static final DataSize MIN_FETCH_PER_PARTITION = DataSize.ofKilobytes(1);
    private static final DataSize MAX_FETCH_PER_PARTITION = DataSize.ofMegabytes(8);

    /** The defaults, for callers (tests) that do not bind properties. */
    public static final GroupMembership DEFAULTS = new GroupMembership(MIN, Duration.ofSeconds(5), MIN_PROBING,
            DEFAULT_MAX_POLL_INTERVAL, DEFAULT_FETCH_PER_PARTITION);

    public GroupMembership {
        if (sessionTimeout == null || sessionTimeout.compareTo(MIN) < 0 || sessionTimeout.compareTo(MAX) > 0) {
            throw new IllegalArgumentException("answerline.kafka.membership.session-timeout must be between " + MIN
                    + " and " + MAX + ": " + sessionTimeout);
        }
        // The broker's transaction.max.timeout.ms is 15 min by default.
        if (transactionTimeout == null || transactionTimeout.compareTo(MIN_TRANSACTION) < 0
                || transactionTimeout.compareTo(MAX_TRANSACTION) > 0) {
            throw new IllegalArgumentException("answerline.kafka.membership.transaction-timeout must be between "
                    + MIN_TRANSACTION + " and " + MAX_TRANSACTION + ": " + transactionTimeout);
        }
        if (probingRebalanceInterval == null || probingRebalanceInterval.compareTo(MIN_PROBING) < 0) {
            throw new IllegalArgumentException("answerline.kafka.membership.probing-rebalance-interval must be at least "
                    + MIN_PROBING + " (Kafka's minimum): " + probingRebalanceInterval);
        }
        if (maxPollInterval == null || maxPollInterval.compareTo(MIN_POLL_INTERVAL) < 0
                || maxPollInterval.compareTo(MAX) > 0) {
            throw new IllegalArgumentException("answerline.kafka.membership.max-poll-interval must be between "
                    + MIN_POLL_INTERVAL + " and " + MAX + ": " + maxPollInterval);
        }
        if (fetchPerPartition == null || fetchPerPartition.compareTo(MIN_FETCH_PER_PARTITION) < 0
                || fetchPerPartition.compareTo(MAX_FETCH_PER_PARTITION) > 0) {
            throw new IllegalArgumentException("answerline.kafka.membership.fetch-per-partition must be between "
                    + MIN_FETCH_PER_PARTITION + " and " + MAX_FETCH_PER_PARTITION + ": " + fetchPerPartition);
        }
    }

    /**
     * How often a member heartbeats: a sixth of the session timeout, at most Kafka's default 3 s. Kafka asks for a third
     * at most; a sixth also tells the survivors of a dead member's eviction sooner (they learn of the rebalance from
     * their next heartbeat's answer), for one small request a second per member.
     */
    public Duration heartbeatInterval() {
        return Duration.ofMillis(Math.min(3_000, sessionTimeout.toMillis() / 6));
    }

    /** The settings of a group consumer (a new mutable map). */
    public Map<String, Object> consumerSettings() {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) sessionTimeout.toMillis());
        settings.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) heartbeatInterval().toMillis());
        settings.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, (int) fetchPerPartition.toBytes());
        return settings;
    }

    /**
     * {@code app} with these settings on its main consumer (the one in the group; restore and global have none), its
     * {@link #maxPollInterval()}, its probing rebalance interval and, exactly once, the transaction timeout on its
     * producer.
     */
    public StreamsApp applyTo(StreamsApp app) {
        StreamsApp applied = app.with(StreamsConfig.PROBING_REBALANCE_INTERVAL_MS_CONFIG,
                probingRebalanceInterval.toMillis())
                .with(StreamsConfig.mainConsumerPrefix(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG),
                        (int) maxPollInterval.toMillis());
        for (Map.Entry<String, Object> setting : consumerSettings().entrySet()) {
            applied = applied.with(StreamsConfig.mainConsumerPrefix(setting.getKey()), setting.getValue());
        }
        if (app.guarantee() == StreamsApp.Guarantee.EXACTLY_ONCE_V2) {
            applied = applied.with(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG),
                    (int) transactionTimeout.toMillis());
        }
        return applied;
    }
}
