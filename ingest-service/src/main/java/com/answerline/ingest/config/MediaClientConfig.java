package com.answerline.ingest.config;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

import com.answerline.ingest.client.WhatsAppMediaClient;

/** The WhatsApp Cloud API's media, for the gateway's media endpoint, with the timeouts of {@link CloudApiProperties}. */
@Configuration(proxyBeanMethods = false)
public class MediaClientConfig {

    @Bean
    WhatsAppMediaClient whatsAppMediaClient(WebClient.Builder builder, CloudApiProperties cloudApi) {
        return new WhatsAppMediaClient(builder,
                ServiceClientsConfig.connector(cloudApi.connectTimeout(), cloudApi.readTimeout()),
                cloudApi.baseUrl(), cloudApi.apiVersion(), cloudApi.token(), cloudApi.mediaHosts());
    }
}
