package com.answerline.ingest.config;

import java.time.Clock;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;

import com.answerline.platform.security.AgentTokens;

/**
 * Agents authenticate with bearer JWTs (issuer, audience and signature checked against the JWKS); webhooks
 * are open to the network because each carries its provider's signature, checked in its controller.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfig {

    static final String AGENT_ROLE = AgentTokens.AGENT_ROLE;

    /**
     * The webhooks' chain: nothing for Spring Security to do there (no token, no session, no browser: the
     * provider's signature over the raw bytes is the authentication, checked in each controller), so no filters
     * beyond the chain's own. Measured (deploy/bench, docs/benchmarks.md): the general chain's authentication,
     * authorization and header filters cost more per webhook than parsing it.
     */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE)
    SecurityWebFilterChain webhookWebFilterChain(ServerHttpSecurity http) {
        return withoutSessions(http)
                .securityMatcher(ServerWebExchangeMatchers.pathMatchers("/webhooks/**"))
                .headers(ServerHttpSecurity.HeaderSpec::disable)
                .anonymous(ServerHttpSecurity.AnonymousSpec::disable)
                .authorizeExchange(exchanges -> exchanges.anyExchange().permitAll())
                .build();
    }

    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http, ReactiveJwtDecoder jwtDecoder) {
        // The agents' console (/console/**) has a chain of its own, before this one: ConsoleConfiguration.
        return withoutSessions(http)
                .authorizeExchange(exchanges -> exchanges
                        // Actuator lives on the management port (loopback) and exposes health and prometheus only
                        // (application.yml; IngestIT pins it). This chain also guards that port, hence the permit;
                        // on this port nothing is mapped under /actuator, so it answers 404, not 401.
                        .pathMatchers("/actuator/**").permitAll()
                        // The API description and its UI are public: they describe, they grant nothing.
                        .pathMatchers("/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**",
                                "/webjars/swagger-ui/**").permitAll()
                        // Agents and supervisors: the role rules (who may assign whom) live in the gateway's
                        // Assignments, which answers 403 with problem details.
                        .pathMatchers("/api/v1/conversations/*/assignee").authenticated()
                        .pathMatchers("/api/**").hasRole(AGENT_ROLE)
                        .anyExchange().denyAll())
                .oauth2ResourceServer(oauth -> oauth.jwt(jwt -> jwt
                        .jwtDecoder(jwtDecoder)
                        .jwtAuthenticationConverter(AgentTokens.reactiveAuthentication())))
                .build();
    }

    /**
     * Every chain here: no browser sessions or cookies (a bearer token or a provider's signature on each request), so
     * no CSRF protection (nothing to protect, and it would block webhooks), no basic or form login, no logout, and no
     * request cache. The default request cache looks in the web session on every request, and creating a session
     * (Spring's in-memory store) is done on Reactor's shared {@code boundedElastic} pool: each request, the readiness
     * checks on the management port included, waited for a free worker of a pool that Kafka sends can fill (found in
     * the long fault mode, docs/reliability.md run 12; {@code IngestIT} pins it).
     */
    public static ServerHttpSecurity withoutSessions(ServerHttpSecurity http) {
        return http
                .csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(ServerHttpSecurity.RequestCacheSpec::disable)
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance());
    }

    /**
     * The platform's one check of agents' tokens ({@link AgentTokens}: JWKS signature, issuer, audience, exp/nbf with a
     * small skew, exp, sub and tenant_id required), the same session-service and dispatch-service apply to the token
     * the gateway relays to them.
     */
    @Bean
    ReactiveJwtDecoder jwtDecoder(IngestProperties properties, Clock clock) {
        return AgentTokens.reactiveDecoder(properties.jwt(), clock);
    }
}
