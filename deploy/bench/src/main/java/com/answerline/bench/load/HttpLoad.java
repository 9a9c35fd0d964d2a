package com.answerline.bench.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpMethod;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * The one load generator of the harness: HTTP/1.1 keep-alive over a fixed pool of connections to 127.0.0.1
 * (Reactor Netty, so the generator spends little CPU per request on a machine it shares with the system under
 * test). Two models:
 * <ul>
 *   <li><b>open</b> ({@link #open}): requests start at a target rate whatever the answers do, and each latency is
 *       measured from the request's <em>intended</em> start, so a stall shows in the percentiles instead of
 *       hiding as fewer requests (no coordinated omission);</li>
 *   <li><b>closed</b> ({@link #closed}): a fixed number of requests in flight, each answer starting the next: full
 *       speed.</li>
 * </ul>
 * The same generator drives the services and the no-op baseline server, so their figures compare.
 */
public final class HttpLoad implements AutoCloseable {

    /** One request: a POST (or GET when {@code body} is null) with its headers. */
    public record Request(String uri, Map<String, String> headers, byte[] body) {
    }

    /** Makes the {@code sequence}-th request of a run (0-based); called from one thread at a time. */
    @FunctionalInterface
    public interface RequestSource {
        Request next(long sequence);
    }

    /** Called with each answer (sequence, status or -1 for a transport error); may be null. */
    @FunctionalInterface
    public interface AnswerListener {
        void answered(long sequence, int status);
    }

    private static final int MAX_ERROR_SAMPLES = 5;

    private final ConnectionProvider pool;
    private final LoopResources loops;
    private final HttpClient client;
    private final Duration drainTimeout;

    /**
     * @param connections  keep-alive connections at most (also the concurrency ceiling of the open model)
     * @param ioThreads    Netty event-loop threads of the generator
     * @param timeout      a request not answered within this counts as a transport error
     */
    public HttpLoad(int connections, int ioThreads, Duration timeout) {
        this.pool = ConnectionProvider.builder("bench-load")
                .maxConnections(connections)
                .pendingAcquireMaxCount(-1)
                .pendingAcquireTimeout(timeout.multipliedBy(6))
                .build();
        this.loops = LoopResources.create("bench-load", ioThreads, true);
        this.client = HttpClient.create(pool).runOn(loops).responseTimeout(timeout).keepAlive(true).compress(false);
        this.drainTimeout = timeout.multipliedBy(7);
    }

    /** {@code count} requests at {@code ratePerSecond}, latency from each request's intended start. */
    public LoadResult open(String name, RequestSource source, int ratePerSecond, long count, AnswerListener listener) {
        if (ratePerSecond <= 0) {
            throw new IllegalArgumentException("rate must be positive");
        }
        Run run = new Run(count, listener);
        long intervalNanos = 1_000_000_000L / ratePerSecond;
        long start = System.nanoTime();
        for (long i = 0; i < count; i++) {
            long intended = start + i * intervalNanos;
            long wait = intended - System.nanoTime();
            if (wait > 50_000) {
                LockSupport.parkNanos(wait);
            }
            run.fire(i, source.next(i), intended);
        }
        return run.await(name, ratePerSecond, 0, start);
    }

    /** {@code count} requests with {@code concurrency} in flight at all times: full speed. */
    public LoadResult closed(String name, RequestSource source, int concurrency, long count, AnswerListener listener) {
        Run run = new Run(count, listener);
        AtomicLong nextSequence = new AtomicLong();
        long start = System.nanoTime();
        Object sourceLock = new Object();
        Runnable[] worker = new Runnable[1];
        worker[0] = () -> {
            long sequence = nextSequence.getAndIncrement();
            if (sequence >= count) {
                return;
            }
            Request request;
            synchronized (sourceLock) {
                request = source.next(sequence);
            }
            run.fire(sequence, request, System.nanoTime(), worker[0]);
        };
        for (int i = 0; i < Math.min(concurrency, count); i++) {
            worker[0].run();
        }
        return run.await(name, 0, concurrency, start);
    }

    /** One request now, answered with its status (-1 on a transport error); for setup and checks. */
    public int send(Request request) {
        Integer status = call(request).onErrorReturn(-1).block(drainTimeout);
        return status == null ? -1 : status;
    }

    /** An answer with its body. */
    public record Answer(int status, String body) {
    }

    /** One request, answered with its status and body; errors (refused, reset, timed out) as the Mono's error. */
    public Mono<Answer> exchange(Request request) {
        HttpMethod method = request.body() == null ? HttpMethod.GET : HttpMethod.POST;
        return client.request(method).uri(request.uri())
                .send((outbound, out) -> {
                    request.headers().forEach(outbound::header);
                    return request.body() == null ? out : out.send(Mono.just(Unpooled.wrappedBuffer(request.body())));
                })
                .responseSingle((response, body) -> body.asString()
                        .map(text -> new Answer(response.status().code(), text))
                        .defaultIfEmpty(new Answer(response.status().code(), "")));
    }

    /** One request answered with its status; errors (refused, reset, timed out) as the Mono's error. */
    public Mono<Integer> call(Request request) {
        HttpMethod method = request.body() == null ? HttpMethod.GET : HttpMethod.POST;
        return client.request(method).uri(request.uri())
                .send((outbound, out) -> {
                    request.headers().forEach(outbound::header);
                    return request.body() == null ? out : out.send(Mono.just(Unpooled.wrappedBuffer(request.body())));
                })
                .responseSingle((response, body) -> body.then(Mono.fromSupplier(() -> response.status().code()))
                        .defaultIfEmpty(response.status().code()));
    }

    /**
     * Whether a request failed because it waited for one of the generator's connections longer than it allows, so was
     * never sent. Reactor Netty's pool shades reactor-pool, so its acquire timeout is known by name only.
     */
    public static boolean waitedForAConnection(Throwable error) {
        return error.getClass().getSimpleName().equals("PoolAcquireTimeoutException");
    }

    /** Closes the connections and the event loops; requests still in flight are abandoned. */
    @Override
    public void close() {
        pool.dispose();
        loops.disposeLater(Duration.ZERO, Duration.ofSeconds(2)).subscribe();
    }

    /** The bookkeeping of one run. */
    private final class Run {

        private final long count;
        private final AnswerListener listener;
        private final CountDownLatch done;
        private final Latencies latencies = new Latencies();
        private final Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        private final AtomicLong transportErrors = new AtomicLong();
        private final AtomicLong notSent = new AtomicLong();
        private final List<String> errorSamples = Collections.synchronizedList(new ArrayList<>());
        private final AtomicLong lastAnswer = new AtomicLong();

        Run(long count, AnswerListener listener) {
            this.count = count;
            this.listener = listener;
            this.done = new CountDownLatch((int) count);
        }

        void fire(long sequence, Request request, long startedAt) {
            fire(sequence, request, startedAt, null);
        }

        void fire(long sequence, Request request, long startedAt, Runnable then) {
            call(request).subscribe(
                    status -> answered(sequence, status, startedAt, then),
                    error -> {
                        if (waitedForAConnection(error)) {
                            // Waited for a connection longer than the generator allows: never sent (the offered
                            // load is above what the server answers, and the generator's queue gave up).
                            notSent.incrementAndGet();
                        } else {
                            transportErrors.incrementAndGet();
                        }
                        if (errorSamples.size() < MAX_ERROR_SAMPLES) {
                            errorSamples.add(error.toString());
                        }
                        answered(sequence, -1, startedAt, then);
                    });
        }

        private void answered(long sequence, int status, long startedAt, Runnable then) {
            long now = System.nanoTime();
            latencies.recordNanos(now - startedAt);
            if (status >= 0) {
                statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
            }
            if (listener != null) {
                listener.answered(sequence, status);
            }
            lastAnswer.accumulateAndGet(now, Math::max);
            done.countDown();
            if (then != null) {
                then.run();
            }
        }

        LoadResult await(String name, int rate, int concurrency, long start) {
            // Every request gets its answer or a transport error by itself (the response and pool timeouts), so
            // this waits for all of them as long as answers keep coming: a run longer than the drain timeout is a
            // slow run, not an unanswered one. It gives up when nothing was answered for the drain timeout.
            try {
                long waitingSince = System.nanoTime();
                while (!done.await(1, TimeUnit.SECONDS)) {
                    if (System.nanoTime() - Math.max(lastAnswer.get(), waitingSince) > drainTimeout.toNanos()) {
                        errorSamples.add(done.getCount() + " request(s) still unanswered " + drainTimeout
                                + " after the last answer");
                        break;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Map<Integer, Long> counts = new java.util.HashMap<>();
            statuses.forEach((status, n) -> counts.put(status, n.get()));
            long end = Math.max(lastAnswer.get(), start);
            long unanswered = done.getCount();
            return new LoadResult(name, rate, concurrency, count, counts, transportErrors.get() + unanswered,
                    notSent.get(), errorSamples, latencies, Duration.ofNanos(end - start));
        }
    }
}
