package com.answerline.dispatch.support;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

import com.answerline.dispatch.pricing.PricingProperties;

/**
 * A small price list as it would arrive from application.yml or the environment (keys in any case): the first
 * period (1 July 2025) complete, the second (1 October 2026) changing the in-window rules and one SMS price. DE:
 * SMS 0.075 per segment, UTILITY 0.0456, MARKETING 0.1131, AUTHENTICATION 0.0568; GB SMS 0.04, then 0.045.
 */
public final class TestPriceList {

    private TestPriceList() {
    }

    public static Map<String, String> config() {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("currency", "EUR");
        config.put("periods[0].from", "2025-07-01");
        config.put("periods[0].service", "FREE");
        config.put("periods[0].utility-in-window", "FREE");
        config.put("periods[0].free-entry-point", "FREE");
        config.put("periods[0].template.MARKETING.default", "0.08");
        config.put("periods[0].template.MARKETING.DE", "0.1131");
        config.put("periods[0].template.UTILITY.default", "0.02");
        config.put("periods[0].template.UTILITY.DE", "0.0456");
        config.put("periods[0].template.AUTHENTICATION.default", "0.03");
        config.put("periods[0].template.AUTHENTICATION.de", "0.0568");
        config.put("periods[0].sms.default", "0.09");
        config.put("periods[0].sms.DE", "0.075");
        config.put("periods[0].sms.gb", "0.04");
        config.put("periods[1].from", "2026-10-01");
        config.put("periods[1].service", "UTILITY_RATE");
        config.put("periods[1].utility-in-window", "utility_rate");
        config.put("periods[1].sms.GB", "0.045");
        return config;
    }

    /** {@code config} bound as {@code answerline.dispatch.pricing}, as the application binds it. */
    public static PricingProperties bind(Map<String, String> config) {
        Map<String, String> prefixed = config.entrySet().stream().collect(Collectors.toMap(
                e -> "answerline.dispatch.pricing." + e.getKey(), Map.Entry::getValue));
        return new Binder(new MapConfigurationPropertySource(prefixed))
                .bind("answerline.dispatch.pricing", PricingProperties.class).get();
    }

    public static PricingProperties properties() {
        return bind(config());
    }
}
