package com.answerline.dispatch.config;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.ConsumerAwareRebalanceListener;

import io.micrometer.core.instrument.MeterRegistry;

import com.answerline.avro.DispatchOutcome;
import com.answerline.dispatch.send.KafkaSendLedgerLog;
import com.answerline.dispatch.send.SendLedger;
import com.answerline.schemas.topic.Topics;

/**
 * The persistent send ledger (see {@link SendLedger}): its topic, its log and the rebalance hook that makes the
 * sender re-read a ledger partition after it changed hands.
 *
 * <p>The topic is dispatch's own (no other service reads it), so it is declared here rather than in the shared
 * catalogue. It has as many partitions as {@code send-requests}: ledger partition p belongs to send-requests
 * partition p. Compacted (the latest entry per command id) and deleted after {@link #LEDGER_RETENTION}, which must
 * outlive any redelivery of a send request (send-requests keeps the broker's default, 7 days).
 */
@Configuration(proxyBeanMethods = false)
class LedgerConfig {

    static final String LEDGER_TOPIC = "dispatch-send-ledger";
    static final Duration LEDGER_RETENTION = Duration.ofDays(8);
    static final Duration LEDGER_TIMEOUT = Duration.ofSeconds(30);

    @Bean
    KafkaAdmin.NewTopics sendLedgerTopic() {
        return new KafkaAdmin.NewTopics(new NewTopic(LEDGER_TOPIC, Optional.of(Topics.SEND_REQUESTS.partitions()), Optional.empty())
                .configs(Map.of(
                        TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE,
                        TopicConfig.RETENTION_MS_CONFIG, Long.toString(LEDGER_RETENTION.toMillis()))));
    }

    @Bean
    KafkaSendLedgerLog sendLedgerLog(KafkaTemplate<String, DispatchOutcome> template, KafkaProperties kafka,
                                     MeterRegistry meters) {
        Consumer<String, Object> reader = new KafkaConsumer<>(KafkaSendLedgerLog.readerProperties(kafka.buildConsumerProperties()));
        return new KafkaSendLedgerLog(LEDGER_TOPIC, template, reader, LEDGER_TIMEOUT, meters);
    }

    @Bean
    SendLedger sendLedger(KafkaSendLedgerLog log) {
        return new SendLedger(log);
    }

    /**
     * Partitions of send-requests (and delivery-statuses, assigned with them) this process gave up: another owner
     * may extend their ledger partitions.
     */
    @Bean
    ConsumerAwareRebalanceListener sendLedgerRebalanceListener(SendLedger ledger) {
        return new ConsumerAwareRebalanceListener() {
            @Override
            public void onPartitionsRevokedAfterCommit(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                release(partitions);
            }

            @Override
            public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
                release(partitions);
            }

            private void release(Collection<TopicPartition> partitions) {
                ledger.release(partitions.stream()
                        .filter(tp -> tp.topic().equals(Topics.SEND_REQUESTS.name())
                                || tp.topic().equals(Topics.DELIVERY_STATUSES.name()))
                        .map(TopicPartition::partition)
                        .distinct()
                        .toList());
            }
        };
    }
}
