package com.answerline.sandbox.identity;

import com.answerline.sandbox.config.SandboxProperties;
import com.answerline.sandbox.identity.AuthorizationCodes.Grant;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.stereotype.Service;

/**
 * OpenID Connect authorization code flow with PKCE (S256) for public clients such as the agents' web console. The
 * sign-in page stands in for a real login: whoever submits it is the agent they name. The tokens are the ones
 * {@link AgentTokenIssuer} gives {@code POST /sandbox/tokens}, so the gateway validates them unchanged.
 */
@Service
public class AuthorizationServer {

    public static final List<String> SCOPES = List.of("openid", "profile");

    /** An authorization request's parameters, as received (any may be null). */
    public record AuthorizationRequest(String responseType, String clientId, String redirectUri, String scope,
                                       String state, String codeChallenge, String codeChallengeMethod, String nonce) {
    }

    /** A token request's parameters, as received (any may be null). */
    public record TokenRequest(String grantType, String code, String redirectUri, String clientId,
                               String codeVerifier) {
    }

    /** The token response; {@code expiresIn} in seconds, for the access token. */
    public record Tokens(String accessToken, String idToken, String tokenType, long expiresIn, String scope) {
    }

    private final OidcClients clients;
    private final AuthorizationCodes codes;
    private final AgentTokenIssuer tokens;
    private final SandboxProperties.Identity settings;
    private final Clock clock;

    public AuthorizationServer(OidcClients clients, AuthorizationCodes codes, AgentTokenIssuer tokens,
                               SandboxProperties properties, Clock clock) {
        this.clients = clients;
        this.codes = codes;
        this.tokens = tokens;
        this.settings = properties.identity();
        this.clock = clock;
    }

    /**
     * Whether the request's client may be sent back to its redirect URI. When not, the error is shown to the user
     * and never redirected (RFC 6749 section 4.1.2.1): that would make the sandbox an open redirector.
     */
    public boolean isRegisteredRedirect(AuthorizationRequest request) {
        return clients.allowsRedirect(request.clientId(), request.redirectUri());
    }

    /** The request's other errors, which go back to the client (its redirect URI is registered). */
    public void check(AuthorizationRequest request) {
        if (!isRegisteredRedirect(request)) {
            throw new IllegalStateException("check the redirect URI first");
        }
        if (!"code".equals(request.responseType())) {
            throw new OAuthException(OAuthException.UNSUPPORTED_RESPONSE_TYPE, "response_type must be code");
        }
        if (!grantedScopes(request.scope()).contains("openid")) {
            throw new OAuthException(OAuthException.INVALID_SCOPE, "scope must include openid");
        }
        if (isBlank(request.codeChallenge())) {
            throw new OAuthException(OAuthException.INVALID_REQUEST, "code_challenge is required (PKCE, S256)");
        }
        if (!CodeChallenge.METHOD.equals(request.codeChallengeMethod())) {
            throw new OAuthException(OAuthException.INVALID_REQUEST, "code_challenge_method must be S256");
        }
        if (!CodeChallenge.isWellFormed(request.codeChallenge())) {
            throw new OAuthException(OAuthException.INVALID_REQUEST,
                    "code_challenge must be 43 base64url characters (S256)");
        }
    }

    /** The code for the agent who signed in on this request's page. */
    public String grant(AuthorizationRequest request, SignIn signIn) {
        check(request);
        String scope = String.join(" ", grantedScopes(request.scope()));
        return codes.issue(new Grant(request.clientId(), request.redirectUri(),
                new CodeChallenge(request.codeChallenge()), scope, request.nonce(), signIn, clock.instant()));
    }

    /** The tokens for a code, its client, its redirect URI and the verifier of its challenge. */
    public Tokens exchange(TokenRequest request) {
        if (isBlank(request.grantType())) {
            throw new OAuthException(OAuthException.INVALID_REQUEST, "grant_type is required");
        }
        if (!"authorization_code".equals(request.grantType())) {
            throw new OAuthException(OAuthException.UNSUPPORTED_GRANT_TYPE, "grant_type must be authorization_code");
        }
        require(request.code(), "code");
        require(request.redirectUri(), "redirect_uri");
        require(request.clientId(), "client_id");
        require(request.codeVerifier(), "code_verifier (PKCE)");
        if (!clients.isKnown(request.clientId())) {
            throw new OAuthException(OAuthException.INVALID_CLIENT, "unknown client_id");
        }
        Grant grant = codes.redeem(request.code()).orElseThrow(() -> new OAuthException(OAuthException.INVALID_GRANT,
                "the code is unknown, already used or expired"));
        if (!grant.clientId().equals(request.clientId())) {
            throw new OAuthException(OAuthException.INVALID_GRANT, "the code was issued to another client");
        }
        if (!grant.redirectUri().equals(request.redirectUri())) {
            throw new OAuthException(OAuthException.INVALID_GRANT,
                    "redirect_uri is not the one of the authorization request");
        }
        if (!grant.challenge().isSatisfiedBy(request.codeVerifier())) {
            throw new OAuthException(OAuthException.INVALID_GRANT, "code_verifier does not match the code_challenge");
        }
        SignIn agent = grant.signIn();
        List<String> roles = agent.role().roles();
        String accessToken = tokens.issue(agent.agentId(), agent.tenantId(), roles, null).token();
        String idToken = tokens.idToken(agent.agentId(), agent.tenantId(), roles, grant.clientId(), grant.nonce(),
                grant.signedInAt());
        return new Tokens(accessToken, idToken, "Bearer", settings.tokenTtl().toSeconds(), grant.scope());
    }

    /** The supported scopes among the requested ones, in a stable order; unknown ones are ignored. */
    private static List<String> grantedScopes(String scope) {
        Set<String> requested = scope == null ? Set.of()
                : Arrays.stream(scope.split(" ")).filter(s -> !s.isEmpty()).collect(Collectors.toSet());
        return SCOPES.stream().filter(requested::contains).toList();
    }

    private static void require(String value, String name) {
        if (isBlank(value)) {
            throw new OAuthException(OAuthException.INVALID_REQUEST, name + " is required");
        }
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }
}
