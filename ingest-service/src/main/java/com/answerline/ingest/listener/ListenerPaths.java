package com.answerline.ingest.listener;

import java.net.InetSocketAddress;

import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;
import reactor.core.publisher.Mono;

/**
 * With {@link WebhookListener} running, each listener answers its own paths only: the webhook listener
 * {@code /webhooks/**}, the main listener everything else. Anything else answers 404 before security or a controller
 * sees it, so neither side can be reached through the other's port (and an ingress or NetworkPolicy can open each
 * port to its own callers).
 */
public final class ListenerPaths implements WebFilter {

    /** Where the providers' webhooks are served: every path under it, nothing else. */
    public static final String WEBHOOKS = "/webhooks/";

    private final WebhookListener webhooks;

    public ListenerPaths(WebhookListener webhooks) {
        this.webhooks = webhooks;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        InetSocketAddress local = exchange.getRequest().getLocalAddress();
        boolean onWebhookListener = local != null && local.getPort() == webhooks.port();
        boolean webhookPath = exchange.getRequest().getPath().value().startsWith(WEBHOOKS);
        if (onWebhookListener != webhookPath) {
            return Mono.error(new ResponseStatusException(HttpStatus.NOT_FOUND,
                    onWebhookListener ? "this port serves webhooks only" : "webhooks have a port of their own"));
        }
        return chain.filter(exchange);
    }
}
