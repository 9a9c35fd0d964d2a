package com.answerline.sandbox.config;

import com.answerline.sandbox.whatsapp.DirectSendStatus;
import com.answerline.sandbox.whatsapp.TemplateCategory;
import com.answerline.sandbox.whatsapp.TemplateStatus;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * The sandbox's whole configuration. Defaults in application.yml are the demo's
 * local-development values; none of them is a real credential.
 */
@Validated
@ConfigurationProperties("sandbox")
public record SandboxProperties(
        @Valid @NotNull WhatsApp whatsapp,
        @Valid @NotNull Sms sms,
        @Valid @NotNull Ingest ingest,
        @Valid @NotNull Identity identity,
        @Valid @NotNull Faults faults,
        @NotEmpty List<@Valid BusinessNumber> businessNumbers) {

    /**
     * Cloud API credentials and behaviour.
     *
     * @param mediaUrlTtl how long a media download URL answers after its retrieval (Meta: a few minutes)
     */
    public record WhatsApp(
            @NotBlank String accessToken,
            @NotBlank String appSecret,
            @NotNull Duration serviceWindow,
            @NotNull Duration statusDelay,
            @NotNull Duration mediaUrlTtl) {
    }

    /** Twilio-shaped SMS account. */
    public record Sms(
            @NotBlank String accountSid,
            @NotBlank String authToken,
            @NotNull Duration statusDelay) {
    }

    /**
     * Where the sandbox delivers webhooks (answerline's ingest-service). {@code redeliverFor}: how long a WhatsApp
     * status webhook that failed is redelivered, as Meta does (zero: tried once).
     */
    public record Ingest(
            @NotNull URI whatsappWebhookUrl,
            @NotNull URI smsWebhookUrl,
            @NotNull Duration timeout,
            @NotNull Duration redeliverFor) {
    }

    /**
     * Development identity provider for agents: tokens on request, and OpenID Connect (authorization code with
     * PKCE) for the registered clients. {@code codeTtl}: how long an authorization code can be redeemed.
     */
    public record Identity(
            @NotBlank String issuer,
            @NotBlank String audience,
            @NotNull Duration tokenTtl,
            @NotNull Duration codeTtl,
            @NotEmpty List<@Valid Client> clients) {
    }

    /** An OpenID Connect client (public, PKCE): where it may be sent back to after sign-in, compared exactly. */
    public record Client(
            @NotBlank String clientId,
            @NotEmpty List<@NotNull URI> redirectUris) {

        public Client {
            redirectUris = redirectUris == null ? List.of() : List.copyOf(redirectUris);
        }
    }

    /** How long a TIMEOUT fault holds a request before answering. */
    public record Faults(@NotNull Duration timeoutDelay) {
    }

    /**
     * A WhatsApp business number, which is also the tenant's SMS sender; {@code directSend}: whether its account may use
     * Direct Send at start-up and after a reset (default ENABLED).
     */
    public record BusinessNumber(
            @NotBlank String tenantId,
            @NotBlank String phoneNumberId,
            @NotBlank String displayPhoneNumber,
            @NotBlank String wabaId,
            List<@Valid Template> templates,
            DirectSendStatus directSend) {

        public BusinessNumber {
            templates = templates == null ? List.of() : List.copyOf(templates);
            directSend = directSend == null ? DirectSendStatus.ENABLED : directSend;
        }

        /** E.164 form of the display number, the SMS "From". */
        public String e164() {
            return "+" + displayPhoneNumber;
        }
    }

    /** A message template of the number's WhatsApp Business Account. */
    public record Template(
            @NotBlank String name,
            @NotBlank String language,
            @NotNull TemplateCategory category,
            @NotNull TemplateStatus status,
            @NotBlank @Size(max = 1024) String body,
            List<String> example) {

        public Template {
            example = example == null ? List.of() : List.copyOf(example);
        }
    }
}
