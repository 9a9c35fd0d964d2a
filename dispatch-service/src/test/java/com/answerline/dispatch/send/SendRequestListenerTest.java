package com.answerline.dispatch.send;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.KafkaTemplate;

import com.answerline.avro.Channel;
import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.FallbackPolicy;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.SendRequest;
import com.answerline.schemas.topic.Topics;

class SendRequestListenerTest {

    @SuppressWarnings("unchecked")
    final KafkaTemplate<String, DispatchOutcome> template = mock(KafkaTemplate.class);
    final ReplySender sender = mock(ReplySender.class);
    final SendRequestListener listener = new SendRequestListener(sender, new SentCommands(10), template);

    @Test
    void shouldMessageTheCustomerOnceWhenTheSameCommandIsDeliveredTwice() throws Exception {
        // Given the sender sends and the outcome topic accepts
        SendRequest request = ReplySenderTest.request(FallbackPolicy.SMS);
        DispatchOutcome sent = DispatchOutcome.newBuilder()
                .setCommandId(request.getCommandId()).setTenantId("demo").setConversationId(request.getConversationId())
                .setStatus(OutcomeStatus.SENT).setChannel(Channel.WHATSAPP).setReason("WINDOW_OPEN")
                .setFinal$(true).setOccurredAt(Instant.EPOCH).build();
        when(sender.send(any())).thenReturn(sent);
        when(template.send(any(String.class), any(String.class), any(DispatchOutcome.class)))
                .thenReturn(CompletableFuture.completedFuture(null));
        ConsumerRecord<String, SendRequest> record = new ConsumerRecord<>(Topics.SEND_REQUESTS.name(), 0, 0,
                request.getConversationId(), request);

        // When Kafka redelivers the same request (same command id)
        listener.onSendRequest(record);
        listener.onSendRequest(new ConsumerRecord<>(Topics.SEND_REQUESTS.name(), 0, 1, request.getConversationId(), request));

        // Then the provider path ran once, and the recorded outcome was published both times
        verify(sender, times(1)).send(any());
        verify(template, times(2)).send(eq(Topics.DISPATCH_OUTCOMES.name()), eq(request.getConversationId()), eq(sent));
    }
}
