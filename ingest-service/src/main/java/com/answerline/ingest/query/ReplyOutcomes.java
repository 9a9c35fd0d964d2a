package com.answerline.ingest.query;

import java.util.List;
import java.util.Optional;

import org.apache.kafka.streams.KafkaStreams;
import org.springframework.stereotype.Component;

import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.ThreadMessage;
import com.answerline.ingest.config.ServicesProperties;
import com.answerline.ingest.topology.ReplyOutcomeTopology;
import com.answerline.platform.routing.StreamsRouting;
import com.answerline.platform.streams.StreamsInstance;

/**
 * The latest outcome of a reply command and the delivery of each of its sends (interactive queries). Each instance
 * holds only the partitions of the stores it owns (the same partitions of both, see {@link ReplyOutcomeTopology}): {@link #remoteOwner} says which instance holds a command (the platform's
 * {@link StreamsRouting}), {@link #find} reads this instance's own partitions.
 */
@Component
public class ReplyOutcomes {

    private final StreamsInstance streamsInstance;
    private final StreamsRouting routing;

    ReplyOutcomes(StreamsInstance streamsInstance, ServicesProperties services) {
        this.streamsInstance = streamsInstance;
        this.routing = new StreamsRouting(services.applicationServer());
    }

    /**
     * @return host:port of the instance that owns this command's partition, empty when this instance does
     * @throws OutcomeStoreUnavailableException while Streams is not RUNNING or the owner is not known yet
     */
    public Optional<String> remoteOwner(String commandId) {
        StreamsRouting.Owner owner = routing.ownerOf(running(), ReplyOutcomeTopology.STORE, commandId);
        if (owner instanceof StreamsRouting.Unknown) {
            throw new OutcomeStoreUnavailableException("owner of the command's partition not known yet");
        }
        return owner instanceof StreamsRouting.Elsewhere elsewhere ? Optional.of(elsewhere.endpoint()) : Optional.empty();
    }

    /**
     * @return the outcome from this instance's partitions, empty when none has been read for this command id (yet)
     * @throws OutcomeStoreUnavailableException while Streams is not RUNNING
     */
    public Optional<DispatchOutcome> find(String commandId) {
        return LocalStores.get(streamsInstance, ReplyOutcomeTopology.STORE, commandId, OutcomeStoreUnavailableException::new);
    }

    /**
     * @return the command's sends with a delivery, in step order, from this instance's partitions (empty when none
     * has been reported yet)
     * @throws OutcomeStoreUnavailableException while Streams is not RUNNING
     */
    public List<ThreadMessage> sends(String commandId) {
        return LocalStores.<ThreadMessage, List<ThreadMessage>>read(streamsInstance, ReplyOutcomeTopology.SENDS_STORE,
                OutcomeStoreUnavailableException::new, store -> ReplyOutcomeTopology.sends(commandId, store::get));
    }

    private KafkaStreams running() {
        return LocalStores.running(streamsInstance, ReplyOutcomeTopology.STORE, OutcomeStoreUnavailableException::new);
    }
}
