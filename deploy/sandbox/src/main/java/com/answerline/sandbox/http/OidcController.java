package com.answerline.sandbox.http;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.answerline.sandbox.config.SandboxProperties;
import com.answerline.sandbox.identity.AuthorizationServer;
import com.answerline.sandbox.identity.AuthorizationServer.AuthorizationRequest;
import com.answerline.sandbox.identity.AuthorizationServer.Tokens;
import com.answerline.sandbox.identity.CodeChallenge;
import com.answerline.sandbox.identity.OAuthException;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.net.URI;
import java.net.URLEncoder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * OpenID Connect for the agents' browser apps (authorization code with PKCE): the discovery document, the
 * authorization endpoint with its sign-in page, the token endpoint. The rules are {@link AuthorizationServer}'s;
 * this translates HTTP. CORS for the clients' origins: {@link IdentityCors}.
 */
@RestController
class OidcController {

    static final String DISCOVERY = "/.well-known/openid-configuration";
    /** Where OpenID Connect Discovery looks for the default issuer's document: the issuer's path + DISCOVERY. */
    static final String ISSUER_DISCOVERY = "/sandbox" + DISCOVERY;
    static final String AUTHORIZE = "/sandbox/oidc/authorize";
    static final String TOKEN = "/sandbox/oidc/token";

    private static final MediaType HTML = new MediaType(MediaType.TEXT_HTML, UTF_8);
    /** The sign-in page: no script, no framing, nothing loaded but its own inline style. */
    private static final String PAGE_POLICY =
            "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'";

    private final AuthorizationServer server;
    private final SandboxProperties.Identity settings;

    OidcController(AuthorizationServer server, SandboxProperties properties) {
        this.server = server;
        this.settings = properties.identity();
    }

    /** RFC 6749 section 5.1 names the fields; {@code expires_in} in seconds. */
    record TokenResponse(@JsonProperty("access_token") String accessToken,
                         @JsonProperty("id_token") String idToken,
                         @JsonProperty("token_type") String tokenType,
                         @JsonProperty("expires_in") long expiresIn,
                         String scope) {

        static TokenResponse of(Tokens tokens) {
            return new TokenResponse(tokens.accessToken(), tokens.idToken(), tokens.tokenType(), tokens.expiresIn(),
                    tokens.scope());
        }
    }

    @GetMapping({DISCOVERY, ISSUER_DISCOVERY})
    Map<String, Object> discovery() {
        URI issuer = URI.create(settings.issuer());
        String base = issuer.getScheme() + "://" + issuer.getRawAuthority();
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("issuer", settings.issuer());
        document.put("authorization_endpoint", base + AUTHORIZE);
        document.put("token_endpoint", base + TOKEN);
        document.put("jwks_uri", base + IdentityController.JWKS);
        document.put("response_types_supported", List.of("code"));
        document.put("response_modes_supported", List.of("query"));
        document.put("grant_types_supported", List.of("authorization_code"));
        document.put("code_challenge_methods_supported", List.of(CodeChallenge.METHOD));
        document.put("scopes_supported", AuthorizationServer.SCOPES);
        document.put("subject_types_supported", List.of("public"));
        document.put("id_token_signing_alg_values_supported", List.of("RS256"));
        document.put("token_endpoint_auth_methods_supported", List.of("none"));
        document.put("claims_supported",
                List.of("iss", "sub", "aud", "exp", "iat", "auth_time", "nonce", "name", "tenant_id", "roles"));
        return document;
    }

    /** The sign-in page for a valid request. */
    @GetMapping(AUTHORIZE)
    ResponseEntity<String> authorize(ServerWebExchange exchange) {
        return authorization(exchange.getRequest().getQueryParams(), false);
    }

    /** The sign-in page's form: the request's parameters again, and the agent, tenant and role. */
    @PostMapping(AUTHORIZE)
    Mono<ResponseEntity<String>> signIn(ServerWebExchange exchange) {
        return exchange.getFormData().map(form -> authorization(form, true));
    }

    /** Form-encoded (RFC 6749 section 4.1.3); another body reads as no parameters: invalid_request. */
    @PostMapping(TOKEN)
    Mono<ResponseEntity<Object>> token(ServerWebExchange exchange) {
        return exchange.getFormData().map(form -> {
            try {
                Tokens tokens = server.exchange(new OAuthParameters(form).tokenRequest());
                return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(TokenResponse.of(tokens));
            } catch (OAuthException e) {
                return ResponseEntity.badRequest().cacheControl(CacheControl.noStore()).body(e.toBody());
            }
        });
    }

    private ResponseEntity<String> authorization(MultiValueMap<String, String> parameters, boolean submitted) {
        AuthorizationRequest request;
        try {
            request = new OAuthParameters(parameters).authorizationRequest();
        } catch (OAuthException e) {
            return page(HttpStatus.BAD_REQUEST, SignInPage.refused(e.description()));
        }
        if (!server.isRegisteredRedirect(request)) {
            return page(HttpStatus.BAD_REQUEST, SignInPage.refused(
                    "client_id is unknown, or redirect_uri is not one of its registered redirect URIs."));
        }
        try {
            server.check(request);
        } catch (OAuthException e) {
            return redirect(request.redirectUri(), Map.of("error", e.error(), "error_description", e.description()),
                    request.state());
        }
        if (!submitted) {
            return page(HttpStatus.OK, SignInPage.form(request, SignInPage.Fields.EMPTY, Map.of()));
        }
        SignInPage.Fields fields = SignInPage.Fields.of(parameters);
        Map<String, String> problems = fields.problems();
        if (!problems.isEmpty()) {
            return page(HttpStatus.BAD_REQUEST, SignInPage.form(request, fields, problems));
        }
        return redirect(request.redirectUri(), Map.of("code", server.grant(request, fields.signIn())),
                request.state());
    }

    private static ResponseEntity<String> page(HttpStatus status, String html) {
        return ResponseEntity.status(status)
                .contentType(HTML)
                .cacheControl(CacheControl.noStore())
                .header("Content-Security-Policy", PAGE_POLICY)
                .header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "no-referrer")
                .body(html);
    }

    /**
     * 302 to the registered redirect URI with the parameters (and the state, when the client sent one),
     * form-encoded as the client's URLSearchParams reads them back.
     */
    private static ResponseEntity<String> redirect(String redirectUri, Map<String, String> parameters, String state) {
        Map<String, String> query = new LinkedHashMap<>(parameters);
        if (state != null) {
            query.put("state", state);
        }
        StringBuilder location = new StringBuilder(redirectUri);
        char separator = redirectUri.contains("?") ? '&' : '?';
        for (Map.Entry<String, String> parameter : query.entrySet()) {
            location.append(separator).append(parameter.getKey()).append('=')
                    .append(URLEncoder.encode(parameter.getValue(), UTF_8));
            separator = '&';
        }
        return ResponseEntity.status(HttpStatus.FOUND)
                .location(URI.create(location.toString()))
                .cacheControl(CacheControl.noStore())
                .build();
    }
}
