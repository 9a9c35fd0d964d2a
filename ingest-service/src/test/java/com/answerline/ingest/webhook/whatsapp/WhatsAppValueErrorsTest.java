package com.answerline.ingest.webhook.whatsapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import com.answerline.ingest.http.InvalidRequestException;
import com.answerline.ingest.webhook.whatsapp.WhatsAppNotification.StatusError;

class WhatsAppValueErrorsTest {

    private static byte[] payload() throws IOException {
        try (InputStream in = WhatsAppValueErrorsTest.class.getResourceAsStream("/whatsapp/value-errors.json")) {
            return in.readAllBytes();
        }
    }

    @Test
    void shouldParseValueLevelErrorsWithCodeTitleMessageAndDetails() throws IOException {
        // Given a webhook whose first change carries only value-level errors
        // When
        WhatsAppNotification notification = new WhatsAppPayloadParser().parse(payload());
        // Then they are kept on their change, the second change (a message) keeps none
        assertThat(notification.changes().get(0).errors()).containsExactly(
                new StatusError(131000, "Something went wrong", "Something went wrong",
                        "Message failed to send because of an unknown error. Please try again later."),
                new StatusError(130472, "User's number is part of an experiment", "User's number is part of an experiment",
                        "Failed to send message because this user's phone number is part of an experiment"));
        assertThat(notification.changes().get(0).messages()).isEmpty();
        assertThat(notification.changes().get(1).errors()).isEmpty();
        assertThat(notification.changes().get(1).messages()).singleElement()
                .satisfies(m -> assertThat(m.type()).isEqualTo("unsupported"));
    }

    @Test
    void shouldCountEveryValueLevelErrorByCode() throws IOException {
        // Given
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        WhatsAppNotification notification = new WhatsAppPayloadParser().parse(payload());
        // When
        int reported = new WhatsAppValueErrors(meters).report(notification);
        new WhatsAppValueErrors(meters).report(notification);
        // Then each code has its own count; a message's own error (131051) is not a value-level one
        assertThat(reported).isEqualTo(2);
        assertThat(meters.counter(WhatsAppValueErrors.METRIC, "code", "131000").count()).isEqualTo(2.0);
        assertThat(meters.counter(WhatsAppValueErrors.METRIC, "code", "130472").count()).isEqualTo(2.0);
        assertThat(meters.find(WhatsAppValueErrors.METRIC).tag("code", "131051").counter()).isNull();
    }

    @Test
    void shouldRefuseAValueLevelErrorWithoutAnIntegerCodeNamingTheField() {
        // Given
        byte[] body = """
                {"entry":[{"changes":[{"value":{"metadata":{"phone_number_id":"100000000000001"},
                 "errors":[{"code":"oops","title":"x"}]}}]}]}
                """.getBytes(StandardCharsets.UTF_8);
        // When / Then
        assertThatThrownBy(() -> new WhatsAppPayloadParser().parse(body))
                .isInstanceOfSatisfying(InvalidRequestException.class,
                        e -> assertThat(e.field()).isEqualTo("entry[0].changes[0].value.errors[0].code"));
    }
}
