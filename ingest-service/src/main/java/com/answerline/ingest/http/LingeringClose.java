package com.answerline.ingest.http;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DuplexChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;

/**
 * Closes an HTTP connection the way RFC 9112 section 9.6 asks ("lingering close"): the answer goes out, then only our
 * sending side is shut down (FIN), and what the client still sends is read and dropped until it closes, at most
 * {@link #LIMIT} later. Without it Reactor Netty closes the socket outright after the answers it gives itself with
 * {@code Connection: close} (431 for a header above the limit, 414, 400 for a request it cannot parse); with the rest
 * of that request (its body) still unread, the kernel then resets the connection instead of closing it, and a client
 * still writing sees the reset before it reads the answer (the JDK client: "HTTP/1.1 header parser received no
 * bytes"). Netty has no such handler; Tomcat and Jetty do this themselves.
 */
public final class LingeringClose extends ChannelDuplexHandler {

    /** How long a closing connection drains what its client still sends; then it is closed regardless. */
    static final Duration LIMIT = Duration.ofSeconds(5);
    static final String NAME = "answerline.lingeringClose";

    private boolean lingering;

    /** The handler first in every connection's pipeline: it sees the raw bytes first and the close last. */
    public static NettyServerCustomizer customizer() {
        return server -> server.doOnChannelInit((observer, channel, address) ->
                channel.pipeline().addFirst(NAME, new LingeringClose()));
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        Channel channel = ctx.channel();
        if (lingering || !channel.isActive() || !(channel instanceof DuplexChannel duplex) || duplex.isInputShutdown()) {
            ctx.close(promise);
            return;
        }
        lingering = true;
        // The caller's close completes when the channel does: at the client's own close, or at the deadline.
        ScheduledFuture<?> deadline = ctx.executor().schedule(() -> ctx.close(), LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        channel.closeFuture().addListener(closed -> {
            deadline.cancel(false);
            promise.trySuccess();
        });
        duplex.shutdownOutput().addListener(shutdown -> {
            if (!shutdown.isSuccess()) {
                ctx.close();
            }
        });
        channel.config().setAutoRead(true);
        ctx.read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (lingering) {
            ReferenceCountUtil.release(msg);
            return;
        }
        ctx.fireChannelRead(msg);
    }
}
