package com.answerline.schemas.thread;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;

import com.answerline.avro.ThreadDirection;
import com.answerline.avro.ThreadMessage;

/**
 * The record header session-service sets on every {@code conversation-messages} record: the message's direction, so a
 * consumer that wants one direction skips the other without decoding it (ingest-service's reply outcomes read the
 * outbound sends only, and every customer message would otherwise be decoded there only to be dropped). A record
 * without the header (written before it existed) says nothing: decode it and look.
 */
public final class ThreadHeaders {

    /** Header name; its value is a {@link ThreadDirection} symbol in UTF-8. */
    public static final String DIRECTION = "answerline.direction";

    private ThreadHeaders() {
    }

    /** The headers of a record carrying a message of {@code direction}. */
    public static Headers of(ThreadDirection direction) {
        return new RecordHeaders().add(DIRECTION, direction.name().getBytes(StandardCharsets.UTF_8));
    }

    /** True when the headers name {@code direction}; false when they name another or none. */
    public static boolean names(Headers headers, ThreadDirection direction) {
        Header header = headers == null ? null : headers.lastHeader(DIRECTION);
        return header != null && header.value() != null
                && direction.name().equals(new String(header.value(), StandardCharsets.UTF_8));
    }

    /**
     * {@code decoder} for the records of {@code direction} only: a record whose header names the other direction is
     * null, its bytes untouched (a Kafka Streams source passes it on as a null value, which a filter drops). Records
     * without the header are decoded.
     */
    public static Deserializer<ThreadMessage> only(ThreadDirection direction, Deserializer<ThreadMessage> decoder) {
        ThreadDirection other = direction == ThreadDirection.INBOUND ? ThreadDirection.OUTBOUND : ThreadDirection.INBOUND;
        return new Deserializer<>() {
            @Override
            public void configure(Map<String, ?> configs, boolean isKey) {
                decoder.configure(configs, isKey);
            }

            @Override
            public ThreadMessage deserialize(String topic, byte[] data) {
                return decoder.deserialize(topic, data);
            }

            @Override
            public ThreadMessage deserialize(String topic, Headers headers, byte[] data) {
                return names(headers, other) ? null : decoder.deserialize(topic, headers, data);
            }

            @Override
            public void close() {
                decoder.close();
            }
        };
    }
}
