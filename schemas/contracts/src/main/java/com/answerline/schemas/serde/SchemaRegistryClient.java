package com.answerline.schemas.serde;

import org.apache.avro.Schema;

/** The subset of the Confluent Schema Registry REST API that serializers use. */
public interface SchemaRegistryClient {

    /** Registers the schema under the subject (or finds it) and returns its global id. */
    int register(String subject, Schema schema);

    /** Returns the id of the schema under the subject without registering it. */
    int getId(String subject, Schema schema);

    /** Returns the schema with the global id. */
    Schema getById(int id);

    /** Returns the latest version registered under the subject, with its id. */
    RegisteredSchema getLatest(String subject);

    /** Tests the schema against the subject's latest version under the subject's compatibility level. */
    boolean isCompatible(String subject, Schema schema);

    record RegisteredSchema(int id, int version, Schema schema) {
    }
}
