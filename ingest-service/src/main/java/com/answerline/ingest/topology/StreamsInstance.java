package com.answerline.ingest.topology;

import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.streams.KafkaStreams;

/**
 * The {@link KafkaStreams} instance of ingest's Streams app, readable without a lock. Spring's
 * {@code StreamsBuilderFactoryBean.getKafkaStreams()} takes the factory bean's lifecycle lock, which a start
 * blocked on the global table holds for as long as Kafka is away: a webhook, a health check or a shutdown asking
 * it would hang. The factory bean hands every new instance to {@link #set} before starting it.
 */
public final class StreamsInstance {

    private final AtomicReference<KafkaStreams> current = new AtomicReference<>();

    /** The current instance (possibly still starting, or closed), null before the first start. */
    public KafkaStreams get() {
        return current.get();
    }

    public void set(KafkaStreams streams) {
        current.set(streams);
    }
}
