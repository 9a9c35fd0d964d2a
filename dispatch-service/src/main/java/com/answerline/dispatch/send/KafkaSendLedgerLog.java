package com.answerline.dispatch.send;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.serializer.SerializationUtils;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import com.answerline.avro.DispatchOutcome;

/**
 * The ledger on a compacted Kafka topic: appends are synchronous produces ({@code acks=all}, idempotent producer)
 * to an explicit partition, replays read one partition with a consumer of its own (no group, nothing committed).
 */
public final class KafkaSendLedgerLog implements SendLedger.Log, DisposableBean {

    /** Time from handing a ledger entry to the producer until the broker acknowledged it. */
    public static final String APPEND_TIMER = "answerline.dispatch.ledger.append";

    private static final Logger log = LoggerFactory.getLogger(KafkaSendLedgerLog.class);

    private final String topic;
    private final KafkaTemplate<String, DispatchOutcome> template;
    private final Consumer<String, Object> reader;
    private final Duration timeout;
    private final Timer sendingAppends;
    private final Timer resultAppends;

    /**
     * @param reader a consumer without group, used only here (it is not thread-safe; the ledger serializes calls)
     * @param meters where {@value #APPEND_TIMER} goes: its {@code entry=result} timing is the width of the gap
     *               between the provider's answer and the durable result
     */
    public KafkaSendLedgerLog(String topic, KafkaTemplate<String, DispatchOutcome> template,
                              Consumer<String, Object> reader, Duration timeout, MeterRegistry meters) {
        this.topic = topic;
        this.template = template;
        this.reader = reader;
        this.timeout = timeout;
        this.sendingAppends = appendTimer(meters, "sending");
        this.resultAppends = appendTimer(meters, "result");
    }

    private static Timer appendTimer(MeterRegistry meters, String entry) {
        return Timer.builder(APPEND_TIMER)
                .description("Send ledger append until acknowledged (acks=all); entry=result is the at-risk gap")
                .tag("entry", entry)
                .register(meters);
    }

    @Override
    public void append(int partition, String commandId, DispatchOutcome entry) {
        Timer.Sample sample = Timer.start();
        try {
            template.send(new ProducerRecord<>(topic, partition, commandId, entry)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            sample.stop(entry.getFinal$() ? resultAppends : sendingAppends);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing the send ledger", e);
        } catch (Exception e) {
            throw new IllegalStateException("send ledger write failed for command " + commandId, e);
        }
    }

    @Override
    public long replay(int partition, long from, BiConsumer<String, DispatchOutcome> sink) {
        TopicPartition tp = new TopicPartition(topic, partition);
        reader.assign(List.of(tp));
        reader.seek(tp, from);
        long end = reader.endOffsets(List.of(tp), timeout).get(tp);
        long deadline = System.nanoTime() + timeout.toNanos();
        int read = 0;
        while (reader.position(tp, timeout) < end) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("send ledger partition " + partition + " not restored within " + timeout);
            }
            for (ConsumerRecord<String, Object> record : reader.poll(Duration.ofMillis(200))) {
                boolean undecodable = record.headers().lastHeader(SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER) != null;
                if (!undecodable && (record.value() == null || record.value() instanceof DispatchOutcome)) {
                    sink.accept(record.key(), (DispatchOutcome) record.value());
                    read++;
                } else {
                    log.warn("send ledger partition {} offset {}: not an outcome, skipped", partition, record.offset());
                }
            }
        }
        log.info("send ledger partition {} restored from offset {} to {} ({} entries)", partition, from, end, read);
        return end;
    }

    @Override
    public void destroy() {
        reader.close();
    }

    /** Reader properties: Boot's consumer settings without a group or commits. */
    public static Map<String, Object> readerProperties(Map<String, Object> consumerProperties) {
        Map<String, Object> properties = new java.util.HashMap<>(consumerProperties);
        properties.remove("group.id");
        properties.put("enable.auto.commit", false);
        properties.put("client.id", "dispatch-send-ledger-reader");
        return properties;
    }
}
