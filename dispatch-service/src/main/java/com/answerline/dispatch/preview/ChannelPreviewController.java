package com.answerline.dispatch.preview;

import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;

import com.answerline.dispatch.config.TenantSettings;
import com.answerline.dispatch.decision.ChannelDecider;
import com.answerline.dispatch.pricing.CostEstimator;
import com.answerline.dispatch.template.TemplateCatalogue;

/**
 * {@code POST /api/v1/channel-preview}: the channel a text reply would take right now, for the session in the
 * body (ingest's gateway shows it to the agent before they write), and every option with its cost. Stateless: dispatch reads nothing, the caller
 * hands in the session it read from session-service.
 *
 * <p>Internal API without authentication, like every service-to-service API here: it must stay behind the
 * network boundary (the service listens on 127.0.0.1; in production only the gateway may reach it). It reveals
 * no more than the caller already sent, plus the tenant's fallback policy.
 */
@RestController
@RequestMapping("/api/v1")
class ChannelPreviewController {

    private final ChannelPreviews previews;

    ChannelPreviewController(ChannelDecider decider, TenantSettings tenants, TemplateCatalogue catalogue,
                             CostEstimator prices, Clock clock) {
        this.previews = new ChannelPreviews(decider, tenants::rules, new ReplyOptions(decider,
                tenantId -> catalogue.templatesOf(tenants.wabaId(tenantId)), prices, clock));
    }

    @PostMapping("/channel-preview")
    ChannelPreview preview(@RequestBody(required = false) PreviewRequest body) {
        return previews.preview(body);
    }
}
