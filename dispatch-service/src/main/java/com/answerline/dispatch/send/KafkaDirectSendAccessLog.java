package com.answerline.dispatch.send;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.serializer.SerializationUtils;

import com.answerline.avro.DirectSendAccessEntry;

/**
 * {@link DirectSendRefusals} on its compacted topic ({@code Topics.DIRECT_SEND_ACCESS}, one partition): appends are
 * synchronous produces keyed by phone_number_id; a thread of its own reads the whole topic from the beginning and
 * then follows it (a consumer without group, nothing committed), so every instance knows every refusal within a poll.
 * Until it has caught up after a start, a refused number may be tried once more: WhatsApp refuses it again and the
 * reply continues down its chain as for the first refusal.
 */
public final class KafkaDirectSendAccessLog implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaDirectSendAccessLog.class);

    private final TopicPartition partition;
    private final KafkaTemplate<String, DirectSendAccessEntry> template;
    private final Consumer<String, Object> reader;
    private final Duration timeout;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile DirectSendRefusals sink;

    /** @param reader a consumer without group, used only by this log's thread */
    public KafkaDirectSendAccessLog(String topic, KafkaTemplate<String, DirectSendAccessEntry> template,
                                    Consumer<String, Object> reader, Duration timeout) {
        this.partition = new TopicPartition(topic, 0);
        this.template = template;
        this.reader = reader;
        this.timeout = timeout;
        this.thread = new Thread(this::follow, "dispatch-direct-send-access-reader");
        this.thread.setDaemon(true);
    }

    /** Appends an entry and waits for the broker's acknowledgement. */
    public void append(DirectSendAccessEntry entry) {
        try {
            template.send(new ProducerRecord<>(partition.topic(), partition.partition(), entry.getPhoneNumberId(), entry))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing the Direct Send access record", e);
        } catch (Exception e) {
            throw new IllegalStateException("Direct Send access record not written", e);
        }
    }

    /** Starts reading the topic into {@code refusals}, from the beginning. */
    public KafkaDirectSendAccessLog start(DirectSendRefusals refusals) {
        this.sink = refusals;
        thread.start();
        return this;
    }

    private void follow() {
        try {
            reader.assign(List.of(partition));
            reader.seekToBeginning(List.of(partition));
            while (running) {
                for (ConsumerRecord<String, Object> record : reader.poll(Duration.ofMillis(500))) {
                    boolean undecodable = record.headers().lastHeader(SerializationUtils.VALUE_DESERIALIZER_EXCEPTION_HEADER) != null;
                    if (!undecodable && record.value() instanceof DirectSendAccessEntry entry) {
                        sink.apply(entry);
                    } else if (record.value() != null || undecodable) {
                        log.warn("{} offset {}: not a Direct Send access entry, skipped", partition, record.offset());
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            log.error("Direct Send access record no longer followed: {}", e.toString());
        } finally {
            reader.close();
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        reader.wakeup();
        thread.join(timeout.toMillis());
    }
}
