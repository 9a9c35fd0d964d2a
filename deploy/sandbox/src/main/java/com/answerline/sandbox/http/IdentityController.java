package com.answerline.sandbox.http;

import com.answerline.sandbox.identity.AgentTokenIssuer;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** Development identity provider for agents: JWKS and token issuing. */
@RestController
class IdentityController {

    static final String JWKS = "/.well-known/jwks.json";

    private final AgentTokenIssuer issuer;

    IdentityController(AgentTokenIssuer issuer) {
        this.issuer = issuer;
    }

    /** @param expired true: a token that expired an hour ago (the bad-input suite's expired-token cases) */
    record TokenRequest(String agentId, String tenantId, List<String> roles, String name, Boolean expired) {
    }

    @GetMapping(JWKS)
    Map<String, Object> jwks() {
        return issuer.jwks();
    }

    @PostMapping("/sandbox/tokens")
    AgentTokenIssuer.IssuedToken token(@RequestBody TokenRequest request) {
        if (isBlank(request.agentId()) || isBlank(request.tenantId())) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "agentId and tenantId are required");
        }
        List<String> roles = request.roles() == null ? List.of("agent") : request.roles();
        if (roles.stream().anyMatch(IdentityController::isBlank)) {
            throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "roles must be non-blank strings");
        }
        return Boolean.TRUE.equals(request.expired())
                ? issuer.issueExpired(request.agentId(), request.tenantId(), roles, request.name())
                : issuer.issue(request.agentId(), request.tenantId(), roles, request.name());
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
