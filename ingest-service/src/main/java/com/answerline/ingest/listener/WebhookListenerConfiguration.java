package com.answerline.ingest.listener;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
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

    @Bean
    WebhookListener webhookListener(ObjectProvider<HttpHandler> httpHandler, ServerProperties server,
                                    WebhookListenerProperties properties) {
        return new WebhookListener(httpHandler::getObject, server.getAddress(), properties.port(), properties.ioThreads());
    }

    /** First of all filters: a request on the wrong listener is answered 404 before anything else sees it. */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    ListenerPaths listenerPaths(WebhookListener webhookListener) {
        return new ListenerPaths(webhookListener);
    }
}
