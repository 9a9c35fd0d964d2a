package com.answerline.bench.load;

import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The HTTP baseline: reads each request's body and answers 200 with nothing, on Reactor Netty (the server WebFlux
 * runs on), on 127.0.0.1. Run in its own JVM with the services' JVM options; the ratio of a service's figures to
 * this server's, under the same load generator, is what the service's own work costs.
 *
 * <p>{@code java -cp ... com.answerline.bench.load.NoopServer <port>}; prints {@code listening <port>} once bound.
 */
public final class NoopServer {

    private NoopServer() {
    }

    public static void main(String[] args) {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 0;
        DisposableServer server = HttpServer.create()
                .host("127.0.0.1")
                .port(port)
                .handle((request, response) -> request.receive().then(response.status(200).send()))
                .bindNow();
        System.out.println("listening " + server.port());
        System.out.flush();
        server.onDispose().block();
    }
}
