package com.answerline.ingest.query;

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
     * @param unavailable the exception to throw, given the reason, while the store cannot be read (Streams not
     *                    created, starting, restoring or rebalancing)
     */
    static <V> ReadOnlyKeyValueStore<String, V> keyValueStore(StreamsBuilderFactoryBean factoryBean, String store,
                                                            Function<String, ? extends RuntimeException> unavailable) {
        KafkaStreams streams = factoryBean.getKafkaStreams();
        if (streams == null || streams.state() != KafkaStreams.State.RUNNING) {
            throw unavailable.apply(store + " not queryable yet: streams " + (streams == null ? "not created" : streams.state()));
        }
        try {
            return streams.store(StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.keyValueStore()));
        } catch (InvalidStateStoreException e) {
            throw unavailable.apply(store + " not queryable: " + e.getMessage());
        }
    }
}
