package com.answerline.dispatch.send;

import java.util.Collection;
import java.util.Locale;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import com.answerline.avro.Channel;
import com.answerline.avro.DispatchOutcome;
import com.answerline.avro.OutcomeReason;
import com.answerline.avro.OutcomeStatus;
import com.answerline.avro.SendLedgerEntry;
import com.answerline.avro.SendStep;

/**
 * The parked sends' meters. Tags: the provider waited for ({@code whatsapp}, {@code sms}) and the result; never a
 * tenant, conversation or number.
 * <ul>
 *   <li>{@value #PARKED} (gauge): sends parked now on this instance's partitions, waiting for their provider or behind
 *       an earlier parked send of their conversation;</li>
 *   <li>{@value #RESULTS} (counter): {@code parked} each time a send is parked (first time only), then once per
 *       parked send its end: {@code sent}, {@code failed_over} (validity ran out, the failover was chosen),
 *       {@code expired} (validity ran out, FAILED), {@code failed} (a retry refused for another reason),
 *       {@code unknown} (a retry's answer lost).</li>
 * </ul>
 */
public final class ParkedSendMetrics {

    public static final String PARKED = "answerline.dispatch.parked.sends";
    public static final String RESULTS = "answerline.dispatch.parked.results";

    private static final String[] RESULT_NAMES = {"parked", "sent", "failed_over", "expired", "failed", "unknown"};

    private final MeterRegistry meters;

    /** Every provider and result from the start (at 0), so dashboards and alerts see the series before an outage. */
    public ParkedSendMetrics(MeterRegistry meters) {
        this.meters = meters;
        for (Channel channel : new Channel[] {Channel.WHATSAPP, Channel.SMS}) {
            for (String result : RESULT_NAMES) {
                counter(channel, result);
            }
        }
    }

    /** The gauge of parked sends per provider, read from the entries parked now on the owned partitions. */
    void gauge(Supplier<Collection<SendLedgerEntry>> parked) {
        for (String provider : new String[] {"whatsapp", "sms"}) {
            Gauge.builder(PARKED, () -> parked.get().stream()
                            .filter(entry -> provider.equals(providerOf(entry.getParked().getRequest().getChannel())))
                            .count())
                    .description("Sends parked while their provider is unavailable (or behind one of their conversation)")
                    .tag("provider", provider)
                    .register(meters);
        }
    }

    /** A send was parked for the first time. */
    void parked(Channel channel) {
        count(channel, "parked");
    }

    /** A parked send (of {@code channel}, step {@code step}) ended with this outcome. */
    void ended(Channel channel, SendStep step, DispatchOutcome outcome) {
        count(channel, resultOf(step, outcome));
    }

    static String resultOf(SendStep step, DispatchOutcome outcome) {
        if (outcome.getStep() == SendStep.FAILOVER && step != SendStep.FAILOVER) {
            return "failed_over";
        }
        if (outcome.getOutcomeReason() == OutcomeReason.PROVIDER_UNAVAILABLE_VALIDITY_EXPIRED) {
            return "expired";
        }
        if (outcome.getOutcomeReason() == OutcomeReason.SEND_STATE_UNKNOWN) {
            return "unknown";
        }
        return outcome.getStatus() == OutcomeStatus.SENT || outcome.getStatus() == OutcomeStatus.HELD ? "sent" : "failed";
    }

    static String providerOf(Channel channel) {
        return channel == Channel.SMS ? "sms" : channel == null ? "unknown" : "whatsapp";
    }

    private void count(Channel channel, String result) {
        counter(channel, result).increment();
    }

    private Counter counter(Channel channel, String result) {
        return Counter.builder(RESULTS).description("Parked sends: parked, and how each ended")
                .tag("provider", providerOf(channel)).tag("result", result.toLowerCase(Locale.ROOT))
                .register(meters);
    }
}
