package com.answerline.schemas.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.List;

import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;

/**
 * A sample of every contract, derived from its schema so a new field is covered without editing this class:
 * every field set (unions take their non-null branch, arrays one element) or, with {@code nulls}, every
 * optional field null and every array empty. Times are fixed (2026-11-25T12:00:00Z).
 */
final class ContractSamples {

    static final long FIXED_MILLIS = 1_795_608_000_000L;

    private ContractSamples() {
    }

    static <T extends SpecificRecord> T sample(Class<T> type, boolean nulls) {
        Schema schema = SpecificData.get().getSchema(type);
        GenericRecord generic = (GenericRecord) value(schema, schema.getName(), nulls);
        return toSpecific(generic, type);
    }

    private static Object value(Schema schema, String name, boolean nulls) {
        return switch (schema.getType()) {
            case RECORD -> {
                GenericData.Record record = new GenericData.Record(schema);
                for (Schema.Field field : schema.getFields()) {
                    record.put(field.pos(), value(field.schema(), field.name(), nulls));
                }
                yield record;
            }
            case UNION -> {
                List<Schema> branches = schema.getTypes();
                Schema nonNull = branches.stream().filter(s -> s.getType() != Schema.Type.NULL).findFirst().orElseThrow();
                yield nulls && branches.get(0).getType() == Schema.Type.NULL ? null : value(nonNull, name, nulls);
            }
            case ARRAY -> nulls ? List.of() : List.of(value(schema.getElementType(), name, nulls));
            case MAP -> nulls ? java.util.Map.of() : java.util.Map.of("k", value(schema.getValueType(), name, nulls));
            case ENUM -> new GenericData.EnumSymbol(schema, schema.getEnumSymbols().get(schema.getEnumSymbols().size() - 1));
            case STRING -> name + "-é✓"; // non-ASCII on purpose: lengths are bytes, not chars
            case LONG -> schema.getLogicalType() instanceof LogicalTypes.TimestampMillis ? FIXED_MILLIS : -1234567890123L;
            case INT -> -42;
            case BOOLEAN -> true;
            case DOUBLE -> 2.5d;
            case FLOAT -> 1.5f;
            case BYTES -> ByteBuffer.wrap(new byte[] {1, 2, 3});
            default -> throw new IllegalArgumentException("no sample for " + schema.getType() + " (" + name + ")");
        };
    }

    /** Generic to specific through Avro binary, so logical types get their generated Java types (Instant). */
    private static <T> T toSpecific(GenericRecord generic, Class<T> type) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(generic.getSchema()).write(generic, encoder);
            encoder.flush();
            return new SpecificDatumReader<>(type).read(null, DecoderFactory.get().binaryDecoder(out.toByteArray(), null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
