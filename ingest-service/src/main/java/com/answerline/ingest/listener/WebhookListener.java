package com.answerline.ingest.listener;

import java.time.Duration;

import java.util.function.Consumer;
import java.util.function.Supplier;

import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.Shutdown;
import org.springframework.boot.web.server.WebServer;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.http.server.reactive.HttpHandler;
import reactor.netty.resources.LoopResources;

/**
 * A second HTTP listener for the providers' webhooks, on event loops of its own: a bulkhead. Meta redelivers a
 * backlog as fast as it can after an outage of ours (and Twilio retries); on one listener those webhooks fill the
 * event loops every request shares, and an agent's read waits in the same queue (measured in docs/benchmarks.md: a
 * thread read p99 of 470 ms while webhooks arrived at full speed). Here the webhooks queue on their own loops, and the
 * main listener's loops, which serve the agents and the console, stay free for them.
 *
 * <p>It serves the application's one {@link HttpHandler} (the same filters, security chains, controllers and
 * observations as the main listener); {@link ListenerPaths} keeps each listener to its own paths. Built with Spring
 * Boot's own Netty server factory, with the main listener's settings ({@code server.netty.*}, the header size limit,
 * the application's {@code NettyServerCustomizer}s), bound to {@code server.address}, shut down gracefully with the
 * application.
 * Spring Boot has no notion of a second application port (only the management one), hence this small class.
 */
public final class WebhookListener implements SmartLifecycle {

    private final Supplier<HttpHandler> handler;
    private final NettyReactiveWebServerFactory factory;
    private final ReactorResourceFactory loops = new ReactorResourceFactory();
    private volatile WebServer server;

    /**
     * @param handler   the application's handler, resolved at start (it is built from the filters, one of which,
     *                  {@link ListenerPaths}, needs this listener)
     * @param address   the address to bind (the main listener's {@code server.address}), null for all
     * @param port      the port, 0 for any free one
     * @param ioThreads the event-loop threads of this listener alone
     * @param settings  applies the main listener's settings to this listener's factory
     */
    public WebhookListener(Supplier<HttpHandler> handler, java.net.InetAddress address, int port, int ioThreads,
                           Consumer<NettyReactiveWebServerFactory> settings) {
        this.handler = handler;
        loops.setUseGlobalResources(false);
        loops.setLoopResourcesSupplier(() -> LoopResources.create("ingest-webhooks", ioThreads, true));
        loops.setShutdownQuietPeriod(Duration.ZERO);
        this.factory = new NettyReactiveWebServerFactory(port);
        settings.accept(factory);
        factory.setAddress(address);
        factory.setShutdown(Shutdown.GRACEFUL);
        factory.setResourceFactory(loops);
    }

    @Override
    public void start() {
        loops.start();
        WebServer started = factory.getWebServer(handler.get());
        started.start();
        server = started;
    }

    /** Stops taking webhooks, lets those in flight finish (a 200 means "on Kafka"), then frees the loops. */
    @Override
    public void stop(Runnable callback) {
        WebServer running = server;
        if (running == null) {
            loops.stop();
            callback.run();
            return;
        }
        running.shutDownGracefully(result -> {
            running.stop();
            server = null;
            loops.stop();
            callback.run();
        });
    }

    @Override
    public void stop() {
        WebServer running = server;
        if (running != null) {
            running.stop();
            server = null;
        }
        loops.stop();
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }

    /** The bound port (the configured one, or the one picked for 0); -1 while stopped. */
    public int port() {
        WebServer running = server;
        return running == null ? -1 : running.getPort();
    }
}
