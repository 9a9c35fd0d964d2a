package com.answerline.session.query;

import java.util.Optional;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.stereotype.Component;

import com.answerline.avro.SessionState;
import com.answerline.session.topology.SessionTopology;
import com.answerline.session.topology.WireMapping;
import com.answerline.session.window.Session;

/**
 * Reads sessions from this instance's own store (interactive query). With one instance that is every
 * conversation; with several, only the partitions this instance owns (routing to the owner is issue 4).
 */
@Component
public class LocalSessionQueries {

    private final StreamsBuilderFactoryBean factoryBean;

    LocalSessionQueries(StreamsBuilderFactoryBean factoryBean) {
        this.factoryBean = factoryBean;
    }

    /**
     * The session of one conversation, empty when this instance has never seen it.
     *
     * @throws SessionStoreUnavailableException while Streams is starting, restoring or rebalancing
     */
    public Optional<Session> find(String conversationId) {
        KafkaStreams streams = factoryBean.getKafkaStreams();
        if (streams == null || streams.state() != KafkaStreams.State.RUNNING) {
            throw new SessionStoreUnavailableException("session store not queryable yet: streams "
                    + (streams == null ? "not created" : streams.state()));
        }
        try {
            ReadOnlyKeyValueStore<String, SessionState> store = streams.store(StoreQueryParameters.fromNameAndType(
                    SessionTopology.SESSION_STORE, QueryableStoreTypes.keyValueStore()));
            return Optional.ofNullable(WireMapping.toSession(store.get(conversationId)));
        } catch (InvalidStateStoreException e) {
            throw new SessionStoreUnavailableException("session store not queryable: " + e.getMessage());
        }
    }
}
