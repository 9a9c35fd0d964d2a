package com.answerline.bench.stage;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

import com.answerline.avro.SessionState;
import com.answerline.bench.load.HttpLoad;
import com.answerline.bench.load.LoadResult;
import com.answerline.bench.traffic.Customers;
import com.answerline.bench.traffic.Sandbox;
import com.answerline.schemas.topic.Topics;

/**
 * Opens customer-service windows the way customers do: each customer writes once through the provider sandbox's
 * simulator (which also teaches the sandbox's WhatsApp the window, as Meta knows it), then waits until
 * session-service has folded every one of those messages.
 */
public final class Conversations {

    public static final String DEMO_NUMBER = "100000000000001";

    private Conversations() {
    }

    /** Every customer writes once; returns when each conversation is on {@code conversation-sessions}. */
    public static Map<String, Long> open(Harness harness, Customers customers, Duration timeout) {
        String sessions = Topics.CONVERSATION_SESSIONS.name();
        Map<TopicPartition, Long> from = harness.kafka().endOffsets(List.of(sessions));
        Sandbox sandbox = harness.sandbox();
        byte[] body = Sandbox.customerMessage(DEMO_NUMBER, "Hello, I have a question").getBytes();
        LoadResult written = harness.http().closed("customers write", sequence -> new HttpLoad.Request(
                sandbox.customerMessageUrl(customers.phone((int) sequence)), Map.of("Content-Type", "application/json"),
                body), 16, customers.count(), null);
        if (written.accepted() != customers.count()) {
            throw new IllegalStateException("the sandbox took " + written.accepted() + " of " + customers.count()
                    + " customer messages: " + written.statuses() + " " + written.errorSamples());
        }
        Set<String> waiting = new HashSet<>();
        for (int i = 0; i < customers.count(); i++) {
            waiting.add(customers.conversation(DEMO_NUMBER, i));
        }
        Set<String> ours = Set.copyOf(waiting);
        Map<String, Long> folded = new HashMap<>();
        try (KafkaConsumer<String, Object> consumer = harness.kafka().avroConsumer()) {
            boolean all = harness.kafka().readUntil(consumer, List.of(sessions), from, record -> {
                if (record.value() instanceof SessionState state && state.getInboundCount() > 0
                        && ours.contains(state.getConversationId())) {
                    waiting.remove(state.getConversationId());
                    folded.merge(state.getConversationId(), state.getInboundCount(), Math::max);
                }
            }, waiting::isEmpty, timeout);
            if (!all) {
                throw new IllegalStateException(waiting.size() + " of " + customers.count()
                        + " conversations not folded within " + timeout);
            }
        }
        return folded;
    }
}
