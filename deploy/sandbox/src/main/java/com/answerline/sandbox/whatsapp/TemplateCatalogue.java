package com.answerline.sandbox.whatsapp;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The templates of each business number's WhatsApp Business Account, and the checks WhatsApp makes
 * before it sends one.
 */
public final class TemplateCatalogue {

    /** What WhatsApp refuses in a parameter text: a new-line or tab, or five spaces in a row (132018). */
    private static final Pattern REFUSED_IN_PARAMETER = Pattern.compile("[\\n\\t]| {5}");

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
     *         132015/132016 when paused/disabled, 132000 when the parameter count differs, 132018 when a
     *         parameter has a new-line or tab character or more than four consecutive spaces, 131008 when one is
     *         empty
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
        for (String parameter : parameters) {
            if (parameter.isEmpty()) {
                throw new CloudApiException(CloudApiError.missingParameter("Parameter text is required."));
            }
            if (REFUSED_IN_PARAMETER.matcher(parameter).find()) {
                throw new CloudApiException(CloudApiError.templateParameterFormat());
            }
        }
        return template.render(parameters);
    }

    public Optional<MessageTemplate> find(String phoneNumberId, String name, String language) {
        return templatesOf(phoneNumberId).stream()
                .filter(t -> t.name().equals(name) && t.language().equals(language))
                .findFirst();
    }
}
