package com.answerline.sandbox.identity;

/** Who signed in on the sandbox's sign-in page. */
public record SignIn(String agentId, String tenantId, AgentRole role) {
}
