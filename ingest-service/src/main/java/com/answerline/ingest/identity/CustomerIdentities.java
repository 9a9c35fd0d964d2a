package com.answerline.ingest.identity;

import java.util.Map;

import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueStore;

import com.answerline.avro.CustomerIdentity;
import com.answerline.schemas.topic.Topics;

/**
 * The customer identity directory on Kafka: {@code customer-identities} (compacted, key
 * {@code <phone_number_id>:<identifier>}) read back as a global table, so every ingest instance holds every
 * identifier (a look-up is local, whatever partition the identifier's record is on).
 */
public final class CustomerIdentities {

    /** Queryable global store: {@code <phone_number_id>:<identifier>} -> the identity and its conversation. */
    public static final String STORE = "customer-identities-store";

    private CustomerIdentities() {
    }

    /** The record key of one identifier (phone digits or BSUID) of a customer of a business number. */
    public static String key(String phoneNumberId, String identifier) {
        return phoneNumberId + ':' + identifier;
    }

    /**
     * Adds the global table to {@code builder}. The topic is its own changelog: no internal topic, and a new
     * instance (or one with an empty state folder) restores every identity from it before Streams is RUNNING.
     */
    public static void addTo(StreamsBuilder builder, Map<String, ?> serdeConfig) {
        builder.globalTable(Topics.CUSTOMER_IDENTITIES.name(),
                Consumed.with(Topics.CUSTOMER_IDENTITIES.keySerde(), Topics.CUSTOMER_IDENTITIES.valueSerde(serdeConfig)),
                Materialized.<String, CustomerIdentity, KeyValueStore<Bytes, byte[]>>as(STORE)
                        .withKeySerde(Topics.CUSTOMER_IDENTITIES.keySerde())
                        .withValueSerde(Topics.CUSTOMER_IDENTITIES.valueSerde(serdeConfig)));
    }
}
