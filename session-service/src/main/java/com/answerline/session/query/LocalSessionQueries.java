package com.answerline.session.query;

import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Optional;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.stereotype.Component;

import com.answerline.avro.SessionState;
import com.answerline.session.config.WindowProperties;
import com.answerline.session.topology.SessionTopology;
import com.answerline.session.topology.WireMapping;
import com.answerline.session.window.Session;

/**
 * Reads sessions from this instance's own store (interactive query): the partitions whose active task runs here,
 * never a standby copy (those may lag). With one instance that is every conversation; with several,
 * {@code routing.SessionRouter} asks the owner or every instance.
 *
 * <p>Lists scan the whole local store and filter by tenant: nothing indexes sessions by tenant. Each session costs
 * a RocksDB step and an Avro decode: measured once, 50,000 sessions in one RocksDB store took 70 to 85 ms a page once
 * the JIT had warmed up (0.5 to 0.8 s for the first pages), on a busy 2-core machine, about 1.5 microseconds a
 * session. So up to about 100,000 sessions per instance a page stays around 0.2 s of one core, fine for agents'
 * screens; beyond that, or for frequent polling by many agents, add a store keyed
 * {@code tenant | window end | conversation id} maintained by the fold and range-scan it from the cursor (the keyset
 * cursor already carries that order).
 */
@Component
public class LocalSessionQueries {

    private final StreamsBuilderFactoryBean factoryBean;
    private final Duration safetyMargin;

    LocalSessionQueries(StreamsBuilderFactoryBean factoryBean, WindowProperties window) {
        this.factoryBean = factoryBean;
        this.safetyMargin = window.safetyMargin();
    }

    /** A session of this instance as the API shows it at {@code now}. */
    public SessionView view(Session session, Instant now) {
        return SessionView.of(session, now, safetyMargin);
    }

    /**
     * The Streams instance, while it is RUNNING: the only state in which every local store is queryable and the
     * assignment metadata is settled.
     *
     * @throws SessionStoreUnavailableException while Streams is starting, restoring, rebalancing or stopped
     */
    public KafkaStreams runningStreams() {
        KafkaStreams streams = factoryBean.getKafkaStreams();
        if (streams == null || streams.state() != KafkaStreams.State.RUNNING) {
            throw new SessionStoreUnavailableException("session store not queryable yet: streams "
                    + (streams == null ? "not created" : streams.state()));
        }
        return streams;
    }

    /**
     * The session of one conversation, empty when no local active task has it.
     *
     * @throws SessionStoreUnavailableException while Streams is starting, restoring or rebalancing
     */
    public Optional<Session> find(String conversationId) {
        try {
            return Optional.ofNullable(WireMapping.toSession(store().get(conversationId)));
        } catch (InvalidStateStoreException e) {
            throw new SessionStoreUnavailableException("session store not queryable: " + e.getMessage());
        }
    }

    /**
     * This instance's first page for {@code query} at {@code now}: a scan of the local store (see the class
     * comment for what that costs).
     *
     * @throws SessionStoreUnavailableException while Streams is starting, restoring or rebalancing
     */
    public SessionPage page(SessionListQuery query, Instant now) {
        try (KeyValueIterator<String, SessionState> all = store().all()) {
            Iterator<Session> sessions = new Iterator<>() {
                @Override
                public boolean hasNext() {
                    return all.hasNext();
                }

                @Override
                public Session next() {
                    KeyValue<String, SessionState> entry = all.next();
                    return WireMapping.toSession(entry.value);
                }
            };
            return SessionPage.collect(sessions, query, now, safetyMargin);
        } catch (InvalidStateStoreException e) {
            throw new SessionStoreUnavailableException("session store not queryable: " + e.getMessage());
        }
    }

    private ReadOnlyKeyValueStore<String, SessionState> store() {
        try {
            return runningStreams().store(StoreQueryParameters.fromNameAndType(
                    SessionTopology.SESSION_STORE, QueryableStoreTypes.keyValueStore()));
        } catch (InvalidStateStoreException e) {
            throw new SessionStoreUnavailableException("session store not queryable: " + e.getMessage());
        }
    }
}
