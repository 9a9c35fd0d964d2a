package com.answerline.ingest.query;

import java.util.Optional;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.springframework.stereotype.Component;

import com.answerline.avro.DispatchOutcome;
import com.answerline.ingest.topology.ReplyOutcomeTopology;
import com.answerline.ingest.topology.StreamsInstance;

/**
 * The latest outcome of a reply command, from this instance's own store (interactive query). With one
 * instance that is every command; with several, only the partitions this one owns: routing the query to the
 * owner ({@code KafkaStreams#queryMetadataForKey} + {@code application.server}) is issue 3.
 */
@Component
public class ReplyOutcomes {

    private final StreamsInstance streamsInstance;

    ReplyOutcomes(StreamsInstance streamsInstance) {
        this.streamsInstance = streamsInstance;
    }

    /**
     * @return the outcome, empty when none has been read for this command id (yet)
     * @throws OutcomeStoreUnavailableException while Streams is not RUNNING
     */
    public Optional<DispatchOutcome> find(String commandId) {
        KafkaStreams streams = streamsInstance.get();
        if (streams == null || streams.state() != KafkaStreams.State.RUNNING) {
            throw new OutcomeStoreUnavailableException("reply outcomes not queryable yet: streams "
                    + (streams == null ? "not created" : streams.state()));
        }
        try {
            ReadOnlyKeyValueStore<String, DispatchOutcome> store = streams.store(StoreQueryParameters.fromNameAndType(
                    ReplyOutcomeTopology.STORE, QueryableStoreTypes.keyValueStore()));
            return Optional.ofNullable(store.get(commandId));
        } catch (InvalidStateStoreException e) {
            throw new OutcomeStoreUnavailableException("reply outcomes not queryable: " + e.getMessage());
        }
    }
}
