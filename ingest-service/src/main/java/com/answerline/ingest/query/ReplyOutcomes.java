package com.answerline.ingest.query;

import java.util.Optional;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.springframework.stereotype.Component;

import com.answerline.avro.DispatchOutcome;
import com.answerline.ingest.config.ServicesProperties;
import com.answerline.ingest.topology.ReplyOutcomeTopology;
import com.answerline.platform.streams.StreamsInstance;

/**
 * The latest outcome of a reply command (interactive query). Each instance holds only the partitions of the
 * outcome store it owns: {@link #remoteOwner} says which instance holds a command ({@code queryMetadataForKey},
 * every instance's {@code application.server}), {@link #find} reads this instance's own partitions.
 */
@Component
public class ReplyOutcomes {

    private final StreamsInstance streamsInstance;
    private final HostInfo self;

    ReplyOutcomes(StreamsInstance streamsInstance, ServicesProperties services) {
        this.streamsInstance = streamsInstance;
        this.self = HostInfo.buildFromEndpoint(services.applicationServer());
    }

    /**
     * @return host:port of the instance that owns this command's partition, empty when this instance does
     * @throws OutcomeStoreUnavailableException while Streams is not RUNNING or the owner is not known yet
     */
    public Optional<String> remoteOwner(String commandId) {
        KeyQueryMetadata metadata = running().queryMetadataForKey(ReplyOutcomeTopology.STORE, commandId,
                Serdes.String().serializer());
        if (metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata)) {
            throw new OutcomeStoreUnavailableException("owner of the command's partition not known yet");
        }
        HostInfo owner = metadata.activeHost();
        return owner.equals(self) ? Optional.empty() : Optional.of(owner.host() + ":" + owner.port());
    }

    /**
     * @return the outcome from this instance's partitions, empty when none has been read for this command id (yet)
     * @throws OutcomeStoreUnavailableException while Streams is not RUNNING
     */
    public Optional<DispatchOutcome> find(String commandId) {
        return LocalStores.get(streamsInstance, ReplyOutcomeTopology.STORE, commandId, OutcomeStoreUnavailableException::new);
    }

    private KafkaStreams running() {
        return LocalStores.running(streamsInstance, ReplyOutcomeTopology.STORE, OutcomeStoreUnavailableException::new);
    }
}
