package com.answerline.dispatch.decision;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import com.answerline.avro.Channel;
import com.answerline.avro.CostEstimate;
import com.answerline.avro.FallbackPolicy;
import com.answerline.avro.OutcomeReason;
import com.answerline.avro.WindowState;
import com.answerline.schemas.conversation.ConversationId;
import com.answerline.schemas.window.ServiceWindow;

/**
 * Chooses the channel of one agent reply from the conversation's session state and the tenant's policy.
 * Pure rules: no Kafka, no Spring; time comes from the injected clock.
 *
 * <ul>
 *   <li>An explicitly chosen template is allowed inside and outside the window, once it passes the
 *       {@link TemplateCheck} (exists in that language, APPROVED, parameter count); so is the tenant's default
 *       template in a fallback. A template that fails is rejected with the check's reason: nothing is sent.</li>
 *   <li>Window open with more than the safety margin left -> WhatsApp free-form text. Inside the margin the
 *       window counts as closed: a message that WhatsApp receives after expiry would be refused (131047).</li>
 *   <li>Window closed -> the command's fallback, AUTO meaning the tenant's policy: SMS (agent text + invitation +
 *       wa.me link; needs a known mobile phone and at most the tenant's maximum segments, else a template),
 *       TEMPLATE (the tenant's default invitation template),
 *       TEMPLATE_THEN_HOLD (the same template now, and the agent's text held, {@link Decision.Hold}),
 *       DIRECT_SEND (the agent's text on WhatsApp through Direct Send when {@link #directSend} allows it, else
 *       the SMS policy's chain: SMS with the link, else the template),
 *       NONE -> rejected WINDOW_CLOSED with the alternatives that would work. The tenant policy CHEAPEST resolves
 *       AUTO, per reply, to the cheapest allowed of DIRECT_SEND, SMS and TEMPLATE for this recipient now
 *       ({@link FallbackPrices}); the chain says what it compared.</li>
 *   <li>Unknown conversation (no session state) -> only a template may start it. A free-form reply first waits
 *       a grace period for the session ({@link #waitFor}); the waiting itself is the topology's.</li>
 * </ul>
 * Every decision carries its {@link OutcomeReason}, which travels on the SendRequest to the sender and onto the
 * outcome: nothing downstream infers it again.
 */
public final class ChannelDecider {

    /** WhatsApp's "more than 24 hours since the customer's last message". */
    public static final int WINDOW_CLOSED_CODE = 131047;
    /** WhatsApp's "message undeliverable" (not on WhatsApp, terms not accepted, old app): a good SMS trigger. */
    public static final int UNDELIVERABLE_CODE = 131026;

    static final String DEFAULT_CUSTOMER_NAME = "customer";
    static final String DEFAULT_AGENT_NAME = "our team";

    private final Clock clock;
    private final Duration safetyMargin;
    private final TemplateCheck templates;
    private final FallbackPrices prices;
    private final DirectSendAccess directSendAccess;

    /** Without a template catalogue: templates are not checked (see {@link TemplateCheck#UNCHECKED}). */
    public ChannelDecider(Clock clock, Duration safetyMargin) {
        this(clock, safetyMargin, TemplateCheck.UNCHECKED);
    }

    /** Without a price list: CHEAPEST takes the SMS (see {@link FallbackPrices#UNPRICED}). */
    public ChannelDecider(Clock clock, Duration safetyMargin, TemplateCheck templates) {
        this(clock, safetyMargin, templates, FallbackPrices.UNPRICED);
    }

    /**
     * @param templates checks every template before it is chosen (the agent's or the tenant's default); one that
     *                  fails is rejected with the check's reason and nothing is sent
     * @param prices    what the fallbacks cost, for the tenant policy CHEAPEST
     */
    public ChannelDecider(Clock clock, Duration safetyMargin, TemplateCheck templates, FallbackPrices prices) {
        this(clock, safetyMargin, templates, prices, DirectSendAccess.unrefused());
    }

    /**
     * @param directSendAccess the business numbers' Direct Send refusals, as the sender recorded them: a number
     *                         refused recently is not tried again ({@link #directSend})
     */
    public ChannelDecider(Clock clock, Duration safetyMargin, TemplateCheck templates, FallbackPrices prices,
                          DirectSendAccess directSendAccess) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.safetyMargin = Objects.requireNonNull(safetyMargin, "safetyMargin");
        this.templates = Objects.requireNonNull(templates, "templates");
        this.prices = Objects.requireNonNull(prices, "prices");
        this.directSendAccess = Objects.requireNonNull(directSendAccess, "directSendAccess");
        if (safetyMargin.isNegative()) {
            throw new IllegalArgumentException("safety margin must not be negative: " + safetyMargin);
        }
    }

    /**
     * Decides one reply.
     *
     * @param session the conversation's latest session state, null when the conversation is unknown
     */
    public Decision decide(ReplyRequest reply, SessionSnapshot session, TenantRules tenant) {
        return decide(reply, session, tenant, templates);
    }

    private Decision decide(ReplyRequest reply, SessionSnapshot session, TenantRules tenant, TemplateCheck templates) {
        Instant now = clock.instant();
        boolean auto = reply.fallback() == FallbackPolicy.AUTO;
        List<String> chain = new ArrayList<>();
        if (auto) {
            chain.add("AUTO->" + tenant.policy());
        }
        Explanation explanation = explain(session, now, policy(reply, tenant), chain);

        ConversationId conversation;
        try {
            conversation = ConversationId.parse(reply.conversationId());
        } catch (IllegalArgumentException e) {
            return new Decision.Reject(OutcomeReason.INVALID_CONVERSATION, explanation);
        }
        if (!conversation.phoneNumberId().equals(tenant.phoneNumberId())) {
            return new Decision.Reject(OutcomeReason.TENANT_MISMATCH, explanation);
        }
        Recipient to = Recipient.of(conversation, session);
        if (auto && tenant.policy() == TenantPolicy.CHEAPEST) {
            explanation = cheapest(templates, reply, session, tenant, to, explanation, now);
        }
        FallbackPolicy policy = explanation.policy();

        if (reply.template() != null) {
            return template(templates, reply.template(), tenant, to, OutcomeReason.TEMPLATE_REQUESTED, explanation);
        }
        if (!reply.hasText()) {
            return new Decision.Reject(OutcomeReason.EMPTY_REPLY, explanation);
        }
        if (session == null) {
            if (policy == FallbackPolicy.TEMPLATE || policy == FallbackPolicy.TEMPLATE_THEN_HOLD) {
                return holdIf(policy, defaultTemplate(templates, reply, null, tenant, to, OutcomeReason.UNKNOWN_CONVERSATION_TEMPLATE,
                        explanation.withSteps("TEMPLATE")));
            }
            return new Decision.Reject(OutcomeReason.UNKNOWN_CONVERSATION,
                    explanation.withAlternatives(List.of(templateAlternative(tenant))));
        }
        if (explanation.windowState() == WindowState.OPEN) {
            return new Decision.Send(Channel.WHATSAPP, to.phone(), to.bsuid(), reply.text(), null, OutcomeReason.WINDOW_OPEN, explanation);
        }
        return switch (policy) {
            case SMS -> smsThenTemplate(templates, reply, session, tenant, to, explanation);
            case DIRECT_SEND -> {
                DirectSendCheck check = directSend(reply, tenant, now);
                yield check.unavailable() == null
                        // A username-only customer too: WhatsApp addresses the BSUID, no phone needed.
                        ? new Decision.Send(Channel.WHATSAPP_DIRECT_SEND, to.phone(), to.bsuid(), reply.text(), null,
                                OutcomeReason.WINDOW_CLOSED_DIRECT_SEND, explanation.withSteps("DIRECT_SEND"))
                        : smsThenTemplate(templates, reply, session, tenant, to, explanation.withSteps(check.step()));
            }
            case TEMPLATE, TEMPLATE_THEN_HOLD -> holdIf(policy, defaultTemplate(templates, reply, session, tenant, to,
                    OutcomeReason.WINDOW_CLOSED_TEMPLATE_FALLBACK, explanation.withSteps("TEMPLATE")));
            case NONE, AUTO -> {
                List<String> alternatives = alternatives(tenant, to, reply.text());
                if (directSend(reply, tenant, now).unavailable() == null) {
                    alternatives.add("DIRECT_SEND");
                }
                yield new Decision.Reject(OutcomeReason.WINDOW_CLOSED, explanation.withAlternatives(alternatives));
            }
        };
    }

    /** The SMS policy's chain: the SMS with the link when it can go, else the tenant's template. */
    private static Decision smsThenTemplate(TemplateCheck templates, ReplyRequest reply, SessionSnapshot session,
                                            TenantRules tenant, Recipient to, Explanation explanation) {
        SmsFallback sms = smsFallback(reply.text(), to.phone(), tenant);
        return sms.unavailable() == null
                ? new Decision.Send(Channel.SMS, to.phone(), null, sms.body(), null, OutcomeReason.WINDOW_CLOSED_SMS_FALLBACK,
                        explanation.withSteps("SMS"))
                // No number to text (a username-only customer, DOMAIN 2a), a landline, or too long: the
                // template is the way in.
                : defaultTemplate(templates, reply, session, tenant, to, OutcomeReason.WINDOW_CLOSED_TEMPLATE_FALLBACK,
                        explanation.withSteps(sms.step(), "TEMPLATE"));
    }

    /** Why a reply cannot go through WhatsApp Direct Send, in the order the decision checks. */
    public enum DirectSendUnavailable {
        /** The tenant has not enabled Direct Send for its number ({@link TenantRules.DirectSend#enabled()}). */
        NOT_ENABLED,
        /** WhatsApp refused it for this number with 100 ("isn't enabled for this account") and the refusal holds. */
        REFUSED_NOT_ENABLED,
        /** WhatsApp refused it for this number with 139200 ("access is blocked") and the refusal holds. */
        REFUSED_BLOCKED,
        /** The reply is not marked UTILITY: only utility content may go through Direct Send. */
        NOT_UTILITY
    }

    /**
     * Whether a reply may go through Direct Send, the window aside (the decision sends it only once the window is
     * not OPEN; the preview asks it for its option).
     *
     * @param unavailable why not, null when it may
     * @param step        the fallback-chain step that says so (e.g. "DIRECT_SEND unavailable: not utility"), null
     *                    when it may
     * @param refusal     the refusal in force, for REFUSED_*; null otherwise
     */
    public record DirectSendCheck(DirectSendUnavailable unavailable, String step, DirectSendAccess.Refusal refusal) {
    }

    /**
     * Direct Send for this reply now: the tenant enabled it for its number, WhatsApp has not refused it there (a
     * refusal holds until its re-check time, or until an operator re-enables the number when it has none), and the
     * text is marked UTILITY. Checked in that order, so NOT_UTILITY means that marking the reply would let it go.
     */
    public DirectSendCheck directSend(ReplyRequest reply, TenantRules tenant) {
        return directSend(reply, tenant, clock.instant());
    }

    private DirectSendCheck directSend(ReplyRequest reply, TenantRules tenant, Instant now) {
        if (!tenant.directSend().enabled()) {
            return new DirectSendCheck(DirectSendUnavailable.NOT_ENABLED,
                    "DIRECT_SEND unavailable: not enabled for this number", null);
        }
        Optional<DirectSendAccess.Refusal> refusal = directSendAccess.refusal(tenant.phoneNumberId(), now)
                // One whose re-check time has passed no longer holds, even while the record still answers it.
                .filter(r -> r.recheckAt() == null || now.isBefore(r.recheckAt()));
        if (refusal.isPresent()) {
            DirectSendAccess.Refusal r = refusal.get();
            return new DirectSendCheck(r.blocked() ? DirectSendUnavailable.REFUSED_BLOCKED
                    : DirectSendUnavailable.REFUSED_NOT_ENABLED,
                    "DIRECT_SEND unavailable: refused " + r.code() + " at " + r.refusedAt() + ", re-check "
                            + (r.recheckAt() == null ? "when an operator re-enables it" : "at " + r.recheckAt()), r);
        }
        if (!reply.utility()) {
            return new DirectSendCheck(DirectSendUnavailable.NOT_UTILITY, "DIRECT_SEND unavailable: not utility", null);
        }
        return new DirectSendCheck(null, null, null);
    }

    /** Why an SMS fallback cannot go. */
    public enum SmsUnavailable {
        /** No phone known: a username-only customer (DOMAIN 2a). */
        NO_CUSTOMER_PHONE,
        /** A number libphonenumber knows as not a mobile one ({@link SmsNumbers}). */
        NOT_MOBILE,
        /** Nothing to text: a template-only reply. */
        NO_TEXT,
        /** More segments than the tenant allows ({@link TenantRules#smsMaxSegments()}). */
        TOO_MANY_SEGMENTS
    }

    /**
     * The SMS fallback of a reply as dispatch would send it.
     *
     * @param body        the agent's text, a blank line, the invitation and the wa.me link; null without text
     * @param segments    the body's encoding and segments; null without a body
     * @param unavailable why it cannot go, null when it can
     * @param step        the fallback-chain step that says so (e.g. "SMS unavailable: not a mobile number"), null
     *                    when it can go
     */
    public record SmsFallback(String body, SmsSegments segments, SmsUnavailable unavailable, String step) {
    }

    /**
     * The SMS this reply would become, and whether it can go (for the preview's options): the very check the
     * decision makes, without the window (the caller knows whether the window lets a fallback go now).
     */
    public SmsFallback smsFallback(ReplyRequest reply, SessionSnapshot session, TenantRules tenant) {
        return smsFallback(reply.text(), recipientPhone(reply.conversationId(), session), tenant);
    }

    /**
     * Why an SMS with this text cannot go to this recipient, or nothing when it can: no phone known (username-only
     * customer), a number that is not a mobile one ({@link SmsNumbers}), or more segments than the tenant allows
     * ({@link SmsSegments}; beyond the maximum the tenant's template goes instead).
     */
    static SmsFallback smsFallback(String agentText, String phone, TenantRules tenant) {
        String body = agentText == null ? null : smsBody(agentText, tenant);
        SmsSegments segments = body == null ? null : SmsSegments.of(body);
        if (phone == null) {
            return new SmsFallback(body, segments, SmsUnavailable.NO_CUSTOMER_PHONE, "SMS unavailable: no customer phone");
        }
        if (!SmsNumbers.mobileOrUnknown(phone)) {
            return new SmsFallback(body, segments, SmsUnavailable.NOT_MOBILE, "SMS unavailable: not a mobile number");
        }
        if (body == null) {
            return new SmsFallback(null, null, SmsUnavailable.NO_TEXT, "SMS unavailable: no text");
        }
        return segments.segments() > tenant.smsMaxSegments()
                ? new SmsFallback(body, segments, SmsUnavailable.TOO_MANY_SEGMENTS,
                        "SMS unavailable: " + segments.segments() + " segments > " + tenant.smsMaxSegments())
                : new SmsFallback(body, segments, null, null);
    }

    /**
     * CHEAPEST: AUTO becomes DIRECT_SEND, SMS or TEMPLATE for this reply, whichever is allowed and costs least for this
     * recipient now. Direct Send is a candidate only where {@link #directSend} allows it (the tenant enabled it, no
     * refusal holds, the text is marked UTILITY); it wins a tie, and goes when neither other can: it carries the
     * agent's own words on WhatsApp, in the conversation the customer started. When it is not allowed on a number that
     * has it enabled, the chain says why first. The SMS and the template are compared by {@link #smsOrTemplate}.
     */
    private Explanation cheapest(TemplateCheck templates, ReplyRequest reply, SessionSnapshot session,
                                 TenantRules tenant, Recipient to, Explanation explanation, Instant now) {
        if (session == null) {
            return explanation.withPolicy(FallbackPolicy.TEMPLATE)
                    .withSteps("CHEAPEST->TEMPLATE: unknown conversation, only a template may start it");
        }
        Fallbacks fallbacks = fallbacks(templates, reply, session, tenant, to, explanation, now);
        DirectSendCheck direct = directSend(reply, tenant, now);
        if (direct.unavailable() != null) {
            return smsOrTemplate(fallbacks, direct.unavailable() == DirectSendUnavailable.NOT_ENABLED ? explanation
                    : explanation.withSteps(direct.step()));
        }
        CostEstimate directCost = prices.directSend(to.phone(), explanation.freeEntryPointUntil(), now);
        if (directCost == null) {
            return smsOrTemplate(fallbacks, explanation.withSteps("DIRECT_SEND not compared: price unknown"));
        }
        // What Direct Send is compared with: the others that may go and are priced in its currency, SMS first (it
        // wins a tie between the two, as in smsOrTemplate).
        Map<String, CostEstimate> others = new LinkedHashMap<>();
        if (comparable(directCost, fallbacks.smsCost())) {
            others.put("SMS", fallbacks.smsCost());
        }
        if (comparable(directCost, fallbacks.templateCost())) {
            others.put("TEMPLATE", fallbacks.templateCost());
        }
        Optional<Map.Entry<String, CostEstimate>> cheaper = others.entrySet().stream()
                .filter(other -> other.getValue().getAmountMicros() < directCost.getAmountMicros())
                .min(Comparator.comparingLong(other -> other.getValue().getAmountMicros()));
        if (cheaper.isPresent()) {
            return smsOrTemplate(fallbacks, explanation.withSteps(price("DIRECT_SEND", directCost) + " > "
                    + price(cheaper.get().getKey(), cheaper.get().getValue())));
        }
        return explanation.withPolicy(FallbackPolicy.DIRECT_SEND).withSteps("CHEAPEST->DIRECT_SEND: "
                + price("DIRECT_SEND", directCost) + (others.isEmpty() ? ", SMS and template not priced or cannot go"
                : " <= " + String.join(", ", others.entrySet().stream()
                        .map(other -> price(other.getKey(), other.getValue())).toList())));
    }

    /**
     * The SMS and the template fallback of a reply as CHEAPEST weighs them, each checked and priced once: a price
     * only for one that may go, null otherwise or when it cannot be priced.
     */
    private record Fallbacks(SmsFallback sms, TemplateMessage invitation, TemplateCheck.Verdict verdict,
                             CostEstimate smsCost, CostEstimate templateCost) {
    }

    private Fallbacks fallbacks(TemplateCheck templates, ReplyRequest reply, SessionSnapshot session,
                                TenantRules tenant, Recipient to, Explanation explanation, Instant now) {
        SmsFallback sms = smsFallback(reply.text(), to.phone(), tenant);
        TemplateMessage invitation = invitation(reply, session, tenant);
        TemplateCheck.Verdict verdict = templates.check(tenant, invitation);
        CostEstimate smsCost = sms.unavailable() == null ? prices.sms(sms.segments().segments(), to.phone(), now)
                : null;
        CostEstimate templateCost = verdict.sendable() ? prices.template(tenant, invitation, to.phone(),
                explanation.windowState() == WindowState.CLOSING, explanation.freeEntryPointUntil(), now) : null;
        return new Fallbacks(sms, invitation, verdict, smsCost, templateCost);
    }

    private static boolean comparable(CostEstimate a, CostEstimate b) {
        return a != null && b != null && a.getCurrency().equals(b.getCurrency());
    }

    /**
     * CHEAPEST between the SMS and the template: whichever of the two is allowed and costs less for this
     * recipient now (a tie goes to the SMS: it carries the agent's answer itself, the template only an invitation).
     * Allowed means what the decision checks anyway: the SMS needs a known conversation, a mobile number and at most
     * the tenant's segments; the template must pass its check. Neither allowed -> TEMPLATE (rejected with the check's
     * reason, as the policy TEMPLATE would be). The chain gets one step with the choice and the prices compared, e.g.
     * {@code CHEAPEST->TEMPLATE: TEMPLATE 0.0456 EUR (TEMPLATE UTILITY DE since 2026-10-01) < SMS 0.15 EUR (SMS 2 x DE
     * since 2025-07-01)}, preceded by the "SMS unavailable: ..." step when the SMS could not go.
     *
     * <p>Priced as the fallback would be: now; the template inside the window only while it is CLOSING (a fallback
     * goes now only when the window is not OPEN, and from an OPEN window only after WhatsApp refused the free-form
     * message, which prices it as outside), free inside a free entry point.
     */
    private static Explanation smsOrTemplate(Fallbacks fallbacks, Explanation explanation) {
        SmsFallback sms = fallbacks.sms();
        TemplateMessage invitation = fallbacks.invitation();
        TemplateCheck.Verdict verdict = fallbacks.verdict();
        if (sms.unavailable() != null) {
            return explanation.withPolicy(FallbackPolicy.TEMPLATE).withSteps(sms.step(), "CHEAPEST->TEMPLATE");
        }
        if (!verdict.sendable()) {
            return explanation.withPolicy(FallbackPolicy.SMS).withSteps("CHEAPEST->SMS: template " + invitation.name()
                    + "/" + invitation.language() + " unavailable (" + verdict.rejection() + ")");
        }
        CostEstimate smsCost = fallbacks.smsCost();
        CostEstimate templateCost = fallbacks.templateCost();
        if (!comparable(smsCost, templateCost)) {
            return explanation.withPolicy(FallbackPolicy.SMS).withSteps("CHEAPEST->SMS: prices unknown");
        }
        boolean template = templateCost.getAmountMicros() < smsCost.getAmountMicros();
        String compared = template
                ? price("TEMPLATE", templateCost) + " < " + price("SMS", smsCost)
                : price("SMS", smsCost) + " <= " + price("TEMPLATE", templateCost);
        FallbackPolicy chosen = template ? FallbackPolicy.TEMPLATE : FallbackPolicy.SMS;
        return explanation.withPolicy(chosen).withSteps("CHEAPEST->" + chosen + ": " + compared);
    }

    private static String price(String option, CostEstimate cost) {
        return option + " " + java.math.BigDecimal.valueOf(cost.getAmountMicros(), 6).stripTrailingZeros().toPlainString()
                + " " + cost.getCurrency() + " (" + cost.getBasis() + ")";
    }

    /**
     * True while the session state at hand is older than what the gateway showed the agent: deciding on it
     * could send free-form into a window the agent saw closed, or the reverse. The reply waits for the
     * session to catch up (see the topology).
     */
    public static boolean mustWaitForSession(ReplyRequest reply, SessionSnapshot session) {
        Long observed = reply.observedSessionVersion();
        return observed != null && (session == null || session.version() < observed);
    }

    /** What a reply has to wait for before it may be decided. */
    public enum Wait {
        /** Decide now. */
        NOTHING,
        /** The session at hand is older than the version the agent saw (see {@link #mustWaitForSession}). */
        SESSION_VERSION,
        /**
         * No session state at all for a free-form reply. The conversation may be known and its session merely not
         * read here yet (e.g. just after a rebalance); deciding now would reject it, or replace the agent's text
         * with a template, for a conversation whose window may be open.
         */
        CONVERSATION_SESSION
    }

    /**
     * Whether the reply waits, and for what. A free-form reply waits for the conversation's first session only
     * when deciding it now would treat the conversation as unknown (UNKNOWN_CONVERSATION or
     * UNKNOWN_CONVERSATION_TEMPLATE); replies rejected for other reasons (unknown tenant, foreign or invalid
     * conversation id, empty text) and explicitly chosen templates are decided at once.
     *
     * @param tenant null when the tenant is not configured here
     */
    public Wait waitFor(ReplyRequest reply, SessionSnapshot session, TenantRules tenant) {
        if (mustWaitForSession(reply, session)) {
            return Wait.SESSION_VERSION;
        }
        if (session != null || tenant == null) {
            return Wait.NOTHING;
        }
        // Templates unchecked here: whether the reply waits depends on the window rules alone; a template that
        // fails its check is rejected when the reply is finally decided.
        Decision unknown = decide(reply, null, tenant, TemplateCheck.UNCHECKED);
        OutcomeReason reason = unknown instanceof Decision.Hold hold ? hold.invitation().reason() : unknown.reason();
        return reason == OutcomeReason.UNKNOWN_CONVERSATION || reason == OutcomeReason.UNKNOWN_CONVERSATION_TEMPLATE
                ? Wait.CONVERSATION_SESSION : Wait.NOTHING;
    }

    /** The session never reached the version the agent saw within the catch-up timeout. */
    public Decision.Reject sessionNotCaughtUp(ReplyRequest reply, SessionSnapshot session, TenantRules tenant) {
        return new Decision.Reject(OutcomeReason.SESSION_NOT_CAUGHT_UP, explanation(reply, session, tenant));
    }

    /** The window as it stands now for this reply, without deciding (e.g. for a reply that waits). */
    public Explanation explanation(ReplyRequest reply, SessionSnapshot session, TenantRules tenant) {
        return explain(session, clock.instant(), tenant == null ? reply.fallback() : policy(reply, tenant), List.of());
    }

    /** The command's fallback, AUTO as the tenant's concrete policy; AUTO itself while CHEAPEST is not resolved. */
    private static FallbackPolicy policy(ReplyRequest reply, TenantRules tenant) {
        if (reply.fallback() != FallbackPolicy.AUTO) {
            return reply.fallback();
        }
        return tenant.policy().fallback() == null ? FallbackPolicy.AUTO : tenant.policy().fallback();
    }

    /** The command names a tenant this service has no configuration for. */
    public Decision.Reject unknownTenant(ReplyRequest reply, SessionSnapshot session) {
        return new Decision.Reject(OutcomeReason.UNKNOWN_TENANT, explain(session, clock.instant(), reply.fallback(), List.of()));
    }

    /**
     * WhatsApp, the final judge, refused a send with {@code code}: 131047 (window closed) or 131026 (undeliverable),
     * synchronously ({@code async} false: the HTTP answer) or later ({@code async} true: a FAILED delivery status for
     * a message it had accepted). Falls back once, per the policy recorded in the refused decision: SMS when the
     * policy is SMS or DIRECT_SEND and the SMS can go ({@link #smsFallback}), else the tenant's template when the refused message
     * was free-form and the policy allows a template. A template is never answered with a template: a refused
     * template ends rejected, and so does a policy without fallback (NONE). SendRequests carry neither the
     * customer's nor the agent's name, so a template fallback here uses the neutral parameters.
     *
     * @return the fallback to send (reason PROVIDER_WINDOW_CLOSED_*, PROVIDER_UNDELIVERABLE_* or DELIVERY_FAILED_*),
     *         or a rejection: WINDOW_CLOSED (sync 131047), PROVIDER_UNDELIVERABLE (sync 131026) or DELIVERY_FAILED
     *         (async); the chain names the code, e.g. {@code WHATSAPP delivery failed: 131047 window closed}
     */
    public Decision afterWhatsAppRefusal(Decision.Send refused, int code, TenantRules tenant, boolean async) {
        String refusal = (async ? "WHATSAPP delivery failed: " : "WHATSAPP refused: ") + code
                + (code == WINDOW_CLOSED_CODE ? " window closed" : code == UNDELIVERABLE_CODE ? " undeliverable" : "");
        Explanation explanation = refused.explanation().withSteps(refusal);
        Recipient to = new Recipient(refused.recipientPhone(), refused.recipientBsuid());
        FallbackPolicy policy = explanation.policy();
        // A Direct Send message is the agent's own text on WhatsApp: it falls back as free-form does, never again
        // as Direct Send.
        boolean freeForm = refused.channel() == Channel.WHATSAPP || refused.channel() == Channel.WHATSAPP_DIRECT_SEND;
        List<String> steps = new ArrayList<>();
        if (smsFirst(policy)) {
            SmsFallback sms = smsFallback(refused.text(), to.phone(), tenant);
            if (sms.unavailable() == null) {
                return new Decision.Send(Channel.SMS, to.phone(), null, sms.body(), null,
                        fallbackReason(code, async, true), explanation.withSteps("SMS"));
            }
            steps.add(sms.step());
        }
        if (freeForm && (smsFirst(policy) || policy == FallbackPolicy.TEMPLATE
                || policy == FallbackPolicy.TEMPLATE_THEN_HOLD)) {
            steps.add("TEMPLATE");
            TemplateMessage template = neutralInvitation(tenant);
            if (policy == FallbackPolicy.TEMPLATE_THEN_HOLD) {
                // Not held here: the sender has no place to keep the agent's text (held answers live in the
                // decision topology), so the chain says the invitation went out alone.
                steps.add("HOLD not applied after a refused send");
            }
            return template(templates, template, tenant, to, fallbackReason(code, async, false),
                    explanation.withSteps(steps.toArray(String[]::new)));
        }
        OutcomeReason rejection = async ? OutcomeReason.DELIVERY_FAILED : code == WINDOW_CLOSED_CODE ? OutcomeReason.WINDOW_CLOSED : OutcomeReason.PROVIDER_UNDELIVERABLE;
        return new Decision.Reject(rejection, explanation.withSteps(steps.toArray(String[]::new))
                .withAlternatives(freeForm ? alternatives(tenant, to, refused.text()) : List.of()));
    }

    /**
     * Until when a send may wait out provider trouble: the tenant's reply validity from its first attempt, and for a
     * free-form WhatsApp message never past the window's end minus the safety margin (WhatsApp would refuse it
     * with 131047 after the end; the margin is the decision's own: from then on a reply goes by its fallback).
     * A Direct Send message is not bounded by the window: it goes outside it anyway (its TTL is this validity).
     *
     * @param window the send's explanation (its window end as decided)
     */
    public Instant validUntil(Channel channel, Explanation window, Instant firstAttempt, TenantRules tenant) {
        Instant validUntil = firstAttempt.plus(tenant.replyValidity());
        if (channel == Channel.WHATSAPP && window != null && window.windowExpiresAt() != null) {
            Instant freeFormEnd = window.windowExpiresAt().minus(safetyMargin);
            if (freeFormEnd.isBefore(validUntil)) {
                validUntil = freeFormEnd;
            }
        }
        return validUntil;
    }

    /**
     * A send waited its validity out and its provider is still unavailable: the tenant's policy decides, once
     * (the caller sends what this answers as the command's one FAILOVER step). WhatsApp free-form or Direct Send down
     * -> the SMS with the link when the policy is SMS or DIRECT_SEND and the SMS can go ({@link #smsFallback}: a phone,
     * a mobile number, within the segments); SMS down -> the tenant's template when the policy allows one (SMS,
     * DIRECT_SEND, TEMPLATE, TEMPLATE_THEN_HOLD)
     * and the window is not open now (an SMS went because it was closed; a template needs WhatsApp, which may be up).
     * Anything else (a template down: its only other road would be an SMS the agent did not write; policy NONE; no
     * phone) -> rejected PROVIDER_UNAVAILABLE_VALIDITY_EXPIRED, which the caller reports as FAILED.
     */
    public Decision afterProviderUnavailable(Decision.Send parked, TenantRules tenant) {
        Explanation explanation = parked.explanation().withSteps(parked.channel() + " unavailable for the reply validity");
        Recipient to = new Recipient(parked.recipientPhone(), parked.recipientBsuid());
        FallbackPolicy policy = explanation.policy();
        // Direct Send down too: WhatsApp is down, the SMS is the other road (never the template: WhatsApp again).
        if ((parked.channel() == Channel.WHATSAPP || parked.channel() == Channel.WHATSAPP_DIRECT_SEND) && smsFirst(policy)) {
            SmsFallback sms = smsFallback(parked.text(), to.phone(), tenant);
            if (sms.unavailable() == null) {
                return new Decision.Send(Channel.SMS, to.phone(), null, sms.body(), null,
                        OutcomeReason.PROVIDER_UNAVAILABLE_SMS_FALLBACK, explanation.withSteps("SMS"));
            }
            return new Decision.Reject(OutcomeReason.PROVIDER_UNAVAILABLE_VALIDITY_EXPIRED, explanation.withSteps(sms.step()));
        }
        boolean windowOpen = explanation.windowExpiresAt() != null
                && ServiceWindow.at(explanation.windowExpiresAt(), clock.instant(), safetyMargin).freeFormAllowed();
        if (parked.channel() == Channel.SMS && !windowOpen && (smsFirst(policy)
                || policy == FallbackPolicy.TEMPLATE || policy == FallbackPolicy.TEMPLATE_THEN_HOLD)) {
            TemplateMessage template = neutralInvitation(tenant);
            return template(templates, template, tenant, to, OutcomeReason.PROVIDER_UNAVAILABLE_TEMPLATE_FALLBACK,
                    explanation.withSteps("TEMPLATE"));
        }
        return new Decision.Reject(OutcomeReason.PROVIDER_UNAVAILABLE_VALIDITY_EXPIRED, explanation);
    }

    /**
     * The policies whose fallback is the SMS with the link, then the template: SMS, and DIRECT_SEND once Direct Send
     * itself is out of the question (never tried again after a refusal or a failure).
     */
    private static boolean smsFirst(FallbackPolicy policy) {
        return policy == FallbackPolicy.SMS || policy == FallbackPolicy.DIRECT_SEND;
    }

    private static OutcomeReason fallbackReason(int code, boolean async, boolean sms) {
        if (async) {
            return sms ? OutcomeReason.DELIVERY_FAILED_SMS_FALLBACK : OutcomeReason.DELIVERY_FAILED_TEMPLATE_FALLBACK;
        }
        if (code == WINDOW_CLOSED_CODE) {
            return sms ? OutcomeReason.PROVIDER_WINDOW_CLOSED_SMS_FALLBACK : OutcomeReason.PROVIDER_WINDOW_CLOSED_TEMPLATE_FALLBACK;
        }
        return sms ? OutcomeReason.PROVIDER_UNDELIVERABLE_SMS_FALLBACK : OutcomeReason.PROVIDER_UNDELIVERABLE_TEMPLATE_FALLBACK;
    }

    /**
     * A held answer (TEMPLATE_THEN_HOLD) whose customer wrote back after it was held: WhatsApp free-form with the
     * agent's text while the window is open with more than the safety margin, else empty (it keeps waiting for the
     * next session update or its expiry). Whether the customer wrote after the hold is the caller's check (the
     * snapshot does not carry the message time). The explanation is the window now, the chain the held one
     * extended, e.g. {@code AUTO->TEMPLATE_THEN_HOLD, TEMPLATE, HOLD, customer returned, WHATSAPP}.
     *
     * @param held the explanation the answer was held with
     */
    public Optional<Decision.Send> releaseHeld(ReplyRequest reply, Explanation held, SessionSnapshot session) {
        Explanation now = explain(session, clock.instant(), held.policy(), held.fallbackChain());
        if (now.windowState() != WindowState.OPEN) {
            return Optional.empty();
        }
        Recipient to = Recipient.of(ConversationId.parse(reply.conversationId()), session);
        return Optional.of(new Decision.Send(Channel.WHATSAPP, to.phone(), to.bsuid(), reply.text(), null,
                OutcomeReason.HELD_ANSWER_RELEASED, now.withSteps("customer returned", "WHATSAPP")));
    }

    private Explanation explain(SessionSnapshot session, Instant now, FallbackPolicy policy, List<String> chain) {
        Long version = session == null ? null : session.version();
        // The contracts' one window computation: the state session-service shows the agent is the state decided on.
        ServiceWindow window = ServiceWindow.at(session == null ? null : session.windowExpiresAt(), now, safetyMargin);
        return new Explanation(window.state(), window.expiresAt(), window.timeLeft(), policy, version, chain,
                List.of(), FreeEntryPoint.until(session, now));
    }

    /** The agent's text, a blank line, the invitation and the wa.me link. */
    private static String smsBody(String agentText, TenantRules tenant) {
        return agentText + "\n\n" + tenant.smsInvitation() + " "
                + ContinueOnWhatsAppLink.of(tenant.displayNumber(), tenant.continuePrefill());
    }

    private static Decision defaultTemplate(TemplateCheck templates, ReplyRequest reply, SessionSnapshot session,
                                            TenantRules tenant, Recipient to, OutcomeReason reason, Explanation explanation) {
        return template(templates, invitation(reply, session, tenant), tenant, to, reason, explanation);
    }

    /**
     * The tenant's invitation template with the neutral parameters: after a send failed or was refused, the sender
     * knows neither the customer's nor the agent's name (SendRequests carry neither).
     */
    private static TemplateMessage neutralInvitation(TenantRules tenant) {
        return new TemplateMessage(tenant.defaultTemplateName(), tenant.defaultTemplateLanguage(),
                List.of(DEFAULT_CUSTOMER_NAME, DEFAULT_AGENT_NAME));
    }

    /** The tenant's default (invitation) template, {{1}} the customer's name, {{2}} the agent's. */
    private static TemplateMessage invitation(ReplyRequest reply, SessionSnapshot session, TenantRules tenant) {
        // Names come from data (the customer's WhatsApp profile, the agent's token): normalised to what WhatsApp
        // accepts, the neutral default when nothing is left.
        String customer = TemplateParameters.name(session == null ? null : session.customerProfileName(), DEFAULT_CUSTOMER_NAME);
        String agent = TemplateParameters.name(reply.agentName(), DEFAULT_AGENT_NAME);
        return new TemplateMessage(tenant.defaultTemplateName(), tenant.defaultTemplateLanguage(), List.of(customer, agent));
    }

    /**
     * The template if its parameters can be made what WhatsApp accepts ({@link TemplateParameters}) and it passes
     * its check (text = the rendered body), else rejected with the reason: never a send the provider refuses.
     */
    private static Decision template(TemplateCheck templates, TemplateMessage requested, TenantRules tenant, Recipient to,
                                     OutcomeReason reason, Explanation explanation) {
        TemplateParameters.Normalised normalised = TemplateParameters.normalise(requested);
        if (!normalised.valid()) {
            return new Decision.Reject(OutcomeReason.TEMPLATE_PARAMETER_INVALID, explanation.withSteps(
                    "template " + requested.name() + "/" + requested.language() + ": " + normalised.problem()));
        }
        TemplateMessage template = normalised.message();
        TemplateCheck.Verdict verdict = templates.check(tenant, template);
        if (!verdict.sendable()) {
            return new Decision.Reject(verdict.rejection(),
                    verdict.detail() == null ? explanation : explanation.withSteps(verdict.detail()));
        }
        return new Decision.Send(Channel.WHATSAPP_TEMPLATE, to.phone(), to.bsuid(), verdict.text(), template, reason,
                explanation);
    }

    /**
     * TEMPLATE_THEN_HOLD: the invitation that passed its check, with the agent's text held ("HOLD" in the chain).
     * A template that failed its check stays a rejection: nothing is sent and nothing is held.
     */
    private static Decision holdIf(FallbackPolicy policy, Decision template) {
        if (policy == FallbackPolicy.TEMPLATE_THEN_HOLD && template instanceof Decision.Send invitation) {
            return new Decision.Hold(invitation.withExplanation(invitation.explanation().withSteps("HOLD")));
        }
        return template;
    }

    private static List<String> alternatives(TenantRules tenant, Recipient to, String agentText) {
        List<String> alternatives = new ArrayList<>();
        alternatives.add(templateAlternative(tenant));
        if (agentText != null && smsFallback(agentText, to.phone(), tenant).unavailable() == null) {
            alternatives.add("SMS");
        }
        return alternatives;
    }

    private static String templateAlternative(TenantRules tenant) {
        return "TEMPLATE:" + tenant.defaultTemplateName();
    }

    /**
     * The phone (digits) a reply in this conversation goes to: the session's, else the conversation's key when it is a
     * phone number; null for a username-only customer or an unreadable conversation id.
     */
    public static String recipientPhone(String conversationId, SessionSnapshot session) {
        try {
            return Recipient.of(ConversationId.parse(conversationId), session).phone();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Whom to address: the known phone (digits), else the BSUID. */
    private record Recipient(String phone, String bsuid) {

        static Recipient of(ConversationId conversation, SessionSnapshot session) {
            String phone = session != null ? blankToNull(session.customerPhone()) : null;
            String bsuid = session != null ? blankToNull(session.customerBsuid()) : null;
            if (phone == null && conversation.keyedByPhone()) {
                phone = conversation.customerKey();
            }
            if (bsuid == null && !conversation.keyedByPhone()) {
                bsuid = conversation.customerKey();
            }
            return new Recipient(phone, bsuid);
        }

        private static String blankToNull(String value) {
            return value == null || value.isBlank() ? null : value;
        }
    }

    /**
     * WhatsApp refused a Direct Send message synchronously with {@code code}: 100 (Direct Send not enabled for the
     * account) or 139200 (utility access blocked). The same reply continues down the chain once, never as Direct Send
     * again: the SMS with the link when it can go ({@link #smsFallback}), else the tenant's template (checked), else
     * rejected DIRECT_SEND_REFUSED. The chain names the refusal, e.g. {@code DIRECT_SEND refused: 139200 access
     * blocked, SMS unavailable: no customer phone, TEMPLATE}. A template that fails its check leaves no step either:
     * rejected DIRECT_SEND_REFUSED, the chain naming the check's finding when it has one.
     */
    public Decision afterDirectSendRefusal(Decision.Send refused, int code, TenantRules tenant) {
        String refusal = "DIRECT_SEND refused: " + code + (code == DirectSendAccess.NOT_ENABLED_CODE ? " not enabled"
                : code == DirectSendAccess.BLOCKED_CODE ? " access blocked" : "");
        Explanation explanation = refused.explanation().withSteps(refusal);
        Recipient to = new Recipient(refused.recipientPhone(), refused.recipientBsuid());
        SmsFallback sms = smsFallback(refused.text(), to.phone(), tenant);
        if (sms.unavailable() == null) {
            return new Decision.Send(Channel.SMS, to.phone(), null, sms.body(), null,
                    OutcomeReason.DIRECT_SEND_REFUSED_SMS_FALLBACK, explanation.withSteps("SMS"));
        }
        TemplateMessage template = neutralInvitation(tenant);
        Decision fallback = template(templates, template, tenant, to, OutcomeReason.DIRECT_SEND_REFUSED_TEMPLATE_FALLBACK,
                explanation.withSteps(sms.step(), "TEMPLATE"));
        return fallback instanceof Decision.Send ? fallback
                : new Decision.Reject(OutcomeReason.DIRECT_SEND_REFUSED, fallback.explanation());
    }
}
