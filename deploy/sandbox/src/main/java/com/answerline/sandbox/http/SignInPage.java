package com.answerline.sandbox.http;

import com.answerline.sandbox.identity.AgentRole;
import com.answerline.sandbox.identity.AuthorizationServer.AuthorizationRequest;
import com.answerline.sandbox.identity.SignIn;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.util.MultiValueMap;
import org.springframework.web.util.HtmlUtils;

/**
 * The sandbox's sign-in page, its stand-in for a company login, and the page that refuses a request it cannot send
 * back. Plain HTML and CSS, no script: labelled controls, hints and problems tied to their fields, usable from
 * 360 px wide and with the keyboard alone.
 */
final class SignInPage {

    static final int MAX_LENGTH = 128;

    private SignInPage() {
    }

    /** What the agent typed (stripped, never null). */
    record Fields(String agentId, String tenantId, String role) {

        static final Fields EMPTY = new Fields("", "", AgentRole.AGENT.value());

        static Fields of(MultiValueMap<String, String> form) {
            return new Fields(value(form, "agentId"), value(form, "tenantId"), value(form, "role"));
        }

        /** Each field's problem, by field id; empty when the agent may sign in. */
        Map<String, String> problems() {
            Map<String, String> problems = new LinkedHashMap<>();
            checkText(problems, "agentId", agentId, "Enter your agent id.");
            checkText(problems, "tenantId", tenantId, "Enter your tenant.");
            if (AgentRole.of(role).isEmpty()) {
                problems.put("role", "Choose agent or supervisor.");
            }
            return problems;
        }

        SignIn signIn() {
            return new SignIn(agentId, tenantId, AgentRole.of(role).orElseThrow());
        }

        private static void checkText(Map<String, String> problems, String field, String value, String missing) {
            if (value.isEmpty()) {
                problems.put(field, missing);
            } else if (value.length() > MAX_LENGTH) {
                problems.put(field, "Use at most " + MAX_LENGTH + " characters.");
            }
        }

        private static String value(MultiValueMap<String, String> form, String name) {
            String value = form.getFirst(name);
            return value == null ? "" : value.strip();
        }
    }

    /** The form, posting the request's parameters back with what the agent types. */
    static String form(AuthorizationRequest request, Fields fields, Map<String, String> problems) {
        StringBuilder body = new StringBuilder();
        body.append("<h1>Sign in</h1>\n<p>The provider sandbox's stand-in for your company's sign-in: no password,"
                + " you are the agent you name here. <strong>").append(escape(request.clientId()))
                .append("</strong> asks to act for you.</p>\n");
        if (!problems.isEmpty()) {
            body.append("<div class=\"alert\" role=\"alert\"><p>Sign-in needs ").append(problems.size())
                    .append(problems.size() == 1 ? " correction" : " corrections")
                    .append(": see the marked fields.</p></div>\n");
        }
        body.append("<form method=\"post\" action=\"").append(OidcController.AUTHORIZE).append("\">\n");
        hidden(body, "response_type", request.responseType());
        hidden(body, "client_id", request.clientId());
        hidden(body, "redirect_uri", request.redirectUri());
        hidden(body, "scope", request.scope());
        hidden(body, "state", request.state());
        hidden(body, "code_challenge", request.codeChallenge());
        hidden(body, "code_challenge_method", request.codeChallengeMethod());
        hidden(body, "nonce", request.nonce());
        text(body, "agentId", "Agent id", fields.agentId(), "username", "Your id at the gateway, e.g. agent-7.",
                problems.get("agentId"));
        text(body, "tenantId", "Tenant", fields.tenantId(), "organization", "Your company's tenant, e.g. demo.",
                problems.get("tenantId"));
        body.append("<label for=\"role\">Role</label>\n<select id=\"role\" name=\"role\"")
                .append(described("role", "role-hint", problems.get("role"))).append(">\n");
        option(body, AgentRole.AGENT, "Agent", fields.role());
        option(body, AgentRole.SUPERVISOR, "Supervisor", fields.role());
        body.append("</select>\n<p class=\"hint\" id=\"role-hint\">A supervisor may also assign conversations to"
                + " others.</p>\n");
        problem(body, "role", problems.get("role"));
        body.append("<button type=\"submit\" id=\"sign-in\">Sign in</button>\n</form>\n");
        return page("Sign in", body.toString());
    }

    /** A request the sandbox may not send back to its redirect URI: said to the user, never redirected. */
    static String refused(String reason) {
        return page("Sign-in request refused", "<h1>Sign-in request refused</h1>\n<p role=\"alert\">"
                + escape(reason) + "</p>\n<p>The application that sent you here must be registered with the sandbox"
                + " for this redirect URI (<code>sandbox.identity.clients</code>).</p>\n");
    }

    private static void hidden(StringBuilder body, String name, String value) {
        if (value != null) {
            body.append("<input type=\"hidden\" name=\"").append(name).append("\" value=\"").append(escape(value))
                    .append("\">\n");
        }
    }

    private static void text(StringBuilder body, String id, String label, String value, String autocomplete,
                             String hint, String problem) {
        body.append("<label for=\"").append(id).append("\">").append(label).append("</label>\n")
                .append("<input type=\"text\" id=\"").append(id).append("\" name=\"").append(id)
                .append("\" value=\"").append(escape(value)).append("\" required maxlength=\"").append(MAX_LENGTH)
                .append("\" autocomplete=\"").append(autocomplete)
                .append("\" autocapitalize=\"none\" spellcheck=\"false\"")
                .append(described(id, id + "-hint", problem)).append(">\n")
                .append("<p class=\"hint\" id=\"").append(id).append("-hint\">").append(hint).append("</p>\n");
        problem(body, id, problem);
    }

    private static String described(String id, String hintId, String problem) {
        return problem == null ? " aria-describedby=\"" + hintId + "\""
                : " aria-describedby=\"" + hintId + " " + id + "-problem\" aria-invalid=\"true\"";
    }

    private static void problem(StringBuilder body, String id, String problem) {
        if (problem != null) {
            body.append("<p class=\"problem\" id=\"").append(id).append("-problem\">").append(escape(problem))
                    .append("</p>\n");
        }
    }

    private static void option(StringBuilder body, AgentRole role, String label, String selected) {
        body.append("<option value=\"").append(role.value()).append('"')
                .append(role.value().equals(selected) ? " selected" : "").append('>').append(label)
                .append("</option>\n");
    }

    private static String escape(String value) {
        return HtmlUtils.htmlEscape(value == null ? "" : value);
    }

    private static String page(String title, String body) {
        return """
                <!doctype html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>TITLE · answerline sandbox</title>
                <style>
                  body { margin: 0; font: 1rem/1.5 system-ui, sans-serif; color: #1b1b1b; background: #f6f7f9; }
                  main { box-sizing: border-box; max-width: 26rem; margin: 0 auto; padding: 1.5rem 1rem; }
                  h1 { font-size: 1.5rem; margin: 0 0 .5rem; }
                  form { background: #fff; border: 1px solid #c8ccd2; border-radius: .5rem; padding: 1rem; }
                  label { display: block; margin-top: 1rem; font-weight: 600; }
                  input, select, button { box-sizing: border-box; width: 100%; min-height: 2.75rem; margin-top: .25rem;
                    padding: .5rem .75rem; font: inherit; color: inherit; background: #fff;
                    border: 1px solid #6b7280; border-radius: .375rem; }
                  button { margin-top: 1.5rem; background: #1d4ed8; border-color: #1d4ed8; color: #fff;
                    font-weight: 600; cursor: pointer; }
                  :focus-visible { outline: 3px solid #b45309; outline-offset: 2px; }
                  .hint { margin: .25rem 0 0; font-size: .875rem; color: #4b5563; }
                  .problem { margin: .25rem 0 0; color: #b91c1c; font-weight: 600; }
                  [aria-invalid="true"] { border: 2px solid #b91c1c; }
                  .alert { margin: 0 0 1rem; padding: .5rem .75rem; border: 2px solid #b91c1c; border-radius: .375rem;
                    background: #fef2f2; }
                  .alert p { margin: 0; }
                </style>
                </head>
                <body>
                <main>
                BODY</main>
                </body>
                </html>
                """.replace("TITLE", title).replace("BODY", body);
    }
}
