package com.answerline.sandbox.whatsapp;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An approved-or-not template of one WhatsApp Business Account, with positional placeholders
 * {@code {{1}}, {{2}}, ...} in its body.
 */
public record MessageTemplate(
        String id,
        String name,
        String language,
        TemplateCategory category,
        TemplateStatus status,
        String body,
        List<String> example) {

    static final int MAX_BODY_LENGTH = 1024;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(\\d+)}}");

    public MessageTemplate {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(language, "language");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(body, "body");
        example = example == null ? List.of() : List.copyOf(example);
        if (body.length() > MAX_BODY_LENGTH) {
            throw new IllegalArgumentException("template " + name + ": body longer than " + MAX_BODY_LENGTH);
        }
        // WhatsApp's rule: placeholders {{1}}, {{2}}, ... in ascending order, without gaps or repeats.
        List<Integer> numbers = placeholderNumbers(body);
        for (int i = 0; i < numbers.size(); i++) {
            if (numbers.get(i) != i + 1) {
                throw new IllegalArgumentException("template " + name
                        + ": placeholders must be {{1}}, {{2}}, ... in order without gaps or repeats");
            }
        }
        if (id == null) {
            id = stableId(name, language);
        }
    }

    public static MessageTemplate of(String name, String language, TemplateCategory category,
            TemplateStatus status, String body, List<String> example) {
        return new MessageTemplate(null, name, language, category, status, body, example);
    }

    public int parameterCount() {
        return placeholderNumbers(body).size();
    }

    /** The body as the customer sees it; the caller has checked the parameter count. */
    public String render(List<String> parameters) {
        if (parameters.size() != parameterCount()) {
            throw new IllegalArgumentException("expected " + parameterCount() + " parameters");
        }
        Matcher matcher = PLACEHOLDER.matcher(body);
        StringBuilder rendered = new StringBuilder();
        while (matcher.find()) {
            String value = parameters.get(Integer.parseInt(matcher.group(1)) - 1);
            matcher.appendReplacement(rendered, Matcher.quoteReplacement(value));
        }
        matcher.appendTail(rendered);
        return rendered.toString();
    }

    private static List<Integer> placeholderNumbers(String body) {
        List<Integer> numbers = new ArrayList<>();
        Matcher matcher = PLACEHOLDER.matcher(body);
        while (matcher.find()) {
            numbers.add(Integer.parseInt(matcher.group(1)));
        }
        return numbers;
    }

    private static String stableId(String name, String language) {
        long bits = UUID.nameUUIDFromBytes((name + "/" + language).getBytes(StandardCharsets.UTF_8))
                .getMostSignificantBits();
        return Long.toUnsignedString(bits).substring(0, 15);
    }
}
