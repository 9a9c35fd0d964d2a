package com.answerline.dispatch.config;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.answerline.dispatch.decision.ChannelDecider;

/** The pure rules and their clock. */
@Configuration(proxyBeanMethods = false)
class DispatchConfig {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    ChannelDecider channelDecider(Clock clock, DispatchProperties properties) {
        return new ChannelDecider(clock, properties.safetyMargin());
    }
}
