package com.answerline.ingest.query;

import java.util.Optional;
import java.util.function.Function;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;

/** A key-value store of ingest's Streams app, only while the app is RUNNING (its stores then answer). */
final class LocalStores {

    private LocalStores() {
    }

    /**
     * The value under {@code key} in a key-value store of this instance.
     *
     * @param unavailable the exception to throw, given the reason, while the store cannot be read (Streams not
     *                    created, starting, restoring or rebalancing)
     */
    static <V> Optional<V> get(StreamsBuilderFactoryBean factoryBean, String store, String key,
                               Function<String, ? extends RuntimeException> unavailable) {
        KafkaStreams streams = factoryBean.getKafkaStreams();
        if (streams == null || streams.state() != KafkaStreams.State.RUNNING) {
            throw unavailable.apply(store + " not queryable yet: streams " + (streams == null ? "not created" : streams.state()));
        }
        try {
            ReadOnlyKeyValueStore<String, V> values = streams.store(
                    StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.keyValueStore()));
            return Optional.ofNullable(values.get(key));
        } catch (InvalidStateStoreException e) {
            throw unavailable.apply(store + " not queryable: " + e.getMessage());
        }
    }
}
