package com.answerline.ingest.console;

import java.net.URI;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.header.ReferrerPolicyServerHttpHeadersWriter.ReferrerPolicy;
import org.springframework.security.web.server.header.XFrameOptionsServerHttpHeadersWriter.Mode;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import com.answerline.ingest.config.SecurityConfig;

/**
 * The agents' web console: static files (HTML, CSS, JavaScript modules; no build step) from {@code classpath:console/}
 * at {@code /console/}, and {@code /console/config.json}. All of it is public: the console holds no data, it signs
 * the agent in with the OpenID Connect provider and then calls {@code /api/v1} with the agent's bearer token, which
 * the API checks as for any other client.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleConfiguration {

    static final String PATH = "/console/";

    @Bean
    RouterFunction<ServerResponse> consoleRoutes(ConsoleProperties properties) {
        Resource index = new ClassPathResource("console/index.html");
        ConsoleConfigView config = ConsoleConfigView.of(properties);
        return RouterFunctions.route()
                .GET("/console", request -> ServerResponse.permanentRedirect(URI.create(PATH)).build())
                .GET(PATH, request -> ServerResponse.ok().contentType(MediaType.TEXT_HTML).bodyValue(index))
                .GET(PATH + "config.json", request -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON)
                        .bodyValue(config))
                .add(RouterFunctions.resources(PATH + "**", new ClassPathResource("console/")))
                .build();
    }

    /**
     * Reads of the console pass without a token (other methods fall through to the API's chain, which refuses them),
     * with the browser-facing headers the API does not need: the CSP of {@link ConsoleHeaders}, no framing, no
     * MIME sniffing, no Referer (a conversation id in a URL is a customer's number). Spring Security's default
     * {@code Cache-Control: no-store} stays: the files are small and always the deployed version.
     */
    @Bean
    @Order(Ordered.HIGHEST_PRECEDENCE + 1)
    SecurityWebFilterChain consoleWebFilterChain(ServerHttpSecurity http, ConsoleProperties properties) {
        return SecurityConfig.withoutSessions(http)
                .securityMatcher(ServerWebExchangeMatchers.pathMatchers(HttpMethod.GET, "/console", PATH + "**"))
                .headers(headers -> headers
                        .contentSecurityPolicy(csp -> csp.policyDirectives(
                                ConsoleHeaders.contentSecurityPolicy(properties.issuerOrigin())))
                        .frameOptions(frame -> frame.mode(Mode.DENY))
                        .referrerPolicy(referrer -> referrer.policy(ReferrerPolicy.NO_REFERRER))
                        .contentTypeOptions(Customizer.withDefaults()))
                .authorizeExchange(exchanges -> exchanges.anyExchange().permitAll())
                .build();
    }
}
