package com.answerline.ingest.listener;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.boot.reactor.netty.autoconfigure.NettyReactiveWebServerFactoryCustomizer;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.server.reactive.HttpHandler;

import com.answerline.ingest.config.WebhookListenerProperties;

/** {@link WebhookListener} and {@link ListenerPaths} when {@code answerline.ingest.webhook-listener.port} is set. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty("answerline.ingest.webhook-listener.port")
class WebhookListenerConfiguration {

    /**
     * With the main listener's settings: Boot's {@code server.netty.*} and header size customizer (not the generic
     * one, which would set {@code server.port}) and the application's {@link NettyServerCustomizer}s
     * ({@code LingeringClose} among them).
     */
    @Bean
    WebhookListener webhookListener(ObjectProvider<HttpHandler> httpHandler, ServerProperties server,
                                    WebhookListenerProperties properties,
                                    ObjectProvider<NettyReactiveWebServerFactoryCustomizer> nettySettings,
                                    ObjectProvider<NettyServerCustomizer> serverCustomizers) {
        return new WebhookListener(httpHandler::getObject, server.getAddress(), properties.port(), properties.ioThreads(),
                factory -> {
                    nettySettings.ifAvailable(settings -> settings.customize(factory));
                    factory.addServerCustomizers(serverCustomizers.orderedStream().toArray(NettyServerCustomizer[]::new));
                });
    }

    /** First of all filters: a request on the wrong listener is answered 404 before anything else sees it. */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    ListenerPaths listenerPaths(WebhookListener webhookListener) {
        return new ListenerPaths(webhookListener);
    }
}
