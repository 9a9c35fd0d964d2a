package com.answerline.platform.kafka;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.kafka.core.KafkaAdmin;

import com.answerline.schemas.topic.Topic;

/**
 * The start-up check, run by the service's {@link #kafkaAdmin KafkaAdmin}, that the conversation topics a service uses are co-partitioned as the deployment says: each of
 * them and its dead-letter twin has the partition count of {@code answerline.kafka.conversation-partitions}
 * ({@link KafkaPlatformProperties}), the count the upstream guard places records with. A topic created by hand with
 * another count, or a setting changed without repartitioning the topics, would put a conversation's records on
 * different partition numbers, so the session fold, dispatch's join and the ledger would each see a part of it, the
 * upstream guard would forward every record, and a dead letter could not keep its partition; a service refuses to
 * start instead, saying whether the topics disagree with each other or all with the setting.
 *
 * <p>A broker that does not answer in time, or topics that do not exist yet (the service creates them), are not a
 * disagreement: the check passes and says so.
 */
public final class CoPartitioning {

    private static final Logger log = LoggerFactory.getLogger(CoPartitioning.class);
    private static final long STARTUP_TIMEOUT_MILLIS = 10_000;

    private CoPartitioning() {
    }

    /**
     * The service's {@link KafkaAdmin} (Boot's {@code spring.kafka.admin.*} applied, as Boot's own would be), which
     * checks co-partitioning before it creates anything: once every singleton exists (before the Streams apps and
     * listeners start) it verifies {@code topics} and their dead-letter twins with an admin client of its
     * configuration, then creates the missing ones when {@code auto-create} is on. The order matters: KafkaAdmin adds
     * partitions to an existing topic declared with more, which would silently re-map every conversation of a topic
     * when the setting was raised; checked first, the service refuses to start instead.
     */
    public static KafkaAdmin kafkaAdmin(KafkaProperties kafka, Collection<? extends Topic<?>> topics,
                                        KafkaPlatformProperties deployment) {
        List<String> names = new ArrayList<>();
        for (Topic<?> topic : topics) {
            names.add(topic.name());
            names.add(topic.deadLetter());
        }
        KafkaAdmin admin = new KafkaAdmin(KafkaClients.admin(kafka)) {
            @Override
            public void afterSingletonsInstantiated() {
                try (Admin client = Admin.create(getConfigurationProperties())) {
                    verify(client, names, deployment.conversationPartitions(), STARTUP_TIMEOUT_MILLIS);
                }
                super.afterSingletonsInstantiated();
            }
        };
        KafkaProperties.Admin settings = kafka.getAdmin();
        admin.setFatalIfBrokerNotAvailable(settings.isFailFast());
        admin.setModifyTopicConfigs(settings.isModifyTopicConfigs());
        admin.setAutoCreate(settings.isAutoCreate());
        if (settings.getCloseTimeout() != null) {
            admin.setCloseTimeout((int) settings.getCloseTimeout().toSeconds());
        }
        if (settings.getOperationTimeout() != null) {
            admin.setOperationTimeout((int) settings.getOperationTimeout().toSeconds());
        }
        return admin;
    }

    /**
     * @param topics the names of co-partitioned topics
     * @throws IllegalStateException naming every topic whose partition count is not {@code expected}
     */
    public static void verify(Admin admin, Collection<String> topics, int expected, long timeoutMillis) {
        Map<String, Integer> counts = new TreeMap<>();
        for (String topic : topics) {
            try {
                TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
                        .get(timeoutMillis, TimeUnit.MILLISECONDS).get(topic);
                counts.put(topic, description.partitions().size());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    log.warn("Co-partitioning not checked: describing {} failed ({})", topic, e.getCause().toString());
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
            boolean agree = new TreeSet<>(counts.values()).size() == 1;
            throw new IllegalStateException((agree
                    ? "The conversation topics all have " + counts.values().iterator().next() + " partitions " + wrong
                            + ", but answerline.kafka.conversation-partitions is " + expected + ": set it to the topics' "
                            + "count, or repartition the topics to " + expected + " (deploy/README.md) "
                    : "Conversation topics must all have " + expected + " partitions (co-partitioned by conversation "
                            + "id, answerline.kafka.conversation-partitions), but " + wrong + ": repartition them (or "
                            + "recreate them empty) ")
                    + "before starting the services");
        }
        log.info("Co-partitioning checked: {} topics with {} partitions", counts.size(), expected);
    }
}
