package com.answerline.dispatch.decision;

import java.util.List;
import java.util.Objects;

/** An approved WhatsApp template with its body parameters ({{1}}, {{2}}, ... in order). */
public record TemplateMessage(String name, String language, List<String> parameters) {

    public TemplateMessage {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(language, "language");
        parameters = parameters == null ? List.of() : List.copyOf(parameters);
    }

    /** Fills {{n}} placeholders of a known body; the text the customer will see. */
    public String render(String body) {
        String rendered = body;
        for (int i = parameters.size(); i >= 1; i--) {
            rendered = rendered.replace("{{" + i + "}}", parameters.get(i - 1));
        }
        return rendered;
    }
}
