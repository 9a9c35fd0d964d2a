package com.answerline.schemas.serde;

import java.util.Collection;
import java.util.Map;

import org.apache.kafka.common.config.ConfigException;

/**
 * Configuration of the serializer and deserializer, read from Confluent's property names so that Confluent's
 * own {@code io.confluent.kafka.serializers.KafkaAvroSerializer} can replace ours by configuration alone.
 *
 * @param registryUrl         first URL of {@code schema.registry.url} ({@code mock://<scope>} for an in-memory registry),
 *                            without the {@code user:password@} it may carry (that is in {@code auth})
 * @param autoRegisterSchemas {@code auto.register.schemas}, default true; takes precedence over use.latest.version
 *                            as in Confluent's serializer
 * @param useLatestVersion    {@code use.latest.version}, default false; only applies when auto-registering is off
 * @param specificAvroReader  {@code specific.avro.reader}, default false (GenericRecord)
 * @param subjectNameStrategy {@code key.subject.name.strategy} / {@code value.subject.name.strategy}
 * @param auth                the registry credentials ({@code basic.auth.*}, {@code bearer.auth.*}); see {@link RegistryAuth}
 * @param tls                 the registry's TLS settings ({@code schema.registry.ssl.*}); see {@link RegistryTls}
 */
public record AvroSerdeConfig(String registryUrl, boolean autoRegisterSchemas, boolean useLatestVersion,
                              boolean specificAvroReader, SubjectNameStrategy subjectNameStrategy,
                              RegistryAuth auth, RegistryTls tls) {

    /** A configuration without credentials and with the JVM's default TLS. */
    public AvroSerdeConfig(String registryUrl, boolean autoRegisterSchemas, boolean useLatestVersion,
                           boolean specificAvroReader, SubjectNameStrategy subjectNameStrategy) {
        this(registryUrl, autoRegisterSchemas, useLatestVersion, specificAvroReader, subjectNameStrategy,
                RegistryAuth.NONE, RegistryTls.DEFAULT);
    }

    public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
    public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
    public static final String USE_LATEST_VERSION = "use.latest.version";
    public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";
    public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";
    public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";

    public static AvroSerdeConfig from(Map<String, ?> configs, boolean isKey) {
        String url = firstUrl(configs.get(SCHEMA_REGISTRY_URL));
        if (url.isEmpty()) {
            throw new ConfigException(SCHEMA_REGISTRY_URL, configs.get(SCHEMA_REGISTRY_URL),
                    "missing: the URL of a Confluent-compatible schema registry (or mock://<scope> in tests)");
        }
        String strategyKey = isKey ? KEY_SUBJECT_NAME_STRATEGY : VALUE_SUBJECT_NAME_STRATEGY;
        // An in-memory registry takes no credentials and no TLS: a test may run a production configuration on mock://.
        boolean mock = SchemaRegistryClients.isMock(url);
        return new AvroSerdeConfig(mock ? url : RegistryAuth.withoutUserInfo(url),
                bool(configs, AUTO_REGISTER_SCHEMAS, true),
                bool(configs, USE_LATEST_VERSION, false),
                bool(configs, SPECIFIC_AVRO_READER, false),
                SubjectNameStrategy.of(strategyKey, configs.get(strategyKey)),
                mock ? RegistryAuth.NONE : RegistryAuth.from(configs, url),
                mock ? RegistryTls.DEFAULT : RegistryTls.from(configs));
    }

    /** Confluent accepts a comma-separated string or a list; like its client we use the first URL. */
    private static String firstUrl(Object urls) {
        if (urls instanceof Collection<?> list) {
            return list.isEmpty() ? "" : firstUrl(list.iterator().next());
        }
        return urls == null ? "" : urls.toString().split(",")[0].trim();
    }

    private static boolean bool(Map<String, ?> configs, String key, boolean fallback) {
        Object value = configs.get(key);
        if (value == null) {
            return fallback;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        String text = value.toString().trim();
        if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
            throw new ConfigException(key, value, "expected true or false");
        }
        return Boolean.parseBoolean(text);
    }
}
