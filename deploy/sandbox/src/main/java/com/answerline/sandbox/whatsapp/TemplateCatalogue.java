package com.answerline.sandbox.whatsapp;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The templates of each business number's WhatsApp Business Account, and the checks WhatsApp makes
 * before it sends one.
 */
public final class TemplateCatalogue {

    private final Map<String, List<MessageTemplate>> byPhoneNumberId;

    public TemplateCatalogue(Map<String, List<MessageTemplate>> byPhoneNumberId) {
        this.byPhoneNumberId = Map.copyOf(byPhoneNumberId);
    }

    public List<MessageTemplate> templatesOf(String phoneNumberId) {
        return byPhoneNumberId.getOrDefault(phoneNumberId, List.of());
    }

    /**
     * Renders a template as the customer's phone shows it.
     *
     * @throws CloudApiException 132001 when the name or language is unknown (or not approved),
     *         132015/132016 when paused/disabled, 132000 when the parameter count differs
     */
    public String render(String phoneNumberId, String name, String language, List<String> parameters) {
        MessageTemplate template = find(phoneNumberId, name, language)
                .orElseThrow(() -> new CloudApiException(CloudApiError.templateDoesNotExist(name, language)));
        switch (template.status()) {
            case APPROVED -> { }
            case PAUSED -> throw new CloudApiException(CloudApiError.templatePaused(name));
            case DISABLED -> throw new CloudApiException(CloudApiError.templateDisabled(name));
            default -> throw new CloudApiException(CloudApiError.templateDoesNotExist(name, language));
        }
        if (parameters.size() != template.parameterCount()) {
            throw new CloudApiException(CloudApiError.templateParameterMismatch(
                    "body: number of localizable_params (" + parameters.size()
                            + ") does not match the expected number of params (" + template.parameterCount() + ")"));
        }
        return template.render(parameters);
    }

    public Optional<MessageTemplate> find(String phoneNumberId, String name, String language) {
        return templatesOf(phoneNumberId).stream()
                .filter(t -> t.name().equals(name) && t.language().equals(language))
                .findFirst();
    }
}
