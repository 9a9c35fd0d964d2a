package com.answerline.sandbox.identity;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The role an agent signs in with on the sandbox's sign-in page, and the token's "roles" claim it gives. */
public enum AgentRole {

    AGENT("agent", List.of("agent")),
    /** A supervisor is an agent too: the gateway's reads need "agent", assigning someone else needs "supervisor". */
    SUPERVISOR("supervisor", List.of("agent", "supervisor"));

    private final String value;
    private final List<String> roles;

    AgentRole(String value, List<String> roles) {
        this.value = value;
        this.roles = roles;
    }

    /** The form value. */
    public String value() {
        return value;
    }

    public List<String> roles() {
        return roles;
    }

    public static Optional<AgentRole> of(String value) {
        return Arrays.stream(values()).filter(role -> role.value.equals(value)).findFirst();
    }
}
