package com.answerline.session.config;

import java.io.IOException;
import java.time.Clock;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;

import tools.jackson.databind.json.JsonMapper;

import com.answerline.platform.security.AgentTokens;

/**
 * Only agents reach the conversations: every {@code /api/**} call carries the agent's bearer JWT, relayed by the
 * gateway (token relay: the agent's identity and tenant reach the service holding the data; no second credential,
 * no certificate authority; a foothold in the pod network grants nothing without a live token). Checked as the
 * gateway checks it ({@link AgentTokens}: JWKS signature, issuer, audience, exp/nbf, exp, sub and tenant_id
 * required); the controllers take the tenant from the token. 401 with problem details otherwise.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

    @Bean
    SecurityFilterChain apiSecurity(HttpSecurity http, JwtDecoder decoder, JsonMapper json) {
        AuthenticationEntryPoint refused = problemEntryPoint(json);
        return http
                .csrf(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> requests
                        // Actuator is served on the management port only (application.yml); this chain guards that
                        // port too, hence the permit. The API port maps nothing under /actuator (404).
                        .requestMatchers("/actuator/**").permitAll()
                        // Spring's error page for what the rules let through (a 404 stays a 404, not a 401).
                        .dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
                        .requestMatchers("/api/**").authenticated()
                        .anyRequest().denyAll())
                .oauth2ResourceServer(oauth -> oauth
                        .authenticationEntryPoint(refused)
                        .jwt(jwt -> jwt.decoder(decoder).jwtAuthenticationConverter(AgentTokens.authentication())))
                .exceptionHandling(errors -> errors.authenticationEntryPoint(refused))
                .build();
    }

    @Bean
    JwtDecoder jwtDecoder(SessionServiceProperties properties, Clock clock) {
        return AgentTokens.decoder(properties.jwt(), clock);
    }

    /** Spring's answer (401, WWW-Authenticate naming the error) with RFC 9457 problem details as the body. */
    private static AuthenticationEntryPoint problemEntryPoint(JsonMapper json) {
        BearerTokenAuthenticationEntryPoint bearer = new BearerTokenAuthenticationEntryPoint();
        return (request, response, refusal) -> {
            bearer.commence(request, response, refusal);
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            writeBody(response, json.writeValueAsBytes(AgentTokens.refusal(refusal)));
        };
    }

    private static void writeBody(HttpServletResponse response, byte[] body) throws IOException {
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
