package com.answerline.sandbox.http;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.answerline.sandbox.TestClock;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.URI;
import java.net.URLDecoder;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.util.HtmlUtils;
import org.springframework.web.util.UriComponentsBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The console's sign-in as a browser and the console's script go through it: the discovery document, the sign-in
 * page, its form, the redirect with the code, the token request with the PKCE verifier, and the tokens checked
 * against the JWKS as the gateway checks them. Time is the test's clock.
 */
@SpringBootTest
@AutoConfigureWebTestClient
@Import(OidcFlowTest.Clocks.class)
class OidcFlowTest {

    private static final String ISSUER = "http://127.0.0.1:8089/sandbox";
    private static final String CLIENT = "answerline-console";
    private static final String REDIRECT = "http://127.0.0.1:8081/console/";
    private static final String CONSOLE = "http://127.0.0.1:8081";
    private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">");
    private static final SecureRandom RANDOM = new SecureRandom();

    @TestConfiguration(proxyBeanMethods = false)
    static class Clocks {
        @Bean
        @Primary
        TestClock testClock() {
            return new TestClock(Instant.now());
        }
    }

    @Autowired
    private WebTestClient client;

    @Autowired
    private TestClock clock;

    @Autowired
    private JsonMapper json;

    /** The verifier the console keeps in its session storage; only its S256 challenge goes to the sign-in page. */
    private final String verifier = randomVerifier();

    @BeforeEach
    void now() {
        // The gateway checks exp and nbf against its own clock: start each test at the real time.
        clock.set(Instant.now());
    }

    @Test
    void shouldPublishTheDiscoveryDocumentAtTheRootAndUnderTheIssuer() {
        for (String path : List.of("/.well-known/openid-configuration", "/sandbox/.well-known/openid-configuration")) {
            JsonNode document = getJson(path);

            assertThat(document.path("issuer").stringValue()).isEqualTo(ISSUER);
            assertThat(document.path("authorization_endpoint").stringValue())
                    .isEqualTo("http://127.0.0.1:8089/sandbox/oidc/authorize");
            assertThat(document.path("token_endpoint").stringValue()).isEqualTo("http://127.0.0.1:8089/sandbox/oidc/token");
            assertThat(document.path("jwks_uri").stringValue()).isEqualTo("http://127.0.0.1:8089/.well-known/jwks.json");
            assertThat(strings(document.path("response_types_supported"))).containsExactly("code");
            assertThat(strings(document.path("grant_types_supported"))).containsExactly("authorization_code");
            assertThat(strings(document.path("code_challenge_methods_supported"))).containsExactly("S256");
            assertThat(strings(document.path("scopes_supported"))).containsExactly("openid", "profile");
            assertThat(strings(document.path("subject_types_supported"))).containsExactly("public");
            assertThat(strings(document.path("id_token_signing_alg_values_supported"))).containsExactly("RS256");
        }
    }

    @Test
    void shouldShowASignInFormWithLabelledControlsForAValidRequest() {
        // When the console sends the agent to the authorization endpoint
        EntityExchangeResult<String> page = client.get().uri(authorizeUri(authorizationRequest("s-1")))
                .exchange()
                .expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(MediaType.TEXT_HTML)
                .expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "no-store")
                .expectBody(String.class).returnResult();
        String html = page.getResponseBody();

        // Then it is a form posting back to the endpoint, each control labelled, usable on a phone
        assertThat(html).contains("<html lang=\"en\">", "name=\"viewport\" content=\"width=device-width",
                "<form method=\"post\" action=\"/sandbox/oidc/authorize\">",
                "<label for=\"agentId\">", "<input type=\"text\" id=\"agentId\" name=\"agentId\"",
                "<label for=\"tenantId\">", "<input type=\"text\" id=\"tenantId\" name=\"tenantId\"",
                "<label for=\"role\">", "<select id=\"role\" name=\"role\"",
                "<option value=\"agent\" selected>", "<option value=\"supervisor\">",
                "<button type=\"submit\" id=\"sign-in\">");
        assertThat(page.getResponseHeaders().getFirst("Content-Security-Policy")).contains("frame-ancestors 'none'");
        // And the request travels in the form, unchanged
        assertThat(hiddenFields(html)).containsEntry("client_id", CLIENT).containsEntry("redirect_uri", REDIRECT)
                .containsEntry("state", "s-1").containsEntry("code_challenge", challenge(verifier))
                .containsEntry("code_challenge_method", "S256").containsEntry("nonce", "nonce-s-1");
    }

    @Test
    void shouldSignInAndExchangeTheCodeForTokensTheGatewayAccepts() throws Exception {
        // Given the agent signs in on the page
        Map<String, String> redirect = signIn("state with spaces & +", "agent-7", "demo", "agent");

        // Then the browser goes back to the console with a code and the same state
        assertThat(redirect).containsEntry("state", "state with spaces & +").containsKey("code");

        // When the console exchanges the code with its verifier
        JsonNode tokens = exchange(redirect.get("code"), verifier)
                .expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.CACHE_CONTROL, "no-store")
                .expectBody(JsonNode.class).returnResult().getResponseBody();

        // Then the access token is the sandbox's agent token, valid against the JWKS for the gateway
        assertThat(tokens.path("token_type").stringValue()).isEqualTo("Bearer");
        assertThat(tokens.path("expires_in").longValue()).isEqualTo(3600);
        assertThat(tokens.path("scope").stringValue()).isEqualTo("openid profile");
        JWTClaimsSet access = validate(tokens.path("access_token").stringValue(), "answerline-gateway");
        assertThat(access.getSubject()).isEqualTo("agent-7");
        assertThat(access.getStringClaim("tenant_id")).isEqualTo("demo");
        assertThat(access.getStringListClaim("roles")).containsExactly("agent");
        assertThat(access.getExpirationTime().toInstant())
                .isEqualTo(Instant.ofEpochSecond(clock.instant().getEpochSecond()).plus(Duration.ofHours(1)));
        // the same claims as a token of POST /sandbox/tokens
        assertThat(access.getClaims().keySet()).isEqualTo(tokenOfTheTokensEndpoint().getClaims().keySet());

        // And the ID token is for the console, with the nonce of its request
        JWTClaimsSet id = validate(tokens.path("id_token").stringValue(), CLIENT);
        assertThat(id.getSubject()).isEqualTo("agent-7");
        assertThat(id.getStringClaim("nonce")).isEqualTo("nonce-state with spaces & +");
        assertThat(id.getStringClaim("tenant_id")).isEqualTo("demo");
        assertThat(id.getLongClaim("auth_time")).isEqualTo(clock.instant().getEpochSecond());
    }

    @Test
    void shouldGiveASupervisorTheAgentRoleToo() throws Exception {
        Map<String, String> redirect = signIn("s-2", "sue", "demo", "supervisor");

        JsonNode tokens = exchange(redirect.get("code"), verifier).expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();

        assertThat(validate(tokens.path("access_token").stringValue(), "answerline-gateway")
                .getStringListClaim("roles")).containsExactly("agent", "supervisor");
    }

    @Test
    void shouldRefuseAWrongVerifierAndSpendTheCode() {
        // Given a code
        String code = signIn("s-3", "agent-7", "demo", "agent").get("code");

        // When someone without the verifier tries it
        assertOAuthError(exchange(code, randomVerifier()), "invalid_grant");

        // Then the code is spent, for the console too
        assertOAuthError(exchange(code, verifier), "invalid_grant");
    }

    @Test
    void shouldRefuseACodeUsedTwice() {
        String code = signIn("s-4", "agent-7", "demo", "agent").get("code");
        exchange(code, verifier).expectStatus().isOk();

        assertOAuthError(exchange(code, verifier), "invalid_grant");
    }

    @Test
    void shouldRefuseACodeOlderThanSixtySeconds() {
        // Given a code, and a console that comes back 61 seconds later
        String code = signIn("s-5", "agent-7", "demo", "agent").get("code");
        clock.advance(Duration.ofSeconds(61));

        // Then
        assertOAuthError(exchange(code, verifier), "invalid_grant");
    }

    @Test
    void shouldRefuseAnotherRedirectUriOrClientAtTheTokenEndpoint() {
        String code = signIn("s-6", "agent-7", "demo", "agent").get("code");
        MultiValueMap<String, String> form = tokenForm(code, verifier);
        form.set("redirect_uri", "http://127.0.0.1:8081/elsewhere/");
        assertOAuthError(postToken(form), "invalid_grant");

        form = tokenForm(signIn("s-7", "agent-7", "demo", "agent").get("code"), verifier);
        form.set("client_id", "someone-else");
        assertOAuthError(postToken(form), "invalid_client");
    }

    @Test
    void shouldRefuseATokenRequestWithoutVerifierOrOfAnotherGrantType() {
        String code = signIn("s-8", "agent-7", "demo", "agent").get("code");
        MultiValueMap<String, String> form = tokenForm(code, verifier);
        form.remove("code_verifier");
        assertOAuthError(postToken(form), "invalid_request");

        form = tokenForm(code, verifier);
        form.set("grant_type", "password");
        assertOAuthError(postToken(form), "unsupported_grant_type");

        assertOAuthError(client.post().uri(OidcController.TOKEN).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"grant_type\":\"authorization_code\"}").exchange(), "invalid_request");
    }

    @Test
    void shouldAnswer400WithoutRedirectingForAnUnregisteredRedirectUriOrClient() {
        Map<String, String> unregistered = authorizationRequest("s-9");
        unregistered.put("redirect_uri", "https://evil.example/console/");
        Map<String, String> unknownClient = authorizationRequest("s-9");
        unknownClient.put("client_id", "unknown");
        Map<String, String> prefixOnly = authorizationRequest("s-9");
        prefixOnly.put("redirect_uri", REDIRECT + "evil");

        for (Map<String, String> request : List.of(unregistered, unknownClient, prefixOnly)) {
            // the page
            client.get().uri(authorizeUri(request)).exchange()
                    .expectStatus().isBadRequest()
                    .expectHeader().doesNotExist(HttpHeaders.LOCATION)
                    .expectBody(String.class).value(html -> assertThat(html).contains("Sign-in request refused"));
            // and its form, posted anyway
            MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
            request.forEach(form::add);
            form.add("agentId", "agent-7");
            form.add("tenantId", "demo");
            form.add("role", "agent");
            client.post().uri(OidcController.AUTHORIZE).body(BodyInserters.fromFormData(form)).exchange()
                    .expectStatus().isBadRequest()
                    .expectHeader().doesNotExist(HttpHeaders.LOCATION);
        }
    }

    @Test
    void shouldSendARequestWithoutS256PkceBackToTheConsoleAsInvalidRequest() {
        Map<String, String> noChallenge = authorizationRequest("s-10");
        noChallenge.remove("code_challenge");
        noChallenge.remove("code_challenge_method");
        Map<String, String> plain = authorizationRequest("s-10");
        plain.put("code_challenge", verifier);
        plain.put("code_challenge_method", "plain");

        for (Map<String, String> request : List.of(noChallenge, plain)) {
            URI location = client.get().uri(authorizeUri(request)).exchange()
                    .expectStatus().isFound()
                    .returnResult(Void.class).getResponseHeaders().getLocation();

            assertThat(location.toString()).startsWith(REDIRECT + "?");
            assertThat(query(location)).containsEntry("error", "invalid_request").containsEntry("state", "s-10")
                    .doesNotContainKey("code");
        }
    }

    @Test
    void shouldShowTheFormAgainWithTheProblemWhenTheAgentIdIsMissing() {
        // Given the sign-in page
        Map<String, String> fields = hiddenFields(page(authorizationRequest("s-11")));

        // When the agent signs in without an id
        MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        fields.forEach(form::add);
        form.add("agentId", "  ");
        form.add("tenantId", "demo");
        form.add("role", "supervisor");
        String html = client.post().uri(OidcController.AUTHORIZE).body(BodyInserters.fromFormData(form)).exchange()
                .expectStatus().isBadRequest()
                .expectHeader().doesNotExist(HttpHeaders.LOCATION)
                .expectBody(String.class).returnResult().getResponseBody();

        // Then the page says so at the field, keeps what was typed, and still carries the request
        assertThat(html).contains("role=\"alert\"", "aria-describedby=\"agentId-hint agentId-problem\" aria-invalid=\"true\"",
                "<p class=\"problem\" id=\"agentId-problem\">Enter your agent id.</p>", "value=\"demo\"",
                "<option value=\"supervisor\" selected>");
        assertThat(hiddenFields(html)).isEqualTo(fields);
    }

    @Test
    void shouldEscapeTheRequestInThePage() {
        String html = page(authorizationRequest("\"><script>alert(1)</script>"));

        assertThat(html).doesNotContain("<script>").contains("&lt;script&gt;");
        assertThat(hiddenFields(html)).containsEntry("state", "\"><script>alert(1)</script>");
    }

    @Test
    void shouldLetTheConsoleOriginReadDiscoveryAndJwksAndCallTheTokenEndpoint() {
        // CORS compares the Origin with the request's own: requests to the sandbox's address, as a browser's are
        WebTestClient client = this.client.mutate().baseUrl("http://127.0.0.1:8089").build();
        for (String path : List.of("/.well-known/openid-configuration", "/sandbox/.well-known/openid-configuration",
                "/.well-known/jwks.json")) {
            client.get().uri(path).header(HttpHeaders.ORIGIN, CONSOLE).exchange()
                    .expectStatus().isOk()
                    .expectHeader().valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, CONSOLE);
            client.get().uri(path).header(HttpHeaders.ORIGIN, "https://evil.example").exchange()
                    .expectStatus().isForbidden();
        }
        client.method(HttpMethod.OPTIONS).uri(OidcController.TOKEN)
                .header(HttpHeaders.ORIGIN, CONSOLE)
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_METHOD, "POST")
                .header(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS, "content-type")
                .exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, CONSOLE);
        String code = signIn("s-12", "agent-7", "demo", "agent").get("code");
        client.post().uri(OidcController.TOKEN).header(HttpHeaders.ORIGIN, CONSOLE)
                .body(BodyInserters.fromFormData(tokenForm(code, verifier))).exchange()
                .expectStatus().isOk()
                .expectHeader().valueEquals(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, CONSOLE);
    }

    // --- the browser's and the console's steps ---

    private Map<String, String> authorizationRequest(String state) {
        Map<String, String> request = new LinkedHashMap<>();
        request.put("response_type", "code");
        request.put("client_id", CLIENT);
        request.put("redirect_uri", REDIRECT);
        request.put("scope", "openid profile");
        request.put("state", state);
        request.put("code_challenge", challenge(verifier));
        request.put("code_challenge_method", "S256");
        request.put("nonce", "nonce-" + state);
        return request;
    }

    private static URI authorizeUri(Map<String, String> request) {
        UriComponentsBuilder uri = UriComponentsBuilder.fromPath(OidcController.AUTHORIZE);
        request.forEach((name, value) -> uri.queryParam(name, "{" + name + "}"));
        return uri.encode().buildAndExpand(request).toUri();
    }

    private String page(Map<String, String> request) {
        return client.get().uri(authorizeUri(request)).exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody();
    }

    /** Opens the page, fills it in and submits it as a browser does; the parameters of the redirect. */
    private Map<String, String> signIn(String state, String agentId, String tenantId, String role) {
        MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        hiddenFields(page(authorizationRequest(state))).forEach(form::add);
        form.add("agentId", agentId);
        form.add("tenantId", tenantId);
        form.add("role", role);
        URI location = client.post().uri(OidcController.AUTHORIZE).body(BodyInserters.fromFormData(form)).exchange()
                .expectStatus().isFound()
                .returnResult(Void.class).getResponseHeaders().getLocation();
        assertThat(location.toString()).startsWith(REDIRECT + "?");
        return query(location);
    }

    private WebTestClient.ResponseSpec exchange(String code, String codeVerifier) {
        return postToken(tokenForm(code, codeVerifier));
    }

    private static MultiValueMap<String, String> tokenForm(String code, String codeVerifier) {
        MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
        form.add("grant_type", "authorization_code");
        form.add("code", code);
        form.add("redirect_uri", REDIRECT);
        form.add("client_id", CLIENT);
        form.add("code_verifier", codeVerifier);
        return form;
    }

    private WebTestClient.ResponseSpec postToken(MultiValueMap<String, String> form) {
        return client.post().uri(OidcController.TOKEN).body(BodyInserters.fromFormData(form)).exchange();
    }

    private static void assertOAuthError(WebTestClient.ResponseSpec response, String error) {
        response.expectStatus().isBadRequest()
                .expectBody()
                .jsonPath("$.error").isEqualTo(error)
                .jsonPath("$.error_description").isNotEmpty();
    }

    /** As the gateway does: signature against the JWKS, issuer, audience, expiry, required claims. */
    private JWTClaimsSet validate(String token, String audience) throws Exception {
        JWKSet jwks = JWKSet.parse(client.get().uri("/.well-known/jwks.json").exchange()
                .expectBody(String.class).returnResult().getResponseBody());
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256, new ImmutableJWKSet<>(jwks)));
        processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(audience,
                new JWTClaimsSet.Builder().issuer(ISSUER).build(), Set.of("sub", "exp", "iat", "tenant_id", "roles")));
        return processor.process(token, null);
    }

    private JWTClaimsSet tokenOfTheTokensEndpoint() throws Exception {
        JsonNode answer = client.post().uri("/sandbox/tokens").contentType(MediaType.APPLICATION_JSON)
                .bodyValue("{\"agentId\":\"agent-7\",\"tenantId\":\"demo\"}").exchange()
                .expectStatus().isOk()
                .expectBody(JsonNode.class).returnResult().getResponseBody();
        return SignedJWT.parse(answer.path("token").stringValue()).getJWTClaimsSet();
    }

    private JsonNode getJson(String path) {
        return json.readTree(client.get().uri(path).exchange()
                .expectStatus().isOk()
                .expectBody(String.class).returnResult().getResponseBody());
    }

    private static List<String> strings(JsonNode array) {
        return array.valueStream().map(JsonNode::stringValue).toList();
    }

    private static Map<String, String> hiddenFields(String html) {
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher matcher = HIDDEN.matcher(html);
        while (matcher.find()) {
            fields.put(matcher.group(1), HtmlUtils.htmlUnescape(matcher.group(2)));
        }
        return fields;
    }

    /** The query as the console's URLSearchParams reads it. */
    private static Map<String, String> query(URI location) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : location.getRawQuery().split("&")) {
            String[] nameValue = pair.split("=", 2);
            parameters.put(URLDecoder.decode(nameValue[0], UTF_8), URLDecoder.decode(nameValue[1], UTF_8));
        }
        return parameters;
    }

    private static String randomVerifier() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String challenge(String verifier) {
        return com.answerline.sandbox.identity.CodeChallenge.of(verifier).value();
    }
}
