package com.answerline.dispatch.decision;

import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An approved WhatsApp template with its body parameters ({{1}}, {{2}}, ... in order). */
public record TemplateMessage(String name, String language, List<String> parameters) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(\\d+)}}");

    public TemplateMessage {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(language, "language");
        parameters = parameters == null ? List.of() : List.copyOf(parameters);
    }

    /**
     * Fills the {{n}} placeholders of a known body in one pass: the text the customer will see. One pass, so a
     * parameter that itself contains "{{2}}" is shown as typed, never substituted again. A placeholder without a
     * parameter stays as it is (the validator rejects such a send before it gets here).
     */
    public String render(String body) {
        Matcher matcher = PLACEHOLDER.matcher(body);
        StringBuilder rendered = new StringBuilder();
        while (matcher.find()) {
            int n = Integer.parseInt(matcher.group(1));
            String value = n >= 1 && n <= parameters.size() ? parameters.get(n - 1) : matcher.group();
            matcher.appendReplacement(rendered, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(rendered);
        return rendered.toString();
    }

    /** How many parameters a body needs: the number of distinct placeholders (WhatsApp's rule: 1..n, no gaps). */
    public static int placeholderCount(String body) {
        return (int) PLACEHOLDER.matcher(body).results().map(m -> m.group(1)).distinct().count();
    }
}
