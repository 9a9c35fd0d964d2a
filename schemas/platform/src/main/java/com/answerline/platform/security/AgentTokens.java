package com.answerline.platform.security;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

import org.springframework.core.convert.converter.Converter;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.oauth2.server.resource.authentication.ReactiveJwtAuthenticationConverterAdapter;
import reactor.core.publisher.Mono;

/**
 * The agents' bearer tokens, validated alike by every service that holds or serves their data: the gateway
 * (ingest-service), and session-service and dispatch-service, to which the gateway relays the agent's own token
 * (no second credential, no trust between services: each checks the token itself and takes the tenant from it).
 *
 * <p>A token is accepted only when its signature verifies against the identity provider's JWKS, its issuer and
 * audience are the configured ones, it carries {@code exp}, {@code sub} and {@code tenant_id}, and it is valid now
 * ({@code exp} and {@code nbf} with {@value #CLOCK_SKEW_SECONDS} s of clock skew). The expiry is required
 * explicitly: Spring Security's timestamp validator accepts a token without {@code exp}, which would never expire.
 * The token's {@value #ROLES_CLAIM} array becomes {@code ROLE_*} authorities.
 *
 * <p>The servlet decoder (session-service) fetches the JWKS with spring-web; the reactive one (ingest, dispatch)
 * with WebClient, which only reactive services have on their class path.
 */
public final class AgentTokens {

    public static final String TENANT_CLAIM = "tenant_id";
    public static final String ROLES_CLAIM = "roles";
    public static final String AGENT_ROLE = "agent";
    public static final long CLOCK_SKEW_SECONDS = 30;
    /** Clocks of the identity provider and this host may differ by this much (Spring's default is 60 s). */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(CLOCK_SKEW_SECONDS);

    /**
     * Where a service finds the identity provider's keys, and what the tokens it accepts must name; each service
     * has it under its own key ({@code answerline.<service>.jwt}), the same values everywhere.
     *
     * @param jwksUri  the identity provider's JSON Web Key Set
     * @param issuer   the tokens' {@code iss}
     * @param audience a value the tokens' {@code aud} must contain
     */
    public record Settings(@NotNull URI jwksUri, @NotBlank String issuer, @NotBlank String audience) {
    }

    private AgentTokens() {
    }

    /** The whole check of a decoded token (the signature is the decoder's). */
    public static OAuth2TokenValidator<Jwt> validator(Settings settings, Clock clock) {
        JwtTimestampValidator timestamps = new JwtTimestampValidator(CLOCK_SKEW);
        timestamps.setClock(clock);
        JwtClaimValidator<List<String>> audience = new JwtClaimValidator<>(JwtClaimNames.AUD,
                aud -> aud != null && aud.contains(settings.audience()));
        return new DelegatingOAuth2TokenValidator<>(AgentTokens::requiredClaims,
                new JwtIssuerValidator(settings.issuer()), audience, timestamps);
    }

    /** For a servlet service: signature by the JWKS, then {@link #validator}. */
    public static JwtDecoder decoder(Settings settings, Clock clock) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(settings.jwksUri().toString()).build();
        decoder.setJwtValidator(validator(settings, clock));
        return decoder;
    }

    /** For a reactive service: signature by the JWKS, then {@link #validator}. */
    public static ReactiveJwtDecoder reactiveDecoder(Settings settings, Clock clock) {
        NimbusReactiveJwtDecoder decoder = NimbusReactiveJwtDecoder.withJwkSetUri(settings.jwksUri().toString()).build();
        decoder.setJwtValidator(validator(settings, clock));
        return decoder;
    }

    /** The token's {@value #ROLES_CLAIM} as {@code ROLE_*} authorities; the principal's name is {@code sub}. */
    public static Converter<Jwt, AbstractAuthenticationToken> authentication() {
        JwtGrantedAuthoritiesConverter authorities = new JwtGrantedAuthoritiesConverter();
        authorities.setAuthoritiesClaimName(ROLES_CLAIM);
        authorities.setAuthorityPrefix("ROLE_");
        JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
        converter.setJwtGrantedAuthoritiesConverter(authorities);
        return converter;
    }

    /** {@link #authentication()} for a reactive service. */
    public static Converter<Jwt, Mono<AbstractAuthenticationToken>> reactiveAuthentication() {
        return new ReactiveJwtAuthenticationConverterAdapter(authentication());
    }

    /** The tenant the token's agent works for; never null for a token {@link #validator} accepted. */
    public static String tenantOf(Jwt token) {
        return token.getClaimAsString(TENANT_CLAIM);
    }

    /**
     * The body of a 401 (RFC 9457 problem details, beside the {@code WWW-Authenticate} header Spring Security sets): no
     * token, or why the token was refused (a missing claim, expired, wrong audience...; never the token itself).
     */
    public static ProblemDetail refusal(AuthenticationException refused) {
        String detail = refused instanceof OAuth2AuthenticationException invalid && invalid.getError() != null
                && invalid.getError().getDescription() != null
                ? invalid.getError().getDescription() : "a bearer token of an agent is required";
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED, detail);
        problem.setTitle("Unauthorized");
        problem.setType(URI.create("urn:answerline:problem:unauthorized"));
        return problem;
    }

    /** exp, sub and tenant_id present (the last two non-blank strings), each missing one named. */
    private static OAuth2TokenValidatorResult requiredClaims(Jwt token) {
        List<OAuth2Error> missing = new ArrayList<>();
        if (token.getExpiresAt() == null) {
            missing.add(missing(JwtClaimNames.EXP));
        }
        if (blank(token.getClaims().get(JwtClaimNames.SUB))) {
            missing.add(missing(JwtClaimNames.SUB));
        }
        if (blank(token.getClaims().get(TENANT_CLAIM))) {
            missing.add(missing(TENANT_CLAIM));
        }
        return missing.isEmpty() ? OAuth2TokenValidatorResult.success() : OAuth2TokenValidatorResult.failure(missing);
    }

    private static boolean blank(Object claim) {
        return !(claim instanceof String text) || text.isBlank();
    }

    private static OAuth2Error missing(String claim) {
        return new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN, "The token has no " + claim + " claim", null);
    }
}
