package com.answerline.session.config;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Binds {@link WindowProperties}. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WindowProperties.class)
class WindowConfiguration {
}
