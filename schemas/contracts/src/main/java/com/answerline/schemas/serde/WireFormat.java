package com.answerline.schemas.serde;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

import org.apache.kafka.common.errors.SerializationException;

/** Confluent's framing: magic byte 0, the schema id as a 4-byte big-endian int, then the Avro binary body. */
final class WireFormat {

    static final byte MAGIC_BYTE = 0x0;
    static final int HEADER_SIZE = 5;

    private WireFormat() {
    }

    static void writeHeader(ByteArrayOutputStream out, int schemaId) {
        out.write(MAGIC_BYTE);
        out.writeBytes(ByteBuffer.allocate(4).putInt(schemaId).array());
    }

    static int schemaId(byte[] data, String topic) {
        if (data.length < HEADER_SIZE) {
            throw new SerializationException("record on topic " + topic + " is " + data.length
                    + " bytes, shorter than the 5-byte Confluent wire-format header");
        }
        if (data[0] != MAGIC_BYTE) {
            throw new SerializationException(String.format(
                    "unknown magic byte 0x%02x on topic %s: not in the Confluent wire format (expected 0x00)",
                    data[0], topic));
        }
        return ByteBuffer.wrap(data, 1, 4).getInt();
    }
}
