package com.answerline.session.thread;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.answerline.avro.Channel;
import com.answerline.avro.DeliveryLifecycle;
import com.answerline.avro.DeliveryState;
import com.answerline.avro.DeliveryStatus;
import com.answerline.avro.ProviderError;

class DeliveryLifecyclesTest {

    private static final Instant T = Instant.parse("2026-12-06T10:00:00Z");

    @Test
    void shouldNeverGoBackwardsWhateverOrderTheStatusesArriveIn() {
        // Given the statuses of one message in every order, one of them twice
        List<DeliveryLifecycle> facts = List.of(DeliveryLifecycles.accepted(T), status(DeliveryState.SENT, 1),
                status(DeliveryState.DELIVERED, 2), status(DeliveryState.READ, 3), status(DeliveryState.DELIVERED, 2));

        DeliveryLifecycle inOrder = fold(facts);
        List<DeliveryLifecycle> backwards = new ArrayList<>(facts);
        Collections.reverse(backwards);
        DeliveryLifecycle reversed = fold(backwards);

        // Then the same lifecycle: READ, with each step's time
        DeliveryLifecycle expected = DeliveryLifecycle.newBuilder().setState(DeliveryState.READ).setAcceptedAt(T)
                .setSentAt(T.plusSeconds(1)).setDeliveredAt(T.plusSeconds(2)).setReadAt(T.plusSeconds(3)).build();
        assertThat(inOrder).isEqualTo(expected);
        assertThat(reversed).isEqualTo(expected);
        // And merging a fact again changes nothing
        assertThat(DeliveryLifecycles.merge(expected, status(DeliveryState.SENT, 1))).isEqualTo(expected);
    }

    @Test
    void shouldShowAFailureAfterDeliveredAsFailedWithTheFirstCodeAndTitle() {
        DeliveryLifecycle delivered = fold(List.of(DeliveryLifecycles.accepted(T), status(DeliveryState.DELIVERED, 2)));

        DeliveryLifecycle failed = DeliveryLifecycles.merge(delivered, DeliveryLifecycles.of(failure(131047, "Re-engagement message")));
        DeliveryLifecycle readLater = DeliveryLifecycles.merge(DeliveryLifecycles.merge(failed,
                DeliveryLifecycles.of(failure(131026, "Message undeliverable"))), status(DeliveryState.READ, 9));

        assertThat(failed.getState()).isEqualTo(DeliveryState.FAILED);
        assertThat(failed.getDeliveredAt()).isEqualTo(T.plusSeconds(2));
        assertThat(failed.getFailedAt()).isEqualTo(T.plusSeconds(5));
        assertThat(failed.getErrorCode()).isEqualTo(131047);
        assertThat(failed.getErrorTitle()).isEqualTo("Re-engagement message");
        assertThat(readLater.getState()).isEqualTo(DeliveryState.FAILED);
        assertThat(readLater.getErrorCode()).isEqualTo(131047);
    }

    @Test
    void shouldTakeTwiliosUndeliveredAsAFailureAndIgnoreUnknown() {
        DeliveryStatus undelivered = DeliveryStatus.newBuilder(failure(30003, "Unreachable destination handset"))
                .setStatus(DeliveryState.UNDELIVERED).setChannel(Channel.SMS).build();

        assertThat(DeliveryLifecycles.of(undelivered).getState()).isEqualTo(DeliveryState.FAILED);
        assertThat(DeliveryLifecycles.of(undelivered).getErrorCode()).isEqualTo(30003);
        assertThat(DeliveryLifecycles.of(DeliveryStatus.newBuilder(failure(1, "x")).setStatus(DeliveryState.UNKNOWN)
                .setErrors(List.of()).build())).isNull();
    }

    private static DeliveryLifecycle fold(List<DeliveryLifecycle> facts) {
        DeliveryLifecycle lifecycle = null;
        for (DeliveryLifecycle fact : facts) {
            lifecycle = DeliveryLifecycles.merge(lifecycle, fact);
        }
        return lifecycle;
    }

    private static DeliveryLifecycle status(DeliveryState state, int secondsAfter) {
        return DeliveryLifecycles.of(DeliveryStatus.newBuilder(failure(1, "x")).setStatus(state).setErrors(List.of())
                .setOccurredAt(T.plusSeconds(secondsAfter)).build());
    }

    private static DeliveryStatus failure(int code, String title) {
        return DeliveryStatus.newBuilder().setTenantId("demo").setConversationId("100000000000001:15551230001")
                .setPhoneNumberId("100000000000001").setChannel(Channel.WHATSAPP).setProviderMessageId("wamid.out")
                .setStatus(DeliveryState.FAILED)
                .setErrors(List.of(ProviderError.newBuilder().setCode(code).setTitle(title).build()))
                .setOccurredAt(T.plusSeconds(5)).setReceivedAt(T.plusSeconds(6)).build();
    }
}
