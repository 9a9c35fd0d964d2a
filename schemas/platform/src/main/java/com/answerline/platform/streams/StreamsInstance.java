package com.answerline.platform.streams;

import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.streams.KafkaStreams;

/**
 * The {@link KafkaStreams} instance of a service's Streams app, readable without a lock. Spring's
 * {@code StreamsBuilderFactoryBean.getKafkaStreams()} takes the factory bean's lifecycle lock, which a start blocked
 * on a global table holds for as long as Kafka is away: a request, a health check or a shutdown asking it would hang.
 * The factory bean hands every new instance to {@link #set} before starting it ({@link StreamsPlatformConfiguration}).
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
