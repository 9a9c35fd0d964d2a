package com.answerline.bench.faults;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.util.List;
import java.util.Map;

import io.netty.handler.timeout.ReadTimeoutException;
import org.junit.jupiter.api.Test;
import reactor.netty.http.client.PrematureCloseException;

/** Each delivery's kind, told from the answers ingest and the balancer really give, and the report's line. */
class DeliveriesTest {

    /** WebhookAdmission's refusal, as ingest writes it. */
    private static final String SHED = "{\"type\":\"urn:answerline:problem:overloaded\",\"title\":\"Temporarily "
            + "unavailable\",\"status\":503,\"detail\":\"more webhooks are being worked on than this instance takes at "
            + "once (128); redeliver later\"}";
    /** ProblemAdvice.unavailable, for the identity directory and for a publish Kafka did not acknowledge. */
    private static final String DIRECTORY = "{\"detail\":\"the customer directory is not loaded yet; retry later\","
            + "\"instance\":\"/webhooks/whatsapp\",\"status\":503,\"title\":\"Temporarily unavailable\","
            + "\"type\":\"urn:answerline:problem:unavailable\"}";
    private static final String KAFKA = "{\"detail\":\"the event log did not acknowledge the request; retry later\","
            + "\"status\":503,\"title\":\"Temporarily unavailable\",\"type\":\"urn:answerline:problem:unavailable\"}";
    /** HAProxy's own 503 when no server of the backend is up. */
    private static final String HAPROXY = "<html><body><h1>503 Service Unavailable</h1>\n"
            + "No server is available to handle this request.\n</body></html>\n";

    @Test
    void shouldTellWhoRefusedADeliveryAndWhy() {
        assertThat(Deliveries.of(200, "")).isEqualTo(Deliveries.Kind.ACCEPTED);
        assertThat(Deliveries.of(503, SHED)).isEqualTo(Deliveries.Kind.SHED);
        assertThat(Deliveries.of(503, DIRECTORY)).isEqualTo(Deliveries.Kind.DIRECTORY_LOADING);
        assertThat(Deliveries.of(503, KAFKA)).isEqualTo(Deliveries.Kind.KAFKA_UNACKED);
        assertThat(Deliveries.of(503, HAPROXY)).isEqualTo(Deliveries.Kind.NO_SERVER);
        assertThat(Deliveries.of(503, "")).isEqualTo(Deliveries.Kind.OTHER_503);
        assertThat(Deliveries.of(502, "")).isEqualTo(Deliveries.Kind.BAD_GATEWAY);
        assertThat(Deliveries.of(401, "")).isEqualTo(Deliveries.Kind.OTHER_STATUS);
    }

    @Test
    void shouldTellDeliveriesWithoutAnAnswerApart() {
        assertThat(Deliveries.of(ReadTimeoutException.INSTANCE)).isEqualTo(Deliveries.Kind.NO_ANSWER);
        assertThat(Deliveries.of(new RuntimeException(new ConnectException("Connection refused"))))
                .isEqualTo(Deliveries.Kind.REFUSED);
        assertThat(Deliveries.of(PrematureCloseException.TEST_EXCEPTION)).isEqualTo(Deliveries.Kind.CLOSED);
        assertThat(Deliveries.of(new PoolAcquireTimeoutException())).isEqualTo(Deliveries.Kind.HARNESS_POOL);
        assertThat(Deliveries.of(new IllegalStateException("?"))).isEqualTo(Deliveries.Kind.OTHER_ERROR);
    }

    @Test
    void shouldReportTheDeliveriesOfTheMessagesNeverAcceptedApart() {
        // Given one message accepted at its second delivery, and one never accepted after three
        Deliveries.Tally accepted = tally(Deliveries.Kind.SHED, Deliveries.Kind.ACCEPTED);
        Deliveries.Tally givenUp = tally(Deliveries.Kind.NO_ANSWER, Deliveries.Kind.NO_ANSWER, Deliveries.Kind.REFUSED);
        Map<Deliveries.Tally, Boolean> messages = Map.of(accepted, true, givenUp, false);

        // Then the line counts all deliveries, then those of the message given up alone
        String line = Deliveries.describe(List.of(accepted, givenUp), t -> t, messages::get);
        assertThat(line).isEqualTo("deliveries {200 1, 503 shed by ingest's admission bound 1, no answer within the "
                + "harness's timeout 2, connection refused 1}; of the 1 never accepted: {no answer within the harness's "
                + "timeout 2, connection refused 1}");
        assertThat(Deliveries.describe(List.of(accepted), t -> t, messages::get))
                .isEqualTo("deliveries {200 1, 503 shed by ingest's admission bound 1}");
    }

    private static Deliveries.Tally tally(Deliveries.Kind... kinds) {
        Deliveries.Tally tally = new Deliveries.Tally();
        for (Deliveries.Kind kind : kinds) {
            tally.add(kind);
        }
        return tally;
    }

    /** Named as Reactor Netty's shaded pool names its acquire timeout, which is not public API. */
    private static final class PoolAcquireTimeoutException extends RuntimeException {
    }
}
