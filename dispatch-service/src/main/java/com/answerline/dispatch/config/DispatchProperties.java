package com.answerline.dispatch.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import jakarta.validation.Valid;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

import com.answerline.platform.security.AgentTokens;
import com.answerline.platform.streams.StreamsApp;

import com.answerline.dispatch.decision.TenantPolicy;
import com.answerline.dispatch.decision.TenantRules;

/**
 * Everything dispatch-service is configured with, validated at start-up. Defaults for the local stack live in
 * application.yml (local-development values).
 *
 * @param safetyMargin           a window with this much time left or less counts as closed
 * @param sessionCatchUpTimeout  how long a reply waits for the session state the agent saw before it is rejected
 * @param unknownConversationGrace how long a free-form reply for a conversation with no session state waits for
 *                               one before it is decided as unknown (UNKNOWN_CONVERSATION). Shorter than the
 *                               catch-up timeout: there the agent saw that version, so the session exists and is
 *                               only late; here nothing says a session exists, and most such replies are truly
 *                               unknown conversations whose agent should learn it (and the template alternative)
 *                               quickly. It only needs to cover this task reading a session already published.
 * @param tenants                what dispatch decides per tenant, by tenant id; the tenants' business numbers are the
 *                               one directory of all services ({@code answerline.tenants}), joined in
 *                               {@link TenantSettings}
 * @param jwt                    the agents' bearer tokens, relayed by the gateway: every API call must carry one (the
 *                               gateway's identity provider, issuer and audience, {@code answerline.ingest.jwt})
 */
@Validated
@ConfigurationProperties("answerline.dispatch")
public record DispatchProperties(@NotNull Duration safetyMargin, @NotNull Duration sessionCatchUpTimeout,
                                 @NotNull Duration unknownConversationGrace,
                                 @NotEmpty Map<String, @Valid Tenant> tenants, @NotNull @Valid WhatsApp whatsapp,
                                 @NotNull @Valid Sms sms, @NotNull @Valid Streams streams,
                                 @NotNull @Valid AgentTokens.Settings jwt) {

    /**
     * @param policy          what a reply's AUTO fallback means for this tenant: SMS, TEMPLATE, TEMPLATE_THEN_HOLD,
     *                        NONE, DIRECT_SEND (Direct Send when allowed, else SMS, else the template) or CHEAPEST
     *                        (the cheaper allowed of SMS and the template, per reply); AUTO is no value here (it
     *                        would mean itself)
     * @param defaultTemplate the invitation template a template fallback sends
     * @param smsSenderId     the SMS {@code From}: E.164 ({@code +} and digits) or an alphanumeric sender id of at
     *                        most 11 characters; default the display number in E.164
     * @param smsMaxSegments  an SMS fallback that would take more segments is not sent (the template goes instead);
     *                        default {@value TenantRules#DEFAULT_SMS_MAX_SEGMENTS}
     * @param replyValidity   how long a reply waits out provider trouble (parked, retried), counted from its first
     *                        attempt, before the policy decides; default {@link TenantRules#DEFAULT_REPLY_VALIDITY}
     *                        (15 minutes); 0 gives up at the first failure
     * @param directSend      WhatsApp Direct Send for the tenant's business number; unset: disabled
     */
    public record Tenant(@NotNull TenantPolicy policy, @NotNull @Valid DefaultTemplate defaultTemplate,
                         @NotBlank String smsInvitation, @NotBlank String continuePrefill,
                         @Pattern(regexp = "\\+\\d{6,15}|[A-Za-z0-9 ]{1,11}") String smsSenderId,
                         @Min(1) Integer smsMaxSegments, Duration replyValidity, @Valid DirectSend directSend) {

        @AssertTrue(message = "reply-validity must not be negative")
        boolean isReplyValidityValid() {
            return replyValidity == null || !replyValidity.isNegative();
        }

        /** The decision's view: disabled when unset, the re-check time defaulted. */
        TenantRules.DirectSend directSendRules() {
            return directSend == null ? TenantRules.DirectSend.DISABLED
                    : new TenantRules.DirectSend(Boolean.TRUE.equals(directSend.enabled()), directSend.recheckAfter());
        }
    }

    /**
     * {@code tenants.<id>.direct-send}: WhatsApp Direct Send (the agent's UTILITY text on WhatsApp outside the window).
     *
     * @param enabled      the number may try it (the business is eligible: WhatsApp decides per business portfolio,
     *                     and refuses with 100 when it is not); default false
     * @param recheckAfter a refusal (100, 139200) keeps the number from Direct Send this long, then it is tried
     *                     again; an operator may re-enable it sooner; default
     *                     {@link TenantRules.DirectSend#DEFAULT_RECHECK_AFTER} (24 hours)
     */
    public record DirectSend(Boolean enabled, Duration recheckAfter) {

        @AssertTrue(message = "recheck-after must be positive")
        boolean isRecheckAfterValid() {
            return recheckAfter == null || (!recheckAfter.isNegative() && !recheckAfter.isZero());
        }
    }

    /** @param body the approved body with {{1}} = customer name, {{2}} = agent name; renders the text the customer sees */
    public record DefaultTemplate(@NotBlank String name, @NotBlank String language, String body) {
    }

    /** WhatsApp Cloud API: {baseUrl}/{apiVersion}/{phone_number_id}/messages with a bearer token. */
    public record WhatsApp(@NotNull URI baseUrl, @NotBlank String apiVersion, @NotBlank String token,
                           @NotNull Duration connectTimeout, @NotNull Duration readTimeout) {
    }

    /** Twilio-shaped SMS API. */
    public record Sms(@NotNull URI baseUrl, @NotBlank String accountSid, @NotBlank String authToken,
                      @NotNull URI statusCallbackUrl, @NotNull Duration connectTimeout, @NotNull Duration readTimeout) {
    }

    /** @param applicationId Kafka Streams application id (consumer group and internal topic prefix) */
    public record Streams(@NotBlank String applicationId, @NotNull Path stateDir) {
    }

    /**
     * The decision topology's Streams app (the platform's {@link StreamsApp} makes it the Streams configuration, for
     * the application and for the topology tests): exactly_once_v2, so a decision, its SendRequest or outcome, and the
     * consumed offset commit together. Standbys, threads and replication come from {@code spring.kafka.*}.
     */
    public StreamsApp streamsApp() {
        return StreamsApp.of(streams.applicationId(), StreamsApp.Guarantee.EXACTLY_ONCE_V2, streams.stateDir())
                // Pinned at the default, 0: a task with an empty conversation-sessions partition still fetches what
                // the broker already holds before it processes a command, and processes both inputs in timestamp
                // order, so a session published before the command (the rebalance case) is in the table when the
                // command is decided. A positive value would also wait for producers, but then every reply would idle
                // that long whenever the sessions partition is quiet (the normal case), and it still would not cover
                // a session published later: the unknown-conversation grace in the topology does. -1 would drop the
                // timestamp ordering altogether.
                .with(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, 0L)
                .with(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
    }

    @AssertTrue(message = "unknown-conversation-grace must not be negative")
    public boolean isUnknownConversationGraceValid() {
        return unknownConversationGrace == null || !unknownConversationGrace.isNegative();
    }
}
