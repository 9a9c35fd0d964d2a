package com.answerline.dispatch.config;

import java.time.Clock;
import java.time.Duration;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelOption;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import com.answerline.dispatch.decision.ChannelDecider;
import com.answerline.dispatch.provider.ProviderGuard;
import com.answerline.dispatch.provider.ProviderResilienceProperties;
import com.answerline.dispatch.provider.ThroughputShare;
import com.answerline.dispatch.provider.sms.SmsClient;
import com.answerline.dispatch.provider.whatsapp.WhatsAppClient;
import com.answerline.dispatch.send.DeliveryFailover;
import com.answerline.dispatch.send.DirectSendMetrics;
import com.answerline.dispatch.send.DirectSendRefusals;
import com.answerline.dispatch.send.ParkedSendMetrics;
import com.answerline.dispatch.send.Parking;
import com.answerline.dispatch.send.ParkingProperties;
import com.answerline.dispatch.send.ReplySender;
import com.answerline.dispatch.send.SenderProperties;
import com.answerline.platform.kafka.KafkaPlatformProperties;
import com.answerline.schemas.topic.Topics;

/**
 * The provider clients, each with its own connect and read timeouts and its {@link ProviderGuard} (retry, rate
 * limit, circuit breaker), and the sender using them.
 */
@Configuration(proxyBeanMethods = false)
class ProviderConfig {

    /**
     * This instance's share of each business number's WhatsApp throughput: its send-requests partitions out of all
     * (the deployment's conversation partitions), kept by the sender's rebalance listener ({@code LedgerConfig}).
     */
    @Bean
    ThroughputShare throughputShare(KafkaPlatformProperties deployment, MeterRegistry meters) {
        return new ThroughputShare(deployment.partitionsOf(Topics.SEND_REQUESTS)).bindTo(meters);
    }

    @Bean
    WhatsAppClient whatsAppClient(WebClient.Builder builder, DispatchProperties properties,
                                  ProviderResilienceProperties resilience, SenderProperties sender, MeterRegistry meters,
                                  ThroughputShare share) {
        DispatchProperties.WhatsApp whatsApp = properties.whatsapp();
        return new WhatsAppClient(builder, connector("whatsapp", whatsApp.connectTimeout(), whatsApp.readTimeout(), sender),
                whatsApp.baseUrl().toString(), whatsApp.apiVersion(), whatsApp.token(),
                new ProviderGuard("whatsapp", resilience, meters, share));
    }

    @Bean
    SmsClient smsClient(WebClient.Builder builder, DispatchProperties properties,
                        ProviderResilienceProperties resilience, SenderProperties sender, MeterRegistry meters) {
        DispatchProperties.Sms sms = properties.sms();
        return new SmsClient(builder, connector("sms", sms.connectTimeout(), sms.readTimeout(), sender), sms.baseUrl().toString(),
                sms.accountSid(), sms.authToken(), sms.statusCallbackUrl().toString(),
                new ProviderGuard("sms", resilience, meters));
    }

    /** The sender waits for a provider call at most its whole retry budget (every attempt, wait and rate slot). */
    @Bean
    ReplySender replySender(WhatsAppClient whatsApp, SmsClient sms, ChannelDecider decider, DispatchProperties properties,
                            TenantSettings tenants, ProviderResilienceProperties resilience, Clock clock,
                            DirectSendRefusals directSendRefusals, DirectSendMetrics directSendMetrics) {
        Duration slowest = max(properties.whatsapp().connectTimeout().plus(properties.whatsapp().readTimeout()),
                properties.sms().connectTimeout().plus(properties.sms().readTimeout()));
        return new ReplySender(whatsApp, sms, decider, tenants::rules, clock,
                resilience.callBudget(slowest).plusSeconds(1), directSendRefusals, directSendMetrics);
    }

    /** The asynchronous failover's planner: the same fallback rules as the sender's synchronous one. */
    @Bean
    DeliveryFailover deliveryFailover(ChannelDecider decider, TenantSettings tenants, FailoverProperties failover,
                                      Clock clock, DirectSendMetrics directSendMetrics) {
        return new DeliveryFailover(decider, tenants::rules, clock, failover.maxDelay(), directSendMetrics);
    }

    /** The rules of parked sends: their retry schedule, validity and what the tenant's policy does at its end. */
    @Bean
    Parking parking(ChannelDecider decider, TenantSettings tenants, Clock clock, ParkingProperties parking) {
        return new Parking(decider, tenants::rules, clock, parking.backoff());
    }

    @Bean
    ParkedSendMetrics parkedSendMetrics(MeterRegistry meters) {
        return new ParkedSendMetrics(meters);
    }

    /** Reactor Netty's default connection pool: for calls outside the sender (the template list). */
    static ClientHttpConnector connector(Duration connectTimeout, Duration readTimeout) {
        return new ReactorClientHttpConnector(HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.toIntExact(connectTimeout.toMillis()))
                .responseTimeout(readTimeout));
    }

    /**
     * One connection pool per provider, as large as the sender's concurrency: Reactor Netty's default (16
     * connections, 32 waiting) would refuse the sender's calls beyond that instead of queueing them.
     */
    static ClientHttpConnector connector(String provider, Duration connectTimeout, Duration readTimeout,
                                         SenderProperties sender) {
        ConnectionProvider pool = ConnectionProvider.builder("dispatch-" + provider)
                .maxConnections(sender.concurrency())
                .pendingAcquireMaxCount(-1)
                .pendingAcquireTimeout(connectTimeout.plus(readTimeout))
                .build();
        return new ReactorClientHttpConnector(HttpClient.create(pool)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.toIntExact(connectTimeout.toMillis()))
                .responseTimeout(readTimeout));
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
