package com.answerline.ingest.query;

import java.util.Optional;

import org.springframework.stereotype.Component;

import com.answerline.avro.ReplyAcceptance;
import com.answerline.ingest.topology.ReplyAcceptanceTable;
import com.answerline.platform.streams.StreamsInstance;

/**
 * The replies accepted under an Idempotency-Key, from the {@code reply-acceptances} global table: every
 * instance holds every acceptance, up to the table's lag behind the topic (see the gateway's
 * {@code ReplyAcceptances} for how that lag is covered).
 */
@Component
public class AcceptedReplies {

    private final StreamsInstance streamsInstance;

    AcceptedReplies(StreamsInstance streamsInstance) {
        this.streamsInstance = streamsInstance;
    }

    /**
     * @return the acceptance stored under this command id, empty when none (yet)
     * @throws IdempotencyStoreUnavailableException while Streams is not RUNNING
     */
    public Optional<ReplyAcceptance> find(String commandId) {
        return LocalStores.get(streamsInstance, ReplyAcceptanceTable.STORE, commandId, IdempotencyStoreUnavailableException::new);
    }
}
