package com.answerline.ingest.topology;

import java.util.Map;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueStore;

import com.answerline.avro.ReplyAcceptance;
import com.answerline.schemas.topic.Topics;

/**
 * {@code reply-acceptances} as a global table: every ingest instance holds every acceptance, so any instance
 * can answer a replayed Idempotency-Key. A global store restores from the topic itself (no changelog), so a
 * fresh instance knows every key the topic still holds.
 */
public final class ReplyAcceptanceTable {

    /** Queryable global store: command id -> the acceptance of the request that created it. */
    public static final String STORE = "reply-acceptances-store";

    private ReplyAcceptanceTable() {
    }

    public static void addTo(StreamsBuilder builder, Map<String, ?> serdeConfig) {
        builder.globalTable(Topics.REPLY_ACCEPTANCES.name(),
                Consumed.with(Topics.REPLY_ACCEPTANCES.keySerde(), Topics.REPLY_ACCEPTANCES.valueSerde(serdeConfig))
                        .withName("reply-acceptances-source"),
                Materialized.<String, ReplyAcceptance, KeyValueStore<Bytes, byte[]>>as(STORE)
                        .withKeySerde(Topics.REPLY_ACCEPTANCES.keySerde())
                        .withValueSerde(Topics.REPLY_ACCEPTANCES.valueSerde(serdeConfig)));
    }
}
