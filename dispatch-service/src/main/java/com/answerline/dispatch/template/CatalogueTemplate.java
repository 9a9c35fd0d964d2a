package com.answerline.dispatch.template;

import java.util.Objects;

import com.answerline.dispatch.decision.TemplateMessage;

/**
 * One template of a WhatsApp Business Account as its template list shows it.
 *
 * @param category MARKETING, UTILITY or AUTHENTICATION (WhatsApp may re-categorise); informative only
 * @param status   APPROVED, PENDING, REJECTED, PAUSED, DISABLED (or whatever else WhatsApp adds): only APPROVED
 *                 may be sent
 * @param body     the BODY component's text with {{1}}, {{2}}, ...
 */
public record CatalogueTemplate(String name, String language, String category, String status, String body) {

    public static final String APPROVED = "APPROVED";

    public CatalogueTemplate {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(status, "status");
        body = body == null ? "" : body;
    }

    public boolean approved() {
        return APPROVED.equals(status);
    }

    public int parameterCount() {
        return TemplateMessage.placeholderCount(body);
    }
}
