package com.answerline.ingest.identity;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.springframework.stereotype.Component;

import com.answerline.avro.CustomerIdentity;
import com.answerline.platform.streams.StreamsInstance;

/**
 * The customer identity directory as the webhooks read it: the global {@link CustomerIdentities#STORE} of ingest's
 * Streams app, plus the identities this instance itself wrote recently.
 *
 * <p>Why the second part: the global table reads {@code customer-identities} back asynchronously, so for a
 * moment after a webhook's 200 the identities it wrote are not in the store yet. A customer's next message
 * often follows within that moment (a burst of messages, Meta's separate webhooks for text and media); without
 * the in-process copy it would find its BSUID unknown and could open a second conversation. The copy is bounded
 * (oldest out first, {@link IdentityProperties#recentWritesCapacity()}); no expiry is needed because an
 * identifier is never re-pointed, so an entry never becomes wrong. The store is asked first: once it has the
 * identifier it is the one answer every instance agrees on.
 *
 * <p>Known limit: the directory is not a lock. Two instances receiving the first messages of one new customer
 * at the same moment (phone-only on one, BSUID-only on the other) each find nothing and may open two
 * conversations; the later message carrying both identifiers then follows the BSUID's (and counts a conflict
 * in {@code ingest.identity.conflicts}). A single-writer design (route by business number) would close it.
 */
@Component("customerIdentityDirectory")
public class IdentityDirectory {

    private final StreamsInstance streamsInstance;
    private final MeterRegistry meters;
    private final RecentIdentities recent;
    /** The Streams instance last seen RUNNING: its global store stays readable while it rebalances. */
    private final AtomicReference<KafkaStreams> wasRunning = new AtomicReference<>();

    IdentityDirectory(StreamsInstance streamsInstance, IdentityProperties properties, MeterRegistry meters) {
        this.streamsInstance = streamsInstance;
        this.meters = meters;
        this.recent = new RecentIdentities(properties.recentWritesCapacity());
    }

    /**
     * A resolver for one request, reading this directory.
     *
     * @throws IdentityDirectoryUnavailableException while the global store is not readable
     */
    public CustomerResolver resolver() {
        ReadOnlyKeyValueStore<String, CustomerIdentity> store = store();
        return new CustomerResolver(key -> lookUp(store, key));
    }

    /** True when a webhook would be resolved now rather than answered 503. */
    public boolean queryable() {
        try {
            store();
            return true;
        } catch (IdentityDirectoryUnavailableException e) {
            return false;
        }
    }

    /** Call once the request's records (its new identities among them) are acknowledged by Kafka. */
    public void remember(CustomerResolver resolver) {
        Map<String, String> identities = resolver.newIdentities();
        recent.putAll(identities);
        meters.counter("ingest.identity.written").increment(identities.size());
        if (resolver.conflicts() > 0) {
            meters.counter("ingest.identity.conflicts").increment(resolver.conflicts());
        }
    }

    private Optional<String> lookUp(ReadOnlyKeyValueStore<String, CustomerIdentity> store, String key) {
        CustomerIdentity identity;
        try {
            identity = store.get(key);
        } catch (SerializationException e) {
            // An unreadable record (restored as raw bytes) is treated as absent: the identifier is written
            // again, and compaction then drops the bad one.
            meters.counter("ingest.identity.unreadable").increment();
            identity = null;
        } catch (InvalidStateStoreException e) {
            throw new IdentityDirectoryUnavailableException("identity directory not queryable: " + e.getMessage());
        }
        return identity != null ? Optional.of(identity.getConversationId()) : recent.get(key);
    }

    private ReadOnlyKeyValueStore<String, CustomerIdentity> store() {
        KafkaStreams streams = streamsInstance.get();
        KafkaStreams.State state = streams == null ? null : streams.state();
        if (state == KafkaStreams.State.RUNNING) {
            wasRunning.set(streams);
        } else if (state != KafkaStreams.State.REBALANCING || wasRunning.get() != streams) {
            // Before the first RUNNING the global table may still be restoring: a miss would be a guess.
            throw new IdentityDirectoryUnavailableException("identity directory not queryable yet: streams "
                    + (state == null ? "not created" : state));
        }
        try {
            return streams.store(StoreQueryParameters.fromNameAndType(CustomerIdentities.STORE,
                    QueryableStoreTypes.keyValueStore()));
        } catch (InvalidStateStoreException e) {
            throw new IdentityDirectoryUnavailableException("identity directory not queryable: " + e.getMessage());
        }
    }

    /**
     * Identities written by this instance, bounded, oldest out first. A synchronized LinkedHashMap rather than
     * a cache library: it only needs a size bound (entries never go stale, see above), a few lines.
     */
    static final class RecentIdentities {

        private final Map<String, String> entries;

        RecentIdentities(int capacity) {
            this.entries = new LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                    return size() > capacity;
                }
            };
        }

        synchronized Optional<String> get(String key) {
            return Optional.ofNullable(entries.get(key));
        }

        synchronized void putAll(Map<String, String> identities) {
            entries.putAll(identities);
        }
    }
}
