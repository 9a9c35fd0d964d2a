package com.answerline.platform.upstream;

import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.answerline.schemas.serde.AvroSerdeConfig;
import com.answerline.schemas.serde.SchemaRegistryClients;
import com.answerline.schemas.topic.Topic;

/**
 * Publishes the contracts of the topics a service guards in the schema registry when it starts, under the subjects
 * its serdes use ({@code <topic>-value} by default), so an upstream team can read the schema to write with from the
 * registry before anyone has produced to the topic. Registering is idempotent (the same schema keeps its id) and
 * needs {@code auto.register.schemas}; with it off (a registry managed elsewhere) nothing is registered.
 */
public final class UpstreamContracts {

    private static final Logger log = LoggerFactory.getLogger(UpstreamContracts.class);

    private UpstreamContracts() {
    }

    /** {@link #register} on a daemon thread of its own: a registry that is away must not hold a service's start-up. */
    public static Thread registerInBackground(Map<String, ?> serdeConfig, List<Topic<?>> topics) {
        Thread thread = new Thread(() -> register(serdeConfig, topics), "upstream-contracts");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /**
     * Registers the value schema of each topic. A registry that cannot be reached is logged, not fatal: the serdes
     * register on the first write anyway.
     *
     * @return how many subjects were registered (or found registered)
     */
    public static int register(Map<String, ?> serdeConfig, List<Topic<?>> topics) {
        AvroSerdeConfig config = AvroSerdeConfig.from(serdeConfig, false);
        if (!config.autoRegisterSchemas()) {
            return 0;
        }
        int registered = 0;
        for (Topic<?> topic : topics) {
            Schema schema = SpecificData.get().getSchema(topic.valueType());
            String subject = config.subjectNameStrategy().subject(topic.name(), false, schema);
            try {
                SchemaRegistryClients.forConfig(config).register(subject, schema);
                registered++;
            } catch (RuntimeException unavailable) {
                log.warn("Could not register the schema of {} under {} at start-up ({}); it is registered with the "
                        + "first record written", topic.name(), subject, unavailable.getMessage());
            }
        }
        return registered;
    }
}
