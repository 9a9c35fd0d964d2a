package com.answerline.schemas.evolution;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The build's schema evolution guard: fails when a contract under src/main/avro cannot read data written
 * with its released version in src/main/avro-baseline (see README, "Releasing contracts").
 */
class SchemaEvolutionGuardTest {

    private static final Path CURRENT = Path.of("src/main/avro");
    private static final Path BASELINE = Path.of("src/main/avro-baseline");

    @Test
    void shouldKeepEveryContractBackwardCompatibleWithItsReleasedVersion() {
        assertThat(SchemaEvolutionGuard.parseDirectory(BASELINE)).isNotEmpty();

        List<String> violations = SchemaEvolutionGuard.violations(BASELINE, CURRENT);

        assertThat(violations).as("contracts changed incompatibly since their release").isEmpty();
    }

    @Test
    void shouldCatchANewFieldWithoutDefault(@TempDir Path tmp) throws IOException {
        // Given the released contracts and a current AssignmentChanged with a required new field
        Path current = copyOfCurrent(tmp);
        edit(current.resolve("AssignmentChanged.avsc"), "{\"name\": \"changedBy\", \"type\": \"string\"},",
                "{\"name\": \"changedBy\", \"type\": \"string\"}, {\"name\": \"reason\", \"type\": \"string\"},");

        // When
        List<String> violations = SchemaEvolutionGuard.violations(BASELINE, current);

        // Then
        assertThat(violations).singleElement().asString()
                .startsWith("com.answerline.avro.AssignmentChanged: not BACKWARD compatible")
                .contains("reason");
    }

    @Test
    void shouldCatchARemovedEnumSymbolAndARemovedContract(@TempDir Path tmp) throws IOException {
        // Given WindowEventType without CLOSED (no enum default) and ProviderError's file renamed to another type
        Path current = copyOfCurrent(tmp);
        edit(current.resolve("WindowEvent.avsc"), "[\"OPENED\", \"EXPIRING\", \"CLOSED\"]", "[\"OPENED\", \"EXPIRING\"]");
        Files.delete(current.resolve("AssignmentChanged.avsc"));

        // When
        List<String> violations = SchemaEvolutionGuard.violations(BASELINE, current);

        // Then
        assertThat(violations).hasSize(2)
                .anySatisfy(v -> assertThat(v).startsWith("com.answerline.avro.WindowEvent: not BACKWARD").contains("CLOSED"))
                .anySatisfy(v -> assertThat(v).isEqualTo("com.answerline.avro.AssignmentChanged: released schema was removed or renamed"));
    }

    @Test
    void shouldAcceptAnOptionalFieldAndANewContract(@TempDir Path tmp) throws IOException {
        // Given a new optional field with a default, and a brand-new contract that has no release yet
        Path current = copyOfCurrent(tmp);
        edit(current.resolve("AssignmentChanged.avsc"), "{\"name\": \"changedBy\", \"type\": \"string\"},",
                "{\"name\": \"changedBy\", \"type\": \"string\"}, {\"name\": \"reason\", \"type\": [\"null\", \"string\"], \"default\": null},");
        Files.writeString(current.resolve("Note.avsc"), """
                {"type": "record", "name": "Note", "namespace": "com.answerline.avro",
                 "fields": [{"name": "channel", "type": "Channel"}]}""");

        // When / Then
        assertThat(SchemaEvolutionGuard.violations(BASELINE, current)).isEmpty();
        assertThat(SchemaEvolutionGuard.parseDirectory(current)).containsKey("com.answerline.avro.Note");
    }

    private static Path copyOfCurrent(Path tmp) throws IOException {
        try (var files = Files.list(CURRENT)) {
            for (Path file : files.toList()) {
                Files.copy(file, tmp.resolve(file.getFileName()));
            }
        }
        return tmp;
    }

    private static void edit(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        assertThat(text).as("fixture text in " + file.getFileName()).contains(from);
        Files.writeString(file, text.replace(from, to));
    }
}
