package com.answerline.dispatch.decision;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import com.answerline.avro.Channel;
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
 *       NONE -> rejected WINDOW_CLOSED with the alternatives that would work.</li>
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

    /** Without a template catalogue: templates are not checked (see {@link TemplateCheck#UNCHECKED}). */
    public ChannelDecider(Clock clock, Duration safetyMargin) {
        this(clock, safetyMargin, TemplateCheck.UNCHECKED);
    }

    /**
     * @param templates checks every template before it is chosen (the agent's or the tenant's default); one that
     *                  fails is rejected with the check's reason and nothing is sent
     */
    public ChannelDecider(Clock clock, Duration safetyMargin, TemplateCheck templates) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.safetyMargin = Objects.requireNonNull(safetyMargin, "safetyMargin");
        this.templates = Objects.requireNonNull(templates, "templates");
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
        FallbackPolicy policy = reply.fallback() == FallbackPolicy.AUTO ? tenant.policy() : reply.fallback();
        List<String> chain = new ArrayList<>();
        if (reply.fallback() == FallbackPolicy.AUTO) {
            chain.add("AUTO->" + policy);
        }
        Explanation explanation = explain(session, now, policy, chain);

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
            case SMS -> {
                String body = smsBody(reply.text(), tenant);
                String unavailable = smsUnavailable(body, to, tenant);
                yield unavailable == null
                        ? new Decision.Send(Channel.SMS, to.phone(), null, body, null, OutcomeReason.WINDOW_CLOSED_SMS_FALLBACK,
                                explanation.withSteps("SMS"))
                        // No number to text (a username-only customer, DOMAIN 2a), a landline, or too long: the
                        // template is the way in.
                        : defaultTemplate(templates, reply, session, tenant, to, OutcomeReason.WINDOW_CLOSED_TEMPLATE_FALLBACK,
                                explanation.withSteps(unavailable, "TEMPLATE"));
            }
            case TEMPLATE, TEMPLATE_THEN_HOLD -> holdIf(policy, defaultTemplate(templates, reply, session, tenant, to,
                    OutcomeReason.WINDOW_CLOSED_TEMPLATE_FALLBACK, explanation.withSteps("TEMPLATE")));
            case NONE, AUTO -> new Decision.Reject(OutcomeReason.WINDOW_CLOSED,
                    explanation.withAlternatives(alternatives(tenant, to, reply.text())));
        };
    }

    /**
     * Why an SMS with this body cannot go to this recipient, as a fallback-chain step, or null when it can: no
     * phone known (username-only customer), a number that is not a mobile one ({@link SmsNumbers}), or more
     * segments than the tenant allows ({@link SmsSegments}; beyond the maximum the tenant's template goes instead).
     */
    static String smsUnavailable(String body, String phone, TenantRules tenant) {
        if (phone == null) {
            return "SMS unavailable: no customer phone";
        }
        if (!SmsNumbers.mobileOrUnknown(phone)) {
            return "SMS unavailable: not a mobile number";
        }
        if (body == null) {
            return "SMS unavailable: no text";
        }
        int segments = SmsSegments.of(body).segments();
        return segments > tenant.smsMaxSegments()
                ? "SMS unavailable: " + segments + " segments > " + tenant.smsMaxSegments() : null;
    }

    private static String smsUnavailable(String body, Recipient to, TenantRules tenant) {
        return smsUnavailable(body, to.phone(), tenant);
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
        FallbackPolicy policy = reply.fallback() == FallbackPolicy.AUTO && tenant != null ? tenant.policy() : reply.fallback();
        return explain(session, clock.instant(), policy, List.of());
    }

    /** The command names a tenant this service has no configuration for. */
    public Decision.Reject unknownTenant(ReplyRequest reply, SessionSnapshot session) {
        return new Decision.Reject(OutcomeReason.UNKNOWN_TENANT, explain(session, clock.instant(), reply.fallback(), List.of()));
    }

    /**
     * WhatsApp, the final judge, refused a send with {@code code}: 131047 (window closed) or 131026 (undeliverable),
     * synchronously ({@code async} false: the HTTP answer) or later ({@code async} true: a FAILED delivery status for
     * a message it had accepted). Falls back once, per the policy recorded in the refused decision: SMS when the
     * policy is SMS and the SMS can go ({@link #smsUnavailable}), else the tenant's template when the refused message
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
        boolean freeForm = refused.channel() == Channel.WHATSAPP;
        List<String> steps = new ArrayList<>();
        if (policy == FallbackPolicy.SMS) {
            String body = refused.text() == null ? null : smsBody(refused.text(), tenant);
            String unavailable = smsUnavailable(body, to, tenant);
            if (unavailable == null) {
                return new Decision.Send(Channel.SMS, to.phone(), null, body, null,
                        fallbackReason(code, async, true), explanation.withSteps("SMS"));
            }
            steps.add(unavailable);
        }
        if (freeForm && (policy == FallbackPolicy.SMS || policy == FallbackPolicy.TEMPLATE
                || policy == FallbackPolicy.TEMPLATE_THEN_HOLD)) {
            steps.add("TEMPLATE");
            TemplateMessage template = new TemplateMessage(tenant.defaultTemplateName(), tenant.defaultTemplateLanguage(),
                    List.of(DEFAULT_CUSTOMER_NAME, DEFAULT_AGENT_NAME));
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
                List.of());
    }

    /** The agent's text, a blank line, the invitation and the wa.me link. */
    private static String smsBody(String agentText, TenantRules tenant) {
        return agentText + "\n\n" + tenant.smsInvitation() + " "
                + ContinueOnWhatsAppLink.of(tenant.displayNumber(), tenant.continuePrefill());
    }

    private static Decision defaultTemplate(TemplateCheck templates, ReplyRequest reply, SessionSnapshot session,
                                            TenantRules tenant, Recipient to, OutcomeReason reason, Explanation explanation) {
        String customer = session != null && session.customerProfileName() != null && !session.customerProfileName().isBlank()
                ? session.customerProfileName() : DEFAULT_CUSTOMER_NAME;
        String agent = reply.agentName() != null && !reply.agentName().isBlank() ? reply.agentName() : DEFAULT_AGENT_NAME;
        TemplateMessage template = new TemplateMessage(tenant.defaultTemplateName(), tenant.defaultTemplateLanguage(),
                List.of(customer, agent));
        return template(templates, template, tenant, to, reason, explanation);
    }

    /** The template if it passes its check (text = the rendered body), else rejected with the check's reason. */
    private static Decision template(TemplateCheck templates, TemplateMessage template, TenantRules tenant, Recipient to,
                                     OutcomeReason reason, Explanation explanation) {
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
        if (agentText != null && smsUnavailable(smsBody(agentText, tenant), to, tenant) == null) {
            alternatives.add("SMS");
        }
        return alternatives;
    }

    private static String templateAlternative(TenantRules tenant) {
        return "TEMPLATE:" + tenant.defaultTemplateName();
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
}
