package com.answerline.schemas.outcome;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;

import org.junit.jupiter.api.Test;

import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.OutcomeReason;
import com.answerline.avro.OutcomeStatus;

class OutcomeReasonsTest {

    private static final Path BASELINE = Path.of("src/main/avro-baseline");

    @Test
    void shouldReadTheEnumOfAnOutcomeWrittenWithIt() {
        // Given an outcome whose string disagrees (the enum is what new writers set)
        DispatchOutcome outcome = outcome("SOMETHING_ELSE", OutcomeReason.WINDOW_CLOSED_SMS_FALLBACK);

        // When / Then
        assertThat(OutcomeReasons.of(outcome)).isEqualTo(OutcomeReason.WINDOW_CLOSED_SMS_FALLBACK);
    }

    @Test
    void shouldParseTheStringOfAnOutcomeWrittenBeforeTheEnum() {
        // Given outcomes of the previous release: no outcomeReason (its default), the reason as a string
        DispatchOutcome known = outcome("PROVIDER_UNDELIVERABLE_SMS_FALLBACK", OutcomeReason.UNSPECIFIED);
        DispatchOutcome unknown = outcome("PROVIDER_ERROR", OutcomeReason.UNSPECIFIED);

        // When / Then: a known symbol is found, anything else stays UNSPECIFIED
        assertThat(OutcomeReasons.of(known)).isEqualTo(OutcomeReason.PROVIDER_UNDELIVERABLE_SMS_FALLBACK);
        assertThat(OutcomeReasons.of(unknown)).isEqualTo(OutcomeReason.UNSPECIFIED);
    }

    @Test
    void shouldReadTheReasonOfAnOutcomeWrittenWithTheReleasedSchema() throws IOException {
        // Given an outcome encoded with the released DispatchOutcome (src/main/avro-baseline), before outcomeReason
        Schema.Parser parser = new Schema.Parser();
        for (String file : List.of("Channel", "ReplyCommand", "SendRequest")) {
            parser.parse(BASELINE.resolve(file + ".avsc").toFile());
        }
        Schema released = parser.parse(BASELINE.resolve("DispatchOutcome.avsc").toFile());
        GenericRecord old = new GenericData.Record(released);
        released.getFields().forEach(field -> old.put(field.name(), field.hasDefaultValue() ? GenericData.get().getDefaultValue(field) : null));
        old.put("commandId", "c");
        old.put("tenantId", "t");
        old.put("conversationId", "x");
        old.put("status", new GenericData.EnumSymbol(released.getField("status").schema(), "SENT"));
        old.put("reason", "WINDOW_CLOSED_TEMPLATE_FALLBACK");
        old.put("final", true);
        old.put("occurredAt", 0L);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
        new GenericDatumWriter<GenericRecord>(released).write(old, encoder);
        encoder.flush();

        // When today's class reads it (schema resolution: the new field takes its default)
        DispatchOutcome read = new SpecificDatumReader<DispatchOutcome>(released, DispatchOutcome.getClassSchema())
                .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));

        // Then the enum is UNSPECIFIED and the reason is the string's
        assertThat(read.getOutcomeReason()).isEqualTo(OutcomeReason.UNSPECIFIED);
        assertThat(OutcomeReasons.of(read)).isEqualTo(OutcomeReason.WINDOW_CLOSED_TEMPLATE_FALLBACK);
    }

    private static DispatchOutcome outcome(String reason, OutcomeReason outcomeReason) {
        return DispatchOutcome.newBuilder().setCommandId("c").setTenantId("t").setConversationId("x")
                .setStatus(OutcomeStatus.SENT).setReason(reason).setOutcomeReason(outcomeReason).setFinal$(true)
                .setOccurredAt(Instant.EPOCH).build();
    }
}
