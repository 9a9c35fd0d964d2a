package com.answerline.platform.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import java.util.List;
import java.util.Set;

import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.internals.StreamsMetadataImpl;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.Test;

class StreamsRoutingTest {

    private final KafkaStreams streams = mock(KafkaStreams.class);
    private final StreamsRouting routing = new StreamsRouting("10.0.0.1:8082");

    @Test
    void shouldAnswerHereWhenThisInstanceOwnsTheKey() {
        ownedBy(new HostInfo("10.0.0.1", 8082));
        assertThat(routing.ownerOf(streams, "store", "k")).isEqualTo(new StreamsRouting.Here());
    }

    @Test
    void shouldNameTheOwnerWhenAnotherInstanceOwnsTheKey() {
        ownedBy(new HostInfo("10.0.0.2", 8082));
        StreamsRouting.Owner owner = routing.ownerOf(streams, "store", "k");
        assertThat(owner).isInstanceOfSatisfying(StreamsRouting.Elsewhere.class,
                elsewhere -> assertThat(elsewhere.endpoint()).isEqualTo("10.0.0.2:8082"));
    }

    @Test
    void shouldNeverNameAnOwnerOutsideTheGroupsAdvertisedInstances() {
        // Given the key's owner is an address no live instance of the group advertises
        ownedBy(new HostInfo("10.0.0.2", 8082));
        when(streams.metadataForAllStreamsClients()).thenReturn(List.of(instance(new HostInfo("10.0.0.1", 8082)),
                instance(new HostInfo("10.0.0.3", 8082))));

        // When the owner is asked for, Then there is none to forward to (the read answers 503)
        assertThat(routing.ownerOf(streams, "store", "k")).isEqualTo(new StreamsRouting.Unknown());
    }

    @Test
    void shouldKnowNoOwnerWhileTheMetadataIsNotAvailable() {
        when(streams.queryMetadataForKey(eq("store"), eq("k"), any(Serializer.class))).thenReturn(KeyQueryMetadata.NOT_AVAILABLE);
        assertThat(routing.ownerOf(streams, "store", "k")).isEqualTo(new StreamsRouting.Unknown());
        when(streams.queryMetadataForKey(eq("store"), eq("k"), any(Serializer.class))).thenReturn(null);
        assertThat(routing.ownerOf(streams, "store", "k")).isEqualTo(new StreamsRouting.Unknown());
    }

    @Test
    void shouldAnswerEverythingHereWithoutAnApplicationServer() {
        StreamsRouting single = new StreamsRouting(" ");
        assertThat(single.routes()).isFalse();
        assertThat(single.ownerOf(streams, "store", "k")).isEqualTo(new StreamsRouting.Here());
        verifyNoInteractions(streams);
    }

    @Test
    void shouldRelayTheHeadersThatDescribeTheAnswerOnly() {
        java.util.Map<String, String> answer = java.util.Map.of("Content-Type", "application/problem+json",
                "Retry-After", "1", "Transfer-Encoding", "chunked", "Connection", "close");
        assertThat(StreamsRouting.relayedHeaders(answer::get))
                .containsOnlyKeys("Content-Type", "Retry-After");
    }

    @SuppressWarnings("unchecked")
    private void ownedBy(HostInfo host) {
        when(streams.queryMetadataForKey(eq("store"), eq("k"), any(Serializer.class)))
                .thenReturn(new KeyQueryMetadata(host, Set.of(), 0));
        when(streams.metadataForAllStreamsClients()).thenReturn(List.of(instance(new HostInfo("10.0.0.1", 8082)),
                instance(host)));
    }

    private static StreamsMetadata instance(HostInfo host) {
        return new StreamsMetadataImpl(host, Set.of(), Set.of(), Set.of(), Set.of());
    }
}
