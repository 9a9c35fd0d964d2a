package com.answerline.ingest.config;

import java.time.Duration;

import io.netty.channel.ChannelOption;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;

import com.answerline.ingest.client.DispatchClient;
import com.answerline.ingest.client.PeerClient;
import com.answerline.ingest.client.SessionClient;

/** The HTTP clients of the gateway's reads, all with the connect and read timeouts of {@link ServicesProperties}. */
@Configuration(proxyBeanMethods = false)
public class ServiceClientsConfig {

    @Bean
    SessionClient sessionClient(WebClient.Builder builder, ServicesProperties services) {
        return new SessionClient(builder, connector(services), services.sessionUrl().toString());
    }

    @Bean
    DispatchClient dispatchClient(WebClient.Builder builder, ServicesProperties services) {
        return new DispatchClient(builder, connector(services), services.dispatchUrl().toString());
    }

    @Bean
    PeerClient peerClient(WebClient.Builder builder, ServicesProperties services) {
        return new PeerClient(builder, connector(services));
    }

    private static ClientHttpConnector connector(ServicesProperties services) {
        return connector(services.connectTimeout(), services.readTimeout());
    }

    /**
     * Reactor Netty with a connect timeout and a read timeout ({@code responseTimeout}: the longest wait for the
     * answer and between two reads of it, so a cap on a stall, not on a long download).
     */
    static ClientHttpConnector connector(Duration connectTimeout, Duration readTimeout) {
        return new ReactorClientHttpConnector(HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.toIntExact(connectTimeout.toMillis()))
                .responseTimeout(readTimeout));
    }
}
