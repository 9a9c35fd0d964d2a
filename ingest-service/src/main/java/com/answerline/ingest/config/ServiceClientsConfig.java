package com.answerline.ingest.config;

import java.time.Duration;

import javax.net.ssl.SSLException;

import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;

import com.answerline.ingest.client.DispatchClient;
import com.answerline.ingest.client.PeerClient;
import com.answerline.ingest.client.SessionClient;
import com.answerline.platform.routing.PeerTransport;

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

    /** Peers over https when {@code answerline.ingest.services.peers.scheme} says so, trusting its SSL bundle. */
    @Bean
    PeerClient peerClient(WebClient.Builder builder, ServicesProperties services, ObjectProvider<SslBundles> ssl) {
        PeerTransport peers = services.peers();
        HttpClient client = httpClient(services.connectTimeout(), services.readTimeout());
        if (peers.secure()) {
            SslContext trust = peerTrust(peers, ssl.getObject());
            client = client.secure(spec -> spec.sslContext(trust));
        }
        return new PeerClient(builder, new ReactorClientHttpConnector(client), peers);
    }

    private static SslContext peerTrust(PeerTransport peers, SslBundles ssl) {
        SslContextBuilder context = SslContextBuilder.forClient();
        if (peers.trustBundle() != null) {
            context.trustManager(ssl.getBundle(peers.trustBundle()).getManagers().getTrustManagerFactory());
        }
        try {
            return context.build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot set up TLS to the peers", e);
        }
    }

    private static ClientHttpConnector connector(ServicesProperties services) {
        return connector(services.connectTimeout(), services.readTimeout());
    }

    /**
     * Reactor Netty with a connect timeout and a read timeout ({@code responseTimeout}: the longest wait for the
     * answer and between two reads of it, so a cap on a stall, not on a long download).
     */
    static ClientHttpConnector connector(Duration connectTimeout, Duration readTimeout) {
        return new ReactorClientHttpConnector(httpClient(connectTimeout, readTimeout));
    }

    private static HttpClient httpClient(Duration connectTimeout, Duration readTimeout) {
        return HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.toIntExact(connectTimeout.toMillis()))
                .responseTimeout(readTimeout);
    }
}
