package com.answerline.platform.routing;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;

/**
 * The one rule by which an instance of a Streams app answers a read for a key that another instance owns (Kafka
 * Streams interactive queries): each instance advertises its HTTP address as {@code application.server}; the owner of
 * a key is the instance whose active task holds the key's partition of the store ({@code queryMetadataForKey}); a
 * read for a key owned elsewhere is forwarded there once, marked {@value #FORWARDED_HEADER}, and the receiver answers
 * from its own store only, never forwarding again. Two instances that briefly disagree about an assignment during a
 * rebalance would otherwise bounce a request between them; one hop bounds every request to two. A forwarded read
 * reaching an instance that no longer owns the key is unavailable (503), not unknown. The owner's answer is relayed
 * with its status, body and {@link #RELAYED_HEADERS}; hop-by-hop and framing headers are the relay's own.
 *
 * <p>Used by session-service (conversations) and ingest-service (reply outcomes). The HTTP call itself stays in each
 * service: session-service is a servlet app and forwards with a blocking client (and gathers lists from every
 * instance), ingest-service is reactive and forwards with Boot's observed {@code WebClient} (trace propagation) and
 * the agent's own Authorization header.
 */
public final class StreamsRouting {

    /** Marks a request one instance sends another: answer locally, do not forward. */
    public static final String FORWARDED_HEADER = "X-Answerline-Forwarded";

    /** The owner's response headers a relay passes on: they describe the status and body. */
    public static final List<String> RELAYED_HEADERS = List.of("Content-Type", "Retry-After", "WWW-Authenticate",
            "Location");

    /** Where a key's reads are answered. */
    public sealed interface Owner permits Here, Elsewhere, Unknown {
    }

    /** This instance owns the key (or routes nothing: no {@code application.server}). */
    public record Here() implements Owner {
    }

    /** Another instance owns the key. */
    public record Elsewhere(HostInfo host) implements Owner {
        /** {@code host:port}, as advertised. */
        public String endpoint() {
            return host.host() + ":" + host.port();
        }
    }

    /** No instance owns the key's partition right now (not RUNNING, rebalancing): answer 503. */
    public record Unknown() implements Owner {
    }

    private final HostInfo self;

    /** The {@link #RELAYED_HEADERS} the owner answered with, by name, from its response's header lookup. */
    public static Map<String, String> relayedHeaders(Function<String, String> answer) {
        Map<String, String> relayed = new LinkedHashMap<>();
        for (String name : RELAYED_HEADERS) {
            String value = answer.apply(name);
            if (value != null) {
                relayed.put(name, value);
            }
        }
        return relayed;
    }

    /** @param applicationServer this instance's {@code application.server}; null or blank: a single instance */
    public StreamsRouting(String applicationServer) {
        this.self = applicationServer == null || applicationServer.isBlank()
                ? null : HostInfo.buildFromEndpoint(applicationServer);
    }

    /** False without an {@code application.server}: this instance answers everything from its own store. */
    public boolean routes() {
        return self != null;
    }

    /** This instance as the others see it; null when it routes nothing. */
    public HostInfo self() {
        return self;
    }

    /**
     * The owner of {@code key} in {@code store} (String keys), by the running app's metadata. A read (and the agent's
     * token with it) is forwarded only to an instance of the group's current metadata, the {@code application.server}
     * of a live member ({@link KafkaStreams#metadataForAllStreamsClients()}): an owner outside that set (a stale or
     * made-up address) is {@link Unknown}, answered 503, never forwarded.
     */
    public Owner ownerOf(KafkaStreams streams, String store, String key) {
        if (self == null) {
            return new Here();
        }
        KeyQueryMetadata metadata = streams.queryMetadataForKey(store, key, Serdes.String().serializer());
        HostInfo owner = metadata == null || KeyQueryMetadata.NOT_AVAILABLE.equals(metadata) ? null : metadata.activeHost();
        if (owner == null || owner.equals(HostInfo.unavailable())) {
            return new Unknown();
        }
        if (owner.equals(self)) {
            return new Here();
        }
        return advertised(streams).contains(owner) ? new Elsewhere(owner) : new Unknown();
    }

    /** The {@code application.server} of every live instance of the group, as this instance last saw them. */
    public static Set<HostInfo> advertised(KafkaStreams streams) {
        return streams.metadataForAllStreamsClients().stream().map(StreamsMetadata::hostInfo)
                .collect(Collectors.toUnmodifiableSet());
    }
}
