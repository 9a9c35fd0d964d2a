package com.answerline.dispatch.send;

import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Component;

import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.SendRequest;
import com.answerline.schemas.topic.Topics;

/**
 * Consumes decided SendRequests (read_committed: only what the decision topology committed), sends each once and
 * publishes its final outcome before the offset is committed. Failure policy: the container's
 * {@code DefaultErrorHandler} (see config), poison records to {@code send-requests-dlt}.
 */
@Component
class SendRequestListener {

    private static final Logger log = LoggerFactory.getLogger(SendRequestListener.class);

    private final ReplySender sender;
    private final SentCommands sentCommands;
    private final KafkaTemplate<String, DispatchOutcome> outcomes;

    SendRequestListener(ReplySender sender, SentCommands sentCommands, KafkaTemplate<String, DispatchOutcome> outcomes) {
        this.sender = sender;
        this.sentCommands = sentCommands;
        this.outcomes = outcomes;
    }

    @KafkaListener(id = "dispatch-sender", topics = "#{T(com.answerline.schemas.topic.Topics).SEND_REQUESTS.name()}")
    void onSendRequest(ConsumerRecord<String, SendRequest> record) throws Exception {
        SendRequest request = record.value();
        // The command id is the idempotency key: a request seen again (retry after a failed outcome publish,
        // redelivery after a rebalance) republishes its recorded outcome instead of messaging the customer twice.
        DispatchOutcome outcome = sentCommands.outcomeOf(request.getCommandId());
        if (outcome == null) {
            outcome = sender.send(request);
            sentCommands.record(request.getCommandId(), outcome);
        } else {
            log.info("command {} already sent; duplicate suppressed, outcome republished", request.getCommandId());
        }
        outcomes.send(Topics.DISPATCH_OUTCOMES.name(), record.key(), outcome).get(30, TimeUnit.SECONDS);
        log.info("command {} tenant {}: {} via {} ({})", outcome.getCommandId(), outcome.getTenantId(),
                outcome.getStatus(), outcome.getChannel(), outcome.getReason());
    }
}
