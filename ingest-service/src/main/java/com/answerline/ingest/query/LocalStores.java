package com.answerline.ingest.query;

import java.util.Optional;
import java.util.function.Function;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

import com.answerline.platform.streams.StreamsInstance;

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
    static <V> Optional<V> get(StreamsInstance instance, String store, String key,
                               Function<String, ? extends RuntimeException> unavailable) {
        return LocalStores.<V, Optional<V>>read(instance, store, unavailable, values -> Optional.ofNullable(values.get(key)));
    }

    /**
     * What {@code query} reads from a key-value store of this instance (several keys of one store, for example).
     *
     * @param unavailable as for {@link #get}
     */
    static <V, R> R read(StreamsInstance instance, String store, Function<String, ? extends RuntimeException> unavailable,
                         Function<ReadOnlyKeyValueStore<String, V>, R> query) {
        // Not the factory bean's getKafkaStreams(): it blocks while a start waits for a global table (StreamsInstance).
        KafkaStreams streams = running(instance, store, unavailable);
        try {
            ReadOnlyKeyValueStore<String, V> values = streams.store(
                    StoreQueryParameters.fromNameAndType(store, QueryableStoreTypes.keyValueStore()));
            return query.apply(values);
        } catch (InvalidStateStoreException e) {
            throw unavailable.apply(store + " not queryable: " + e.getMessage());
        }
    }

    /** The Streams app while it is RUNNING (its stores then answer), else {@code unavailable} naming the store. */
    static KafkaStreams running(StreamsInstance instance, String store,
                                Function<String, ? extends RuntimeException> unavailable) {
        KafkaStreams streams = instance.get();
        if (streams == null || streams.state() != KafkaStreams.State.RUNNING) {
            throw unavailable.apply(store + " not queryable yet: streams " + (streams == null ? "not created" : streams.state()));
        }
        return streams;
    }
}
