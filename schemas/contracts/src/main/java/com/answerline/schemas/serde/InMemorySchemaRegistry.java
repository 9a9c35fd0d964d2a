package com.answerline.schemas.serde;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;

/**
 * A registry held in memory, for tests through {@code mock://} URLs. Ids are global and a schema keeps its
 * id across subjects, as in Confluent's registry; compatibility is BACKWARD against the latest version.
 */
public final class InMemorySchemaRegistry implements SchemaRegistryClient {

    private final Map<Schema, Integer> ids = new HashMap<>();
    private final Map<Integer, Schema> schemas = new HashMap<>();
    private final Map<String, List<Integer>> subjects = new HashMap<>();

    @Override
    public synchronized int register(String subject, Schema schema) {
        List<Integer> versions = subjects.computeIfAbsent(subject, s -> new ArrayList<>());
        Integer existing = ids.get(schema);
        if (existing != null && versions.contains(existing)) {
            return existing;
        }
        if (!versions.isEmpty() && !isCompatible(subject, schema)) {
            throw new SchemaRegistryException(409, 409, "schema being registered is incompatible with the latest"
                    + " version of subject " + subject + " (BACKWARD)", false);
        }
        int id = ids.computeIfAbsent(schema, s -> ids.size() + 1);
        schemas.put(id, schema);
        versions.add(id);
        return id;
    }

    @Override
    public synchronized int getId(String subject, Schema schema) {
        List<Integer> versions = subjects.get(subject);
        if (versions == null) {
            throw new SchemaRegistryException(404, 40401, "subject " + subject + " not found", false);
        }
        Integer id = ids.get(schema);
        if (id == null || !versions.contains(id)) {
            throw new SchemaRegistryException(404, 40403, "schema not found under subject " + subject, false);
        }
        return id;
    }

    @Override
    public synchronized Schema getById(int id) {
        Schema schema = schemas.get(id);
        if (schema == null) {
            throw new SchemaRegistryException(404, 40403, "schema id " + id + " not found", false);
        }
        return schema;
    }

    @Override
    public synchronized RegisteredSchema getLatest(String subject) {
        List<Integer> versions = subjects.get(subject);
        if (versions == null || versions.isEmpty()) {
            throw new SchemaRegistryException(404, 40401, "subject " + subject + " not found", false);
        }
        int id = versions.get(versions.size() - 1);
        return new RegisteredSchema(id, versions.size(), schemas.get(id));
    }

    @Override
    public synchronized boolean isCompatible(String subject, Schema schema) {
        List<Integer> versions = subjects.get(subject);
        if (versions == null || versions.isEmpty()) {
            return true;
        }
        Schema latest = schemas.get(versions.get(versions.size() - 1));
        return SchemaCompatibility.checkReaderWriterCompatibility(schema, latest).getType()
                == SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE;
    }
}
