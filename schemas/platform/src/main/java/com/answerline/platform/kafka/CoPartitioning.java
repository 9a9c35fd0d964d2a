package com.answerline.platform.kafka;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.kafka.core.KafkaAdmin;

import com.answerline.schemas.topic.Topic;
import com.answerline.schemas.topic.Topics;

/**
 * The start-up check that the conversation topics a service reads are co-partitioned as the services assume: each has
 * the partition count the catalogue (and the upstream guard) expects. A topic created by hand with another count would
 * put a conversation's records on different partition numbers, so the session fold, dispatch's join and the ledger
 * would each see a part of it, and the upstream guard would forward every record; a service refuses to start instead.
 * A broker that does not answer in time, or topics that do not exist yet (the service creates them), are not a
 * disagreement: the check passes and says so.
 */
public final class CoPartitioning {

    private static final Logger log = LoggerFactory.getLogger(CoPartitioning.class);
    private static final long STARTUP_TIMEOUT_MILLIS = 10_000;

    private CoPartitioning() {
    }

    /**
     * The check as a bean: it runs once every singleton exists (after {@link KafkaAdmin} created the missing topics,
     * before the Streams apps and listeners start), with an admin client of {@code admin}'s configuration.
     */
    public static SmartInitializingSingleton atStartUp(KafkaAdmin admin, List<Topic<?>> topics) {
        return () -> {
            try (Admin client = Admin.create(admin.getConfigurationProperties())) {
                verify(client, topics, Topics.CONVERSATION_PARTITIONS, STARTUP_TIMEOUT_MILLIS);
            }
        };
    }

    /**
     * @throws IllegalStateException naming every topic whose partition count is not {@code expected}
     */
    public static void verify(Admin admin, List<Topic<?>> topics, int expected, long timeoutMillis) {
        Map<String, Integer> counts = new TreeMap<>();
        for (Topic<?> topic : topics) {
            try {
                TopicDescription description = admin.describeTopics(List.of(topic.name())).allTopicNames()
                        .get(timeoutMillis, TimeUnit.MILLISECONDS).get(topic.name());
                counts.put(topic.name(), description.partitions().size());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    log.warn("Co-partitioning not checked: describing {} failed ({})", topic.name(), e.getCause().toString());
                    return;
                }
            } catch (TimeoutException e) {
                log.warn("Co-partitioning not checked: the brokers did not answer within {} ms", timeoutMillis);
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        Map<String, Integer> wrong = new TreeMap<>(counts);
        wrong.values().removeIf(count -> count == expected);
        if (!wrong.isEmpty()) {
            throw new IllegalStateException("Conversation topics must all have " + expected + " partitions "
                    + "(co-partitioned by conversation id), but " + wrong + ": repartition them (or recreate them empty) "
                    + "before starting the services");
        }
        log.info("Co-partitioning checked: {} topics with {} partitions", counts.size(), expected);
    }
}
