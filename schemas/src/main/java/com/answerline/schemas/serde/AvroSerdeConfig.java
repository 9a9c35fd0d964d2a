package com.answerline.schemas.serde;

import java.util.Map;

/**
 * Configuration of the serializer and deserializer, under Confluent's property names so that Confluent's
 * own classes can replace ours by configuration alone.
 */
public record AvroSerdeConfig(String registryUrl, boolean autoRegisterSchemas, boolean useLatestVersion,
                              boolean specificAvroReader, SubjectNameStrategy subjectNameStrategy) {

    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final String USE_LATEST_VERSION = "use.latest.version";
    public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";
    public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";
    public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";

    public static AvroSerdeConfig from(Map<String, ?> configs, boolean isKey) {
        Object url = configs.get(SCHEMA_REGISTRY_URL);
        if (url == null || url.toString().isBlank()) {
            throw new org.apache.kafka.common.config.ConfigException(SCHEMA_REGISTRY_URL, url,
                    "missing: the URL of a Confluent-compatible schema registry (or mock://<scope> in tests)");
        }
        Object strategy = configs.get(isKey ? KEY_SUBJECT_NAME_STRATEGY : VALUE_SUBJECT_NAME_STRATEGY);
        return new AvroSerdeConfig(firstUrl(url.toString()),
                bool(configs.get(AUTO_REGISTER_SCHEMAS), true),
                bool(configs.get(USE_LATEST_VERSION), false),
                bool(configs.get(SPECIFIC_AVRO_READER), false),
                SubjectNameStrategy.of(strategy));
    }

    private static String firstUrl(String urls) {
        return urls.split(",")[0].trim();
    }

    private static boolean bool(Object value, boolean fallback) {
        if (value == null) {
            return fallback;
        }
        return value instanceof Boolean b ? b : Boolean.parseBoolean(value.toString().trim());
    }
}
