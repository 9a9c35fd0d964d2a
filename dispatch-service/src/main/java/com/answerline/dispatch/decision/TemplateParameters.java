package com.answerline.dispatch.decision;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * WhatsApp's rules for the text of a template's body parameters, applied before a template is sent, so a value
 * that comes from data (a customer's profile name, an agent's name or typed parameter) never makes the provider
 * refuse the send. The Cloud API refuses a parameter text with a new-line or tab character or more than four
 * consecutive spaces (132018, "Param text cannot have new-line/tab characters or more than 4 consecutive
 * spaces"), an empty one (131008, required parameter missing) and one longer than 1,024 characters when the
 * template has other components than its body (32,768 for a body only; the lower bound keeps a send valid when a
 * header is added to the template).
 *
 * <p>Normalising: line breaks (CR, LF, VT, FF, NEL, U+2028, U+2029) and tabs become a space (a run of them, with
 * the spaces around it, one space), a run of more than four spaces becomes one space, and the ends are trimmed. What is still refused after that (empty, too long) is
 * not guessed at: the reply is rejected with {@code TEMPLATE_PARAMETER_INVALID}. A name the invitation picks from
 * data is cut to the limit instead, and a blank one replaced by the neutral default.
 */
public final class TemplateParameters {

    /** The longest parameter text sent (characters, UTF-16 units as WhatsApp counts them). */
    public static final int MAX_LENGTH = 1024;

    private static final String BREAKS = "\\r\\n\\t\\u000B\\f\\u0085\\u2028\\u2029";
    /** A run of spaces, line breaks and tabs with at least one line break or tab in it. */
    private static final Pattern LINE_BREAKS_AND_TABS =
            Pattern.compile("[ " + BREAKS + "]*[" + BREAKS + "][ " + BREAKS + "]*");
    private static final Pattern MORE_THAN_FOUR_SPACES = Pattern.compile(" {5,}");

    private TemplateParameters() {
    }

    /**
     * The template with every parameter normalised, or the first parameter that cannot be made valid.
     *
     * @param problem null when {@code message} may be sent, else e.g. "parameter 2 is empty"
     */
    public record Normalised(TemplateMessage message, String problem) {

        public boolean valid() {
            return problem == null;
        }
    }

    public static Normalised normalise(TemplateMessage template) {
        List<String> parameters = new ArrayList<>(template.parameters().size());
        for (int i = 0; i < template.parameters().size(); i++) {
            String value = normalise(template.parameters().get(i));
            if (value.isEmpty()) {
                return new Normalised(null, "parameter " + (i + 1) + " is empty");
            }
            if (value.length() > MAX_LENGTH) {
                return new Normalised(null, "parameter " + (i + 1) + " is longer than " + MAX_LENGTH + " characters");
            }
            parameters.add(value);
        }
        return new Normalised(new TemplateMessage(template.name(), template.language(), parameters), null);
    }

    /** Line breaks and tabs as a space, runs of more than four spaces as one, trimmed; null as empty. */
    public static String normalise(String value) {
        if (value == null) {
            return "";
        }
        String spaced = LINE_BREAKS_AND_TABS.matcher(value).replaceAll(" ");
        return MORE_THAN_FOUR_SPACES.matcher(spaced).replaceAll(" ").strip();
    }

    /**
     * A name taken from data for a parameter (the customer's profile name, the agent's name): normalised, cut to
     * {@link #MAX_LENGTH} (never inside a surrogate pair), or {@code fallback} when nothing is left of it.
     */
    public static String name(String value, String fallback) {
        String name = normalise(value);
        if (name.isEmpty()) {
            return fallback;
        }
        if (name.length() <= MAX_LENGTH) {
            return name;
        }
        int end = Character.isHighSurrogate(name.charAt(MAX_LENGTH - 1)) ? MAX_LENGTH - 1 : MAX_LENGTH;
        return name.substring(0, end).strip();
    }
}
