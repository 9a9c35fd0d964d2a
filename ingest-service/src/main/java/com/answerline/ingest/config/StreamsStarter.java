package com.answerline.ingest.config;

import java.time.Duration;

import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

import com.answerline.platform.streams.StreamsInstance;

/**
 * Starts ingest's Streams app on its own thread, and again after a failed start, instead of in Spring's start-up.
 *
 * <p>Why: {@code KafkaStreams.start()} blocks until the global table of the identity directory is initialised,
 * which needs the broker. In Spring's start-up that would hold the whole application (its HTTP port, its health)
 * for as long as Kafka is away, and fail it after {@code task.timeout.ms}. Started here, the application is up at
 * once and answers 503 to webhooks (and OUT_OF_SERVICE on readiness) until the directory is loaded.
 *
 * <p>Its phase is above the factory bean's, so it stops first: interrupting a start that is still blocked releases
 * the factory bean's lock before Spring asks the factory bean anything.
 */
final class StreamsStarter implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(StreamsStarter.class);
    private static final Duration RETRY_DELAY = Duration.ofSeconds(5);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private final StreamsBuilderFactoryBean factoryBean;
    private final StreamsInstance instance;
    private final int phase;
    private volatile boolean running;
    private Thread starter;

    StreamsStarter(StreamsBuilderFactoryBean factoryBean, StreamsInstance instance) {
        this.factoryBean = factoryBean;
        this.instance = instance;
        this.phase = factoryBean.getPhase() + 1;
    }

    @Override
    public synchronized void start() {
        running = true;
        starter = new Thread(this::startUntilStarted, "ingest-streams-starter");
        starter.setDaemon(true);
        starter.start();
    }

    private void startUntilStarted() {
        while (running) {
            try {
                factoryBean.start();
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                log.warn("Kafka Streams did not start, retrying in {}: {}", RETRY_DELAY, e.toString());
                try {
                    Thread.sleep(RETRY_DELAY.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (starter != null && starter.isAlive()) {
            // Still in KafkaStreams.start(), which holds the instance's monitor (close() waits for it) and the
            // factory bean's lock, and waits on a latch for the global table: interrupting it ends that wait.
            starter.interrupt();
            try {
                starter.join(CLOSE_TIMEOUT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        factoryBean.stop();
        // A start ended by the interrupt left its instance unclosed (the factory bean only closes started ones).
        // Not factoryBean.getKafkaStreams(): that waits for the factory bean's lock.
        KafkaStreams streams = instance.get();
        if (streams != null) {
            streams.close(CLOSE_TIMEOUT);
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return phase;
    }
}
