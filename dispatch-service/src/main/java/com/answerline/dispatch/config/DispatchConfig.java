package com.answerline.dispatch.config;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.answerline.dispatch.decision.ChannelDecider;
import com.answerline.dispatch.decision.DirectSendAccess;
import com.answerline.dispatch.decision.FallbackPrices;
import com.answerline.dispatch.template.TemplateValidator;
import com.answerline.schemas.tenant.TenantDirectory;

/** The pure rules, their clock, the template check, the prices (CHEAPEST) and the Direct Send refusals they ask. */
@Configuration(proxyBeanMethods = false)
class DispatchConfig {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** The tenants' business numbers (the platform's one directory) joined with dispatch's settings for each. */
    @Bean
    TenantSettings tenantSettings(TenantDirectory directory, DispatchProperties properties) {
        return new TenantSettings(directory, properties.tenants());
    }

    @Bean
    ChannelDecider channelDecider(Clock clock, DispatchProperties properties, TemplateValidator templates,
                                  FallbackPrices prices, DirectSendAccess directSendAccess) {
        // directSendAccess: the sender's shared record of refusals (DirectSendConfig)
        return new ChannelDecider(clock, properties.safetyMargin(), templates, prices, directSendAccess);
    }
}
