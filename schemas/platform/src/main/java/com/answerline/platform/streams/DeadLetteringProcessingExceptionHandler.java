package com.answerline.platform.streams;

import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams' {@code processing.exception.handler} of every service: a well-formed record that makes a processor
 * throw is handed, as the raw bytes it was read with (key, value, headers, origin), to the same dead-letter recoverer
 * that takes undecodable records ({@value #RECOVERER}, a {@code BiConsumer<ConsumerRecord<?, ?>, Exception>} such as
 * Spring Kafka's {@code DeadLetterPublishingRecoverer}: the topic's dead-letter twin, cause in
 * {@code kafka_dlt-exception-*} headers), and processing goes on with the next record. Without it the exception
 * kills the stream thread, which the {@link ThreadReplacementPolicy} replaces, and the same record kills the new one.
 *
 * <p>What the processor wrote to stores before it threw stays (Kafka Streams' contract for CONTINUE). When the
 * recoverer itself fails (the dead-letter topic is unreachable) the handler answers FAIL: the record is retried after
 * the thread is replaced, rather than lost. Kafka 4.2's built-in Streams dead-letter queue
 * ({@code errors.dead.letter.queue.topic.name}) replaces this once the platform moves to it.
 */
public final class DeadLetteringProcessingExceptionHandler implements ProcessingExceptionHandler {

    /** Streams configuration key of the recoverer object. */
    public static final String RECOVERER = "answerline.processing.exception.recoverer";

    private static final Logger log = LoggerFactory.getLogger(DeadLetteringProcessingExceptionHandler.class);

    private BiConsumer<ConsumerRecord<?, ?>, Exception> recoverer;

    /** Adds this handler and its recoverer to a Streams configuration. */
    public static Map<String, Object> configure(Map<String, Object> config,
                                                BiConsumer<ConsumerRecord<?, ?>, Exception> recoverer) {
        config.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetteringProcessingExceptionHandler.class);
        config.put(RECOVERER, recoverer);
        return config;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void configure(Map<String, ?> configs) {
        Object configured = configs.get(RECOVERER);
        if (!(configured instanceof BiConsumer<?, ?>)) {
            throw new ConfigException(RECOVERER, configured, "needs the dead-letter recoverer object");
        }
        recoverer = (BiConsumer<ConsumerRecord<?, ?>, Exception>) configured;
    }

    @Override
    public ProcessingHandlerResponse handle(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        ConsumerRecord<byte[], byte[]> raw = new ConsumerRecord<>(context.topic(), context.partition(), context.offset(),
                context.timestamp(), TimestampType.CREATE_TIME, ConsumerRecord.NULL_SIZE, ConsumerRecord.NULL_SIZE,
                context.sourceRawKey(), context.sourceRawValue(),
                new RecordHeaders(context.headers() == null ? null : context.headers().toArray()), Optional.empty());
        try {
            recoverer.accept(raw, exception);
        } catch (RuntimeException deadLetterFailed) {
            log.error("Processor {} failed on a record of {} (partition {}, offset {}) and it could not be dead-lettered; "
                            + "stopping the stream thread so the record is retried", context.processorNodeId(),
                    context.topic(), context.partition(), context.offset(), deadLetterFailed);
            return ProcessingHandlerResponse.FAIL;
        }
        log.warn("Processor {} failed on a record of {} (partition {}, offset {}): {}; dead-lettered, processing goes on",
                context.processorNodeId(), context.topic(), context.partition(), context.offset(),
                exception.getClass().getName());
        return ProcessingHandlerResponse.CONTINUE;
    }
}
