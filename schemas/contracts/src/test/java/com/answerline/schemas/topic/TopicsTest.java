package com.answerline.schemas.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

import com.answerline.avro.InboundMessage;

class TopicsTest {

    @Test
    void shouldNameEveryTopicInKebabCaseOnce() {
        List<String> names = Topics.ALL.stream().map(Topic::name).toList();

        assertThat(names).doesNotHaveDuplicates().allMatch(n -> n.matches("[a-z0-9]+(-[a-z0-9]+)*"));
        assertThat(names).containsExactlyInAnyOrder("inbound-messages", "delivery-statuses", "reply-commands",
                "assignment-changes", "conversation-sessions", "window-events", "send-requests", "dispatch-outcomes",
                "reply-cancellations", "conversation-messages", "unrouted-webhooks", "customer-identities", "reply-acceptances",
                "dispatch-send-ledger-v2", "dispatch-direct-send-access");
    }

    @Test
    void shouldGiveEveryTopicADeadLetterTwinWithTheSamePartitions() {
        for (Topic<?> topic : Topics.ALL) {
            NewTopic twin = topic.newDeadLetterTopic((short) 1);

            assertThat(twin.name()).isEqualTo(topic.name() + "-dlt");
            assertThat(twin.numPartitions()).isEqualTo(topic.partitions());
            assertThat(twin.configs()).containsEntry("cleanup.policy", "delete");
        }
    }

    @Test
    void shouldCoPartitionEveryConversationTopic() {
        assertThat(Topics.ALL).containsAll(Topics.CONVERSATION_TOPICS)
                .hasSize(Topics.CONVERSATION_TOPICS.size() + 5)
                .contains(Topics.UNROUTED_WEBHOOKS, Topics.CUSTOMER_IDENTITIES, Topics.REPLY_ACCEPTANCES, Topics.SEND_LEDGER,
                        Topics.DIRECT_SEND_ACCESS);
        // The ledger is keyed by command id, not conversation: paired with send-requests by partition number instead
        assertThat(Topics.SEND_LEDGER.partitions()).isEqualTo(Topics.SEND_REQUESTS.partitions());
        assertThat(Topics.CONVERSATION_TOPICS)
                .doesNotContain(Topics.UNROUTED_WEBHOOKS, Topics.CUSTOMER_IDENTITIES, Topics.REPLY_ACCEPTANCES,
                        Topics.SEND_LEDGER, Topics.DIRECT_SEND_ACCESS)
                .allSatisfy(topic -> {
            assertThat(topic.partitions()).isEqualTo(Topics.CONVERSATION_PARTITIONS);
            assertThat(topic.newTopic((short) 3).numPartitions()).isEqualTo(Topics.CONVERSATION_PARTITIONS);
            assertThat(topic.newTopic((short) 3).replicationFactor()).isEqualTo((short) 3);
        });
    }

    @Test
    void shouldCompactOnlyTheLatestValuePerKeyTopics() {
        assertThat(Topics.ALL.stream().filter(Topic::compacted).map(Topic::name))
                .containsExactly("conversation-sessions", "customer-identities", "reply-acceptances",
                        "dispatch-send-ledger-v2", "dispatch-direct-send-access");
        // A Direct Send refusal stays until an operator re-enables the number: compacted, never deleted by age
        assertThat(Topics.DIRECT_SEND_ACCESS.newTopic((short) 1).configs()).containsEntry("cleanup.policy", "compact")
                .doesNotContainKey("retention.ms");
        assertThat(Topics.CONVERSATION_SESSIONS.newTopic((short) 1).configs()).containsEntry("cleanup.policy", "compact")
                .doesNotContainKey("retention.ms");
        assertThat(Topics.CUSTOMER_IDENTITIES.newTopic((short) 1).configs()).containsEntry("cleanup.policy", "compact");
        // Idempotency keys are forgotten after a day: compacted, and deleted by age
        assertThat(Topics.REPLY_ACCEPTANCES.newTopic((short) 1).configs())
                .containsEntry("cleanup.policy", "compact,delete")
                .containsEntry("retention.ms", String.valueOf(Topics.IDEMPOTENCY_RETENTION.toMillis()));
        // The send ledger keeps the latest entry per send, none older than 8 days (beyond send-requests' 7)
        assertThat(Topics.SEND_LEDGER.newTopic((short) 1).configs())
                .containsEntry("cleanup.policy", "compact,delete")
                .containsEntry("retention.ms", String.valueOf(java.time.Duration.ofDays(8).toMillis()));
        assertThat(Topics.INBOUND_MESSAGES.newTopic((short) 1).configs()).containsEntry("cleanup.policy", "delete");
    }

    @Test
    void shouldLetAWholeWebhookBodyIntoTheUnroutedTopicAndItsTwin() {
        // Given ingest's largest accepted body (3 MiB) in one record
        int largestBody = 3 * 1024 * 1024;

        // When / Then: both declarations raise the broker's 1 MiB default above it; conversation topics keep it
        assertThat(Topics.UNROUTED_MAX_MESSAGE_BYTES).isGreaterThan(largestBody);
        assertThat(Topics.UNROUTED_WEBHOOKS.newTopic((short) 1).configs())
                .containsEntry("max.message.bytes", String.valueOf(Topics.UNROUTED_MAX_MESSAGE_BYTES))
                .containsEntry("cleanup.policy", "delete");
        assertThat(Topics.UNROUTED_WEBHOOKS.newDeadLetterTopic((short) 1).configs())
                .containsEntry("max.message.bytes", String.valueOf(Topics.UNROUTED_MAX_MESSAGE_BYTES));
        assertThat(Topics.CONVERSATION_TOPICS).allSatisfy(topic ->
                assertThat(topic.newTopic((short) 1).configs()).doesNotContainKey("max.message.bytes"));
    }

    @Test
    void shouldRefuseANameThatIsNotKebabCase() {
        assertThatThrownBy(() -> new Topic<>("Inbound_Messages", InboundMessage.class, 6, false, "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kebab-case");
    }
}
