package com.answerline.dispatch.config;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.oauth2.server.resource.web.server.BearerTokenServerAuthenticationEntryPoint;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import reactor.core.publisher.Mono;

import tools.jackson.databind.json.JsonMapper;

import com.answerline.platform.security.AgentTokens;

/**
 * Only agents reach the channel preview: every {@code /api/**} call carries the agent's bearer JWT, relayed by the
 * gateway (token relay: no second credential, no certificate authority; a foothold in the pod network grants nothing
 * without a live token), checked as the gateway checks it ({@link AgentTokens}); the preview takes the tenant from the
 * token. 401 with problem details otherwise.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfig {

    /**
     * The role (the token's {@code roles} claim) of the people who may see and lift Direct Send refusals on the
     * management port ({@code /actuator/directsend}): a token of the agents' identity provider with role
     * {@value #OPERATOR_ROLE}, checked like every agent token.
     */
    public static final String OPERATOR_ROLE = "operator";

    @Bean
    SecurityWebFilterChain apiSecurity(ServerHttpSecurity http, ReactiveJwtDecoder decoder, JsonMapper json) {
        ServerAuthenticationEntryPoint refused = problemEntryPoint(json);
        return http
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .authorizeExchange(exchanges -> exchanges
                        // Actuator is served on the management port only (application.yml); this chain guards that
                        // port too, hence the permit. The API port maps nothing under /actuator (404).
                        // Except the operators' Direct Send endpoint (management port too): an operator's token.
                        .pathMatchers("/actuator/directsend", "/actuator/directsend/**").hasRole(OPERATOR_ROLE)
                        .pathMatchers("/actuator/**").permitAll()
                        .pathMatchers("/api/**").authenticated()
                        .anyExchange().denyAll())
                .oauth2ResourceServer(oauth -> oauth
                        .authenticationEntryPoint(refused)
                        .jwt(jwt -> jwt.jwtDecoder(decoder).jwtAuthenticationConverter(AgentTokens.reactiveAuthentication())))
                .exceptionHandling(errors -> errors.authenticationEntryPoint(refused))
                .build();
    }

    @Bean
    ReactiveJwtDecoder jwtDecoder(DispatchProperties properties, Clock clock) {
        return AgentTokens.reactiveDecoder(properties.jwt(), clock);
    }

    /**
     * Spring's answer (401, WWW-Authenticate naming the error) with RFC 9457 problem details as the body: Spring
     * completes the response empty, so its completion writes the body instead.
     */
    private static ServerAuthenticationEntryPoint problemEntryPoint(JsonMapper json) {
        BearerTokenServerAuthenticationEntryPoint bearer = new BearerTokenServerAuthenticationEntryPoint();
        return (exchange, refusal) -> {
            byte[] problem = json.writeValueAsBytes(AgentTokens.refusal(refusal));
            ServerHttpResponseDecorator withBody = new ServerHttpResponseDecorator(exchange.getResponse()) {
                @Override
                public Mono<Void> setComplete() {
                    getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
                    return writeWith(Mono.just(bufferFactory().wrap(problem)));
                }
            };
            return bearer.commence(exchange.mutate().response(withBody).build(), refusal);
        };
    }
}
