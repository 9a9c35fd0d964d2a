package com.answerline.ingest.query;

import java.util.Optional;

import org.springframework.kafka.config.StreamsBuilderFactoryBean;
import org.springframework.stereotype.Component;

import com.answerline.avro.DispatchOutcome;
import com.answerline.ingest.topology.ReplyOutcomeTopology;

/**
 * The latest outcome of a reply command, from this instance's own store (interactive query). With one
 * instance that is every command; with several, only the partitions this one owns: routing the query to the
 * owner ({@code KafkaStreams#queryMetadataForKey} + {@code application.server}) is issue 3.
 */
@Component
public class ReplyOutcomes {

    private final StreamsBuilderFactoryBean factoryBean;

    ReplyOutcomes(StreamsBuilderFactoryBean factoryBean) {
        this.factoryBean = factoryBean;
    }

    /**
     * @return the outcome, empty when none has been read for this command id (yet)
     * @throws OutcomeStoreUnavailableException while Streams is not RUNNING
     */
    public Optional<DispatchOutcome> find(String commandId) {
        return LocalStores.get(factoryBean, ReplyOutcomeTopology.STORE, commandId, OutcomeStoreUnavailableException::new);
    }
}
