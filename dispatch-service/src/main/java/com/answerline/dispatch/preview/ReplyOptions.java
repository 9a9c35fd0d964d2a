package com.answerline.dispatch.preview;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;

import com.answerline.avro.Channel;
import com.answerline.avro.ContentCategory;
import com.answerline.avro.CostEstimate;
import com.answerline.avro.FallbackPolicy;
import com.answerline.avro.OutcomeReason;
import com.answerline.avro.WindowState;
import com.answerline.dispatch.decision.ChannelDecider;
import com.answerline.dispatch.decision.Decision;
import com.answerline.dispatch.decision.FreeEntryPoint;
import com.answerline.dispatch.decision.ReplyRequest;
import com.answerline.dispatch.decision.SessionSnapshot;
import com.answerline.dispatch.decision.TemplateMessage;
import com.answerline.dispatch.decision.TenantRules;
import com.answerline.dispatch.pricing.CostEstimator;
import com.answerline.dispatch.pricing.RecipientRegion;
import com.answerline.dispatch.template.CatalogueTemplate;
import com.answerline.schemas.thread.ThreadItem;

/**
 * Every way the agent could answer now, each decided by the very {@link ChannelDecider} the topology runs (one
 * decision per option, with the fallback that option needs) and priced by the price list in force today. Whether
 * an option is allowed is the decision's answer, never a second copy of its rules: free-form is allowed when a
 * reply with fallback NONE would go out on WhatsApp; Direct Send when the draft, as marked, with fallback DIRECT_SEND
 * would go through Direct Send; SMS when a reply with fallback SMS would go out as an SMS; a template when a reply
 * naming it would be sent; HOLD when a reply with TEMPLATE_THEN_HOLD would be held. Plain Java, no Spring.
 */
final class ReplyOptions {

    /** What a UTILITY mark means, for the agent who chooses Direct Send (the contracts' ContentCategory). */
    static final String UTILITY_MEANS = "Utility: about a transaction, an order or an account the customer already has "
            + "(a status, a confirmation, an answer to their own request), with no promotion; WhatsApp reviews it "
            + "after sending.";

    private final ChannelDecider decider;
    private final Function<String, List<CatalogueTemplate>> templates;
    private final CostEstimator prices;
    private final Clock clock;

    /** @param templates a tenant's templates (its WABA's catalogue), by tenant id */
    ReplyOptions(ChannelDecider decider, Function<String, List<CatalogueTemplate>> templates, CostEstimator prices,
                 Clock clock) {
        this.decider = decider;
        this.templates = templates;
        this.prices = prices;
        this.clock = clock;
    }

    /**
     * @param draft    the agent's text, null when there is none yet (then a stand-in decides, and the SMS has no
     *                 segment count)
     * @param category what the agent marked the draft as, null when not marked
     */
    List<ReplyOption> of(String tenantId, String conversationId, String draft, ContentCategory category,
                         SessionSnapshot session, TenantRules tenant) {
        Instant now = clock.instant();
        String phone = ChannelDecider.recipientPhone(conversationId, session);
        Pricing pricing = new Pricing(RecipientRegion.of(phone), FreeEntryPoint.until(session, now), now);
        String text = draft != null ? draft : ChannelPreviews.SAMPLE_TEXT;
        List<CatalogueTemplate> catalogue = templates.apply(tenantId);
        List<ReplyOption> options = new ArrayList<>();

        Decision freeForm = decider.decide(reply(tenantId, conversationId, text, null, FallbackPolicy.NONE, null), session, tenant);
        WindowState window = freeForm.explanation().windowState();
        boolean inside = CostEstimator.insideWindow(window);
        options.add(new ReplyOption("WHATSAPP_FREE_FORM", Channel.WHATSAPP.name(), sends(freeForm, Channel.WHATSAPP),
                sends(freeForm, Channel.WHATSAPP) ? null : why(freeForm), FallbackPolicy.AUTO.name(), null, null,
                cost(prices.service(pricing.region(), pricing.freeEntryPointUntil(), now))));

        options.add(directSend(reply(tenantId, conversationId, text, null, FallbackPolicy.DIRECT_SEND, category),
                session, tenant, pricing));

        ReplyRequest smsReply = reply(tenantId, conversationId, text, null, FallbackPolicy.SMS, null);
        Decision sms = decider.decide(smsReply, session, tenant);
        ChannelDecider.SmsFallback built = decider.smsFallback(smsReply, session, tenant);
        boolean smsAllowed = sends(sms, Channel.SMS);
        String smsWhy = smsAllowed ? null : sends(sms, Channel.WHATSAPP) ? "WINDOW_OPEN"
                : built.unavailable() != null ? built.unavailable().name() : why(sms);
        Integer segments = draft == null || built.segments() == null ? null : built.segments().segments();
        options.add(new ReplyOption("SMS_WITH_LINK", Channel.SMS.name(), smsAllowed, smsWhy, FallbackPolicy.SMS.name(),
                segments == null ? null : new ReplyOption.Sms(segments, built.segments().encoding().name()), null,
                cost(prices.sms(segments, pricing.region(), now))));

        for (CatalogueTemplate template : catalogue) {
            List<String> parameters = IntStream.rangeClosed(1, template.parameterCount()).mapToObj(n -> "{{" + n + "}}").toList();
            Decision named = decider.decide(reply(tenantId, conversationId, null,
                    new TemplateMessage(template.name(), template.language(), parameters), FallbackPolicy.TEMPLATE, null),
                    session, tenant);
            boolean allowed = sends(named, Channel.WHATSAPP_TEMPLATE);
            options.add(new ReplyOption("TEMPLATE", Channel.WHATSAPP_TEMPLATE.name(), allowed, allowed ? null : why(named),
                    FallbackPolicy.TEMPLATE.name(), null, view(template),
                    cost(pricing.template(prices, template.category(), inside))));
        }

        Decision hold = decider.decide(reply(tenantId, conversationId, text, null, FallbackPolicy.TEMPLATE_THEN_HOLD,
                null), session, tenant);
        boolean held = hold instanceof Decision.Hold;
        CatalogueTemplate invitation = catalogue.stream()
                .filter(t -> t.name().equals(tenant.defaultTemplateName()) && t.language().equals(tenant.defaultTemplateLanguage()))
                .findFirst()
                .orElse(null);
        ReplyOption.Template invitationView = invitation != null ? view(invitation)
                : new ReplyOption.Template(tenant.defaultTemplateName(), tenant.defaultTemplateLanguage(), null,
                        tenant.defaultTemplateBody(), tenant.defaultTemplateBody() == null ? 0
                                : TemplateMessage.placeholderCount(tenant.defaultTemplateBody()));
        options.add(new ReplyOption("HOLD", Channel.WHATSAPP_TEMPLATE.name(), held,
                held ? null : sends(hold, Channel.WHATSAPP) ? "WINDOW_OPEN" : why(hold),
                FallbackPolicy.TEMPLATE_THEN_HOLD.name(), null, invitationView,
                cost(pricing.template(prices, invitation == null ? null : invitation.category(), inside))));
        return options;
    }

    /**
     * Direct Send: allowed when the draft as marked, with fallback DIRECT_SEND, would go through it; else why not,
     * the window first (a fallback goes only once it is not open), then for a known conversation the decider's own
     * check (not enabled, refused, not utility), else the reason a reply would be rejected with (an unknown
     * conversation: only a template may start it). Priced at the utility rate outside the
     * window, whatever the window now (it only ever goes outside).
     */
    private ReplyOption directSend(ReplyRequest reply, SessionSnapshot session, TenantRules tenant, Pricing pricing) {
        Decision decision = decider.decide(reply, session, tenant);
        boolean allowed = sends(decision, Channel.WHATSAPP_DIRECT_SEND);
        ChannelDecider.DirectSendCheck check = decider.directSend(reply, tenant);
        String why = null;
        String detail = null;
        if (!allowed) {
            if (sends(decision, Channel.WHATSAPP)) {
                why = "WINDOW_OPEN";
            } else if (session != null && check.unavailable() != null) {
                why = check.unavailable().name();
                detail = check.step();
            } else {
                why = why(decision);
            }
        }
        return new ReplyOption("WHATSAPP_DIRECT_SEND", Channel.WHATSAPP_DIRECT_SEND.name(), allowed, why,
                FallbackPolicy.DIRECT_SEND.name(), null, null,
                cost(prices.directSend(pricing.region(), pricing.freeEntryPointUntil(), pricing.at())),
                ContentCategory.UTILITY.name(), detail, UTILITY_MEANS);
    }

    /** What every option is priced with: the recipient's region, the free entry point, now. */
    private record Pricing(String region, Instant freeEntryPointUntil, Instant at) {

        CostEstimate template(CostEstimator prices, String category, boolean insideWindow) {
            return prices.template(category, region, insideWindow, freeEntryPointUntil, at);
        }
    }

    private static ReplyRequest reply(String tenantId, String conversationId, String text, TemplateMessage template,
                                      FallbackPolicy fallback, ContentCategory category) {
        return new ReplyRequest("preview", tenantId, conversationId, null, null, text, template, fallback, null,
                category);
    }

    private static boolean sends(Decision decision, Channel channel) {
        return decision instanceof Decision.Send send && send.channel() == channel;
    }

    /** Why not: a closed window by its state (CLOSING, CLOSED, NEVER_OPENED), anything else by its reason. */
    private static String why(Decision decision) {
        return decision.reason() == OutcomeReason.WINDOW_CLOSED
                ? "WINDOW_" + decision.explanation().windowState().name() : decision.reason().name();
    }

    private static ReplyOption.Template view(CatalogueTemplate template) {
        return new ReplyOption.Template(template.name(), template.language(), template.category(),
                template.body().isEmpty() ? null : template.body(), template.parameterCount());
    }

    private static ThreadItem.Cost cost(CostEstimate estimate) {
        return ThreadItem.Cost.of(estimate);
    }
}
