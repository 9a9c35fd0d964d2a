package com.answerline.platform.upstream;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.utils.Utils;

/**
 * The one partition a conversation's records belong on: Java's default for a keyed record, murmur2 of the key's
 * UTF-8 bytes, {@code (murmur2 & 0x7fffffff) % partitions} (what Kafka's {@code BuiltInPartitioner.partitionForKey}
 * and Kafka Streams' sinks compute). Every service of ours produces this way; librdkafka's default
 * ({@code consistent_random}, CRC32) and explicit partitions do not, which is what {@link UpstreamGuard} repairs.
 */
public final class ConversationPartitioner {

    private ConversationPartitioner() {
    }

    /** The partition of {@code key} among {@code partitions}. */
    public static int partitionOf(String key, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be positive: " + partitions);
        }
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
