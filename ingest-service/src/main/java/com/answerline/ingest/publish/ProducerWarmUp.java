package com.answerline.ingest.publish;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;
import reactor.core.scheduler.Schedulers;

import com.answerline.schemas.topic.Topic;
import com.answerline.schemas.topic.Topics;

/**
 * Fetches the producer's metadata for the topics ingest writes once the app is up, off the request path, so
 * the first webhook does not pay for connecting and discovering partition leaders (seconds on a cold start;
 * providers expect answers in well under a second). Failure here is harmless: requests retry it.
 */
@Component
class ProducerWarmUp {

    private static final Logger log = LoggerFactory.getLogger(ProducerWarmUp.class);

    private final KafkaTemplate<String, Object> kafka;

    ProducerWarmUp(KafkaTemplate<String, Object> kafka) {
        this.kafka = kafka;
    }

    @EventListener(ApplicationReadyEvent.class)
    void warmUp() {
        Schedulers.boundedElastic().schedule(() -> {
            for (Topic<?> topic : java.util.List.of(Topics.INBOUND_MESSAGES, Topics.DELIVERY_STATUSES, Topics.REPLY_COMMANDS)) {
                try {
                    kafka.partitionsFor(topic.name());
                } catch (RuntimeException e) {
                    log.info("Kafka not reachable yet for {}: {}", topic.name(), e.getMessage());
                    return;
                }
            }
        });
    }
}
