package com.answerline.ingest.topology;

import java.util.Map;

import org.apache.kafka.streams.StreamsBuilder;

import com.answerline.ingest.identity.CustomerIdentities;

/**
 * Every part of ingest's one Kafka Streams app (reply outcomes, reply acceptances, customer identities), added to one builder: the application adds them to Spring's
 * builder (which builds and starts the topology once), the topology tests to their own. Parts only add; none
 * calls {@code build()}, so nothing added later can miss the running topology.
 */
public final class IngestTopology {

    private IngestTopology() {
    }

    public static void addTo(StreamsBuilder builder, Map<String, ?> serdeConfig) {
        ReplyOutcomeTopology.addTo(builder, serdeConfig);
        ReplyAcceptanceTable.addTo(builder, serdeConfig);
        CustomerIdentities.addTo(builder, serdeConfig);
    }
}
