package com.answerline.ingest.config;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.stereotype.Component;

import com.answerline.schemas.topic.Topics;

/**
 * Starts ingest's Kafka Streams app once Kafka answers, off the start-up thread
 * ({@code spring.kafka.streams.auto-startup: false} in application.yml hands the start to this class).
 *
 * <p>Why: with a global table ({@code reply-acceptances}) {@code KafkaStreams.start()} blocks until the global
 * thread has looked up its topic's partitions. With Kafka away at start-up that would hold the whole service back
 * (webhooks answering 503, health) and then fail the Streams app for good after {@code task.timeout.ms}. So this
 * waits until the topic can be described, then starts the app. Meanwhile the stores answer 503 (the outcomes
 * endpoint, replies with an idempotency key) and {@code outcomeStreams} health is UNKNOWN, as while rebalancing.
 */
@Component
class StreamsStarter implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StreamsStarter.class);
    private static final int DESCRIBE_TIMEOUT_MS = 5_000;

    private final StreamsBuilderFactoryBean streams;
    private final KafkaAdmin admin;
    private volatile boolean running;
    private Thread thread;

    StreamsStarter(StreamsBuilderFactoryBean streams, KafkaAdmin admin) {
        this.streams = streams;
        this.admin = admin;
    }

    @Override
    public void start() {
        running = true;
        thread = new Thread(this::startWhenKafkaAnswers, "ingest-streams-starter");
        thread.setDaemon(true);
        thread.start();
    }

    private void startWhenKafkaAnswers() {
        try (Admin client = Admin.create(admin.getConfigurationProperties())) {
            while (running) {
                try {
                    client.describeTopics(List.of(Topics.REPLY_ACCEPTANCES.name()),
                            new DescribeTopicsOptions().timeoutMs(DESCRIBE_TIMEOUT_MS))
                            .allTopicNames().get(DESCRIBE_TIMEOUT_MS * 2L, TimeUnit.MILLISECONDS);
                    break;
                } catch (ExecutionException | TimeoutException e) {
                    log.info("Kafka Streams app waits for Kafka and {}: {}", Topics.REPLY_ACCEPTANCES.name(), e.toString());
                    // Not a test's sleep: a pause between attempts while the broker or the topic is missing.
                    Thread.sleep(1_000);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (running) {
            streams.start();
        }
    }

    @Override
    public void stop() {
        running = false;
        thread.interrupt();
        try {
            thread.join(DESCRIBE_TIMEOUT_MS * 3L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Stopped before the Streams app (a higher phase stops first), so it never starts one that is stopping. */
    @Override
    public int getPhase() {
        return streams.getPhase() + 1;
    }
}
