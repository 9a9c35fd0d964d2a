package com.answerline.schemas.evolution;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * Compares the contracts under development with the last released ones: every released schema must still
 * exist, and its current version, as reader, must read data written with the released one (BACKWARD, the
 * registry's compatibility level, checked with Avro's own checker so the build fails before the registry
 * would refuse the schema at run time).
 */
final class SchemaEvolutionGuard {

    private SchemaEvolutionGuard() {
    }

    /** Human-readable violations, empty when every released schema evolved compatibly. */
    static List<String> violations(Path baselineDir, Path currentDir) {
        Map<String, Schema> baseline = parseDirectory(baselineDir);
        Map<String, Schema> current = parseDirectory(currentDir);
        List<String> violations = new ArrayList<>();
        baseline.forEach((name, released) -> {
            Schema now = current.get(name);
            if (now == null) {
                violations.add(name + ": released schema was removed or renamed");
                return;
            }
            SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(now, released);
            if (result.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
                violations.add(name + ": not BACKWARD compatible with the released version: "
                        + result.getResult().getIncompatibilities());
            }
        });
        return violations;
    }

    /**
     * Parses every {@code .avsc} of a directory, whatever their order: a file naming a type defined in another
     * file is retried once that file is parsed. Returns each file's top-level schema by full name.
     */
    static Map<String, Schema> parseDirectory(Path dir) {
        List<Path> pending = listAvsc(dir);
        Map<String, Schema> known = new LinkedHashMap<>();
        Map<String, Schema> topLevel = new LinkedHashMap<>();
        while (!pending.isEmpty()) {
            List<Path> stillPending = new ArrayList<>();
            AvroRuntimeException lastError = null;
            for (Path file : pending) {
                Schema.Parser parser = new Schema.Parser();
                parser.addTypes(known.values());
                try {
                    Schema schema = parser.parse(file.toFile());
                    known.putAll(parser.getTypes());
                    topLevel.put(schema.getFullName(), schema);
                } catch (AvroRuntimeException e) { // SchemaParseException, or AvroTypeException for an undefined name
                    stillPending.add(file);
                    lastError = e;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            if (stillPending.size() == pending.size()) {
                throw new IllegalStateException("cannot parse " + stillPending + ": " + lastError.getMessage(), lastError);
            }
            pending = stillPending;
        }
        return topLevel;
    }

    private static List<Path> listAvsc(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.toString().endsWith(".avsc")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
