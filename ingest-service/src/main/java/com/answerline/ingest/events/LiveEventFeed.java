package com.answerline.ingest.events;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.kafka.autoconfigure.KafkaProperties;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.SessionState;
import com.answerline.avro.ThreadMessage;
import com.answerline.ingest.config.EventStreamProperties;
import com.answerline.platform.kafka.KafkaClients;
import com.answerline.schemas.topic.Topic;
import com.answerline.schemas.topic.Topics;

/**
 * The one Kafka consumer of this instance for the live event streams: every partition of
 * {@code conversation-sessions}, {@code dispatch-outcomes} and {@code conversation-messages}, manually assigned, from
 * the end (streams are live, not a history), with no consumer group (nothing committed, no group left behind per
 * instance or restart). Its records become events ({@code conversation}, {@code reply-outcome}, {@code message}, and
 * a {@code reply-outcome} again when a send's delivery changes, see {@link RecentReplies}) that go to
 * {@link LiveEvents}, which fans them out; one consumer serves every client.
 *
 * <p>Values are read as bytes and decoded here, so that a record that does not decode is skipped (logged with
 * where it is, not what it holds) instead of stopping the feed; the Streams apps dead-letter such records.
 */
@Component
public class LiveEventFeed implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LiveEventFeed.class);
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(5);

    private final LiveEvents events;
    private final Clock clock;
    private final Map<String, Object> consumerConfig;
    private final Map<String, Deserializer<? extends SpecificRecord>> values;
    private final RecentReplies replies;
    private volatile boolean running;
    private volatile boolean live;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    LiveEventFeed(LiveEvents events, Clock clock, KafkaProperties kafka, EventStreamProperties properties) {
        this.events = events;
        this.clock = clock;
        this.replies = new RecentReplies(properties.recentReplies());
        // spring.kafka.* (servers, TLS, SASL) like every client; no group: partitions are assigned, never committed.
        Map<String, Object> config = KafkaClients.consumer(kafka);
        config.remove(ConsumerConfig.GROUP_ID_CONFIG);
        config.put(ConsumerConfig.CLIENT_ID_CONFIG, "ingest-live-events");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        this.consumerConfig = Map.copyOf(config);
        Map<String, Object> serdeConfig = KafkaClients.serde(kafka);
        this.values = Map.of(
                Topics.CONVERSATION_SESSIONS.name(), Topics.CONVERSATION_SESSIONS.valueSerde(serdeConfig).deserializer(),
                Topics.DISPATCH_OUTCOMES.name(), Topics.DISPATCH_OUTCOMES.valueSerde(serdeConfig).deserializer(),
                Topics.CONVERSATION_MESSAGES.name(), Topics.CONVERSATION_MESSAGES.valueSerde(serdeConfig).deserializer());
    }

    /** True once the feed is positioned at the end of every partition: events published after this reach streams. */
    public boolean live() {
        return live;
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::run, "ingest-live-events");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void stop() {
        running = false;
        KafkaConsumer<String, byte[]> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        try {
            thread.join(METADATA_TIMEOUT.toMillis() * 2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void run() {
        try (KafkaConsumer<String, byte[]> kafka = new KafkaConsumer<>(consumerConfig, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer = kafka;
            if (!running) {
                return;
            }
            assignAtEnd(kafka);
            while (running) {
                try {
                    ConsumerRecords<String, byte[]> records = kafka.poll(POLL);
                    if (events.openStreams() == 0) {
                        // Nobody listens: stay at the end without decoding (every session update of the instance's
                        // webhooks passes here; decoding them for no one was a measurable share of a webhook's CPU).
                        continue;
                    }
                    for (ConsumerRecord<String, byte[]> record : records) {
                        SpecificRecord value = decode(record);
                        if (value != null) {
                            eventsOf(value).forEach(events::publish);
                        }
                    }
                } catch (WakeupException e) {
                    throw e;
                } catch (KafkaException e) {
                    // The client reconnects by itself; log and poll again.
                    log.warn("Live event feed could not poll: {}", e.toString());
                }
            }
        } catch (WakeupException e) {
            // stop() woke the consumer up: done.
        } finally {
            live = false;
        }
    }

    /** Waits (metadata retried) until the topics' partitions are known, then starts at their end. */
    private void assignAtEnd(KafkaConsumer<String, byte[]> kafka) {
        List<TopicPartition> partitions = new ArrayList<>();
        while (running && partitions.isEmpty()) {
            try {
                for (Topic<?> topic : List.of(Topics.CONVERSATION_SESSIONS, Topics.DISPATCH_OUTCOMES,
                        Topics.CONVERSATION_MESSAGES)) {
                    kafka.partitionsFor(topic.name(), METADATA_TIMEOUT)
                            .forEach(p -> partitions.add(new TopicPartition(p.topic(), p.partition())));
                }
            } catch (WakeupException e) {
                throw e;
            } catch (KafkaException e) {
                log.info("Live event feed waits for Kafka: {}", e.getMessage());
                partitions.clear();
            }
        }
        kafka.assign(partitions);
        kafka.seekToEnd(partitions);
        // Resolve the end offsets now, so that "live" means "from here on".
        partitions.forEach(kafka::position);
        live = true;
    }

    /** The record's value, or null for a tombstone or a record that does not decode (skipped, logged without content). */
    private SpecificRecord decode(ConsumerRecord<String, byte[]> record) {
        if (record.value() == null) {
            return null;
        }
        try {
            return values.get(record.topic()).deserialize(record.topic(), record.headers(), record.value());
        } catch (RuntimeException e) {
            log.warn("Live event feed skipped unreadable record {}-{}@{}: {}", record.topic(), record.partition(),
                    record.offset(), e.toString());
            return null;
        }
    }

    /** The events one record makes; called by the feed's thread only (it updates {@link RecentReplies}). */
    List<LiveEvent> eventsOf(SpecificRecord value) {
        if (value instanceof SessionState state) {
            return List.of(LiveEvent.of(state, clock.instant()));
        }
        if (value instanceof DispatchOutcome outcome) {
            return List.of(LiveEvent.of(outcome.getTenantId(), replies.outcome(outcome)));
        }
        ThreadMessage message = (ThreadMessage) value;
        List<LiveEvent> made = new ArrayList<>(2);
        made.add(LiveEvent.of(message));
        replies.send(message).ifPresent(outcome -> made.add(LiveEvent.of(message.getTenantId(), outcome)));
        return made;
    }
}
