package com.answerline.dispatch.preview;

import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;

import com.answerline.dispatch.config.TenantSettings;
import com.answerline.dispatch.decision.ChannelDecider;
import com.answerline.dispatch.pricing.CostEstimator;
import com.answerline.dispatch.template.TemplateCatalogue;
import com.answerline.platform.security.AgentTokens;
import com.answerline.schemas.conversation.ConversationId;
import com.answerline.schemas.tenant.TenantDirectory;

/**
 * {@code POST /api/v1/channel-preview}: the channel a text reply would take right now, for the session in the
 * body (ingest's gateway shows it to the agent before they write), and every option with its cost. Stateless: dispatch reads nothing, the caller
 * hands in the session it read from session-service.
 *
 * <p>For agents only: the gateway relays the agent's bearer token (config.SecurityConfig checks it) and the tenant is
 * the token's. A conversation whose business number is another tenant's, or a body naming another tenant, answers
 * 404 like an unknown conversation: the tenant's policy, templates and prices are shown to its own agents only.
 */
@RestController
@RequestMapping("/api/v1")
class ChannelPreviewController {

    private final ChannelPreviews previews;
    private final TenantDirectory directory;

    ChannelPreviewController(ChannelDecider decider, TenantSettings tenants, TemplateCatalogue catalogue,
                             CostEstimator prices, Clock clock) {
        this.directory = tenants.directory();
        this.previews = new ChannelPreviews(decider, tenants::rules, new ReplyOptions(decider,
                tenantId -> catalogue.agentTemplatesOf(tenants.wabaId(tenantId)), prices, clock));
    }

    @PostMapping("/channel-preview")
    ChannelPreview preview(@RequestBody(required = false) PreviewRequest body, @AuthenticationPrincipal Jwt token) {
        if (body == null) {
            return previews.preview(null);
        }
        String tenantId = AgentTokens.tenantOf(token);
        if (body.tenantId() != null && !tenantId.equals(body.tenantId())) {
            throw new ConversationNotFoundException();
        }
        if (body.conversationId() != null) {
            try {
                if (!directory.owns(tenantId, ConversationId.parse(body.conversationId()).phoneNumberId())) {
                    throw new ConversationNotFoundException();
                }
            } catch (IllegalArgumentException malformed) {
                // ChannelPreviews answers 400 naming conversationId.
            }
        }
        return previews.preview(body.withTenantId(tenantId));
    }
}
