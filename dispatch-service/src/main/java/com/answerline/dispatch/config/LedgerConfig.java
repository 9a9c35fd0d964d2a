package com.answerline.dispatch.config;

import java.time.Duration;
import java.util.Collection;
import java.util.List;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;

import io.micrometer.core.instrument.MeterRegistry;

import com.answerline.avro.SendLedgerEntry;
import com.answerline.dispatch.provider.ThroughputShare;
import com.answerline.dispatch.send.KafkaSendLedgerLog;
import com.answerline.dispatch.send.ParkedSends;
import com.answerline.dispatch.send.SendLedger;
import com.answerline.dispatch.send.UnknownSendDeadline;
import com.answerline.schemas.topic.Topics;

/**
 * The persistent send ledger (see {@link SendLedger}): its topic, its log and the rebalance hook that makes the
 * sender re-read a ledger partition after it changed hands.
 *
 * <p>The topic is {@link Topics#SEND_LEDGER} (only dispatch reads and writes it; declared in the catalogue like every
 * topic, and declared and checked with dispatch's other topics in {@code KafkaConfig}, so dispatch starts on a cluster
 * where nothing else created it). It has as many partitions as {@code send-requests} (the deployment's conversation
 * partition count): ledger partition p belongs to send-requests partition p. Compacted (the
 * latest entry per send) and deleted after {@link Topics#SEND_LEDGER_RETENTION}, which must outlive any redelivery
 * of a send request (send-requests keeps the broker's default, 7 days). {@link #LEGACY_LEDGER_TOPIC}, the previous
 * release's ledger, is only read (see {@link KafkaSendLedgerLog}).
 */
@Configuration(proxyBeanMethods = false)
class LedgerConfig {

    /** The ledger of releases before 2026-12 (DispatchOutcome values): read once at start-up, never written. */
    static final String LEGACY_LEDGER_TOPIC = "dispatch-send-ledger";
    static final Duration LEDGER_TIMEOUT = Duration.ofSeconds(30);
    @Bean
    KafkaSendLedgerLog sendLedgerLog(KafkaTemplate<String, SendLedgerEntry> template, KafkaProperties kafka,
                                     MeterRegistry meters) {
        Consumer<String, Object> reader = new KafkaConsumer<>(KafkaSendLedgerLog.readerProperties(kafka.buildConsumerProperties()));
        return new KafkaSendLedgerLog(Topics.SEND_LEDGER.name(), LEGACY_LEDGER_TOPIC, template, reader, LEDGER_TIMEOUT, meters);
    }

    @Bean
    SendLedger sendLedger(KafkaSendLedgerLog log) {
        return new SendLedger(log);
    }

    /**
     * The sender's one rebalance listener (Boot hands the listener container factory a rebalance listener only when
     * exactly one bean exists, so the sender's hooks live together here). Partitions of send-requests (and
     * delivery-statuses, assigned with them) this process gave up: another owner may extend their ledger
     * partitions; the parked sends there stop first (their steps in flight end), then the ledger forgets where it
     * stood; partitions assigned are where the parked sends are retried. And this instance's {@link ThroughputShare}:
     * taken when a send-requests partition is assigned, dropped when it is revoked (before the commit, so before any
     * other member can be given it) or lost.
     */
    @Bean
    ConsumerAwareRebalanceListener sendLedgerRebalanceListener(SendLedger ledger, ParkedSends parked,
                                                               ThroughputShare share) {
        return new ConsumerAwareRebalanceListener() {
            @Override
            public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                share.assigned(UnknownSendDeadline.partitions(partitions));
                parked.assigned(senderPartitions(partitions));
            }

            @Override
            public void onPartitionsRevokedBeforeCommit(Consumer<?, ?> consumer,
                                                        Collection<TopicPartition> partitions) {
                share.revoked(UnknownSendDeadline.partitions(partitions));
            }

            @Override
            public void onPartitionsRevokedAfterCommit(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                release(partitions);
            }

            @Override
            public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                share.revoked(UnknownSendDeadline.partitions(partitions));
                release(partitions);
            }

            private void release(Collection<TopicPartition> partitions) {
                List<Integer> released = senderPartitions(partitions);
                parked.revoked(released);
                ledger.release(released);
            }

            private static List<Integer> senderPartitions(Collection<TopicPartition> partitions) {
                return partitions.stream()
                        .filter(tp -> tp.topic().equals(Topics.SEND_REQUESTS.name())
                                || tp.topic().equals(Topics.DELIVERY_STATUSES.name()))
                        .map(TopicPartition::partition)
                        .distinct()
                        .toList();
            }
        };
    }
}
