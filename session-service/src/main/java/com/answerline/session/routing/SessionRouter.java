package com.answerline.session.routing;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

import tools.jackson.databind.json.JsonMapper;

import com.answerline.platform.routing.StreamsRouting;
import com.answerline.session.config.SessionServiceProperties;
import com.answerline.session.query.LocalSessionQueries;
import com.answerline.session.query.LocalThreadQueries;
import com.answerline.session.query.MediaQuery;
import com.answerline.session.query.MediaReference;
import com.answerline.session.query.SessionListQuery;
import com.answerline.session.query.SessionPage;
import com.answerline.session.query.SessionStoreUnavailableException;
import com.answerline.session.query.SessionView;
import com.answerline.session.query.ThreadPage;
import com.answerline.session.query.ThreadQuery;
import com.answerline.session.topology.SessionTopology;

/**
 * Makes every instance answer for all conversations although each stores only the partitions it owns (Kafka
 * Streams interactive queries). Each instance advertises {@code application.server} (host:port of its HTTP API,
 * {@code answerline.session.streams.application-server}); Streams shares those in the group assignment.
 *
 * <ul>
 *   <li><b>One conversation</b> (its session, a page of its thread, a media reference of its thread): {@link
 *       KafkaStreams#queryMetadataForKey} names the instance whose active task owns the key. This instance answers
 *       from its store, another is asked over HTTP and its status and body are passed on unchanged (200, 404, or its
 *       own 503).</li>
 *   <li><b>A list</b> (scatter-gather): every instance in {@link KafkaStreams#metadataForAllStreamsClients()} gives
 *       its own first {@code limit} items after the cursor (this one in-process, the others over HTTP, in parallel),
 *       and {@link SessionPage#merge} keeps the first {@code limit}.</li>
 * </ul>
 *
 * <p><b>Forward once</b> (the platform's {@link StreamsRouting}, as ingest-service's reply outcomes). A forwarded
 * request carries {@value #FORWARDED_HEADER}; the receiver answers from its own store and never forwards again. During a rebalance two instances can briefly disagree about who owns a partition
 * (each acts on the assignment it last saw); if receivers forwarded too, such a pair would bounce a request between
 * them until a timeout. One hop bounds every request to two. A forwarded single read that reaches an instance
 * which no longer owns the key answers 503, not 404: "not here" is not "unknown".
 *
 * <p><b>503 rather than partial.</b> A list is only complete if every owner answered. While Streams is not RUNNING
 * (starting, restoring, rebalancing) or any instance fails to answer, a page would silently miss conversations, and
 * a client paging with a cursor could never tell: it would skip them for good. So any missing part makes the whole
 * request 503 with Retry-After, which clients already handle for a rebalance; the same holds for a single read
 * whose owner is unknown or unreachable (connection refused: the group has not yet noticed the instance is gone).
 *
 * <p><b>Credentials.</b> A forwarded read carries the agent's own Authorization header: the owner checks the token
 * and takes the tenant from it itself (no trust between instances); it goes only to an instance of the group's
 * current metadata ({@link StreamsRouting#ownerOf}), over https when {@code routing.peers.scheme} says so.
 *
 * <p><b>Standbys</b> ({@code num-standby-replicas}) keep warm copies for fail-over, but reads go to the active
 * task only: a standby may lag, and "the active answers" keeps one source of truth per key.
 *
 * <p>Without an {@code application.server} (a single instance, or tests) there is no metadata to route by and this
 * instance answers everything from its own store; running several instances requires it.
 */
@Component
public class SessionRouter implements DisposableBean {

    /** Marks a request one instance sends another: answer locally, do not forward. */
    public static final String FORWARDED_HEADER = StreamsRouting.FORWARDED_HEADER;

    private final LocalSessionQueries local;
    private final LocalThreadQueries threads;
    private final PeerClient peers;
    private final Clock clock;
    /** Who owns a key; this instance as the others see it (none without an application.server). */
    private final StreamsRouting routing;
    private final HostInfo self;
    private final ExecutorService peerCalls;
    private final Counter keyForwards;
    private final Counter listForwards;

    SessionRouter(LocalSessionQueries local, LocalThreadQueries threads, SessionServiceProperties properties,
                  JsonMapper json, Clock clock, MeterRegistry meters, SslBundles ssl) {
        this.local = local;
        this.threads = threads;
        this.peers = new PeerClient(properties.routing(), json, ssl);
        this.clock = clock;
        this.routing = new StreamsRouting(properties.streams().applicationServer());
        this.self = routing.self();
        AtomicInteger threadCount = new AtomicInteger();
        // Peer calls wait on the network; a handful of instances means a handful of threads, reused.
        this.peerCalls = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "session-peer-query-" + threadCount.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        this.keyForwards = forwards(meters, "key");
        this.listForwards = forwards(meters, "list");
    }

    /** What became of a read of one conversation's data. */
    public sealed interface Answer<T> permits Local, Relayed {
    }

    /** Answered from this instance's store: the value, or empty when this instance (the owner) has none. */
    public record Local<T>(Optional<T> value) implements Answer<T> {
    }

    /** The owner's HTTP answer, to pass on unchanged: status, body and {@link StreamsRouting#RELAYED_HEADERS}. */
    public record Relayed<T>(int status, HttpHeaders headers, byte[] body) implements Answer<T> {
    }

    /**
     * One conversation's session, from wherever it lives.
     *
     * @param forwarded true when another instance sent this request: answer from the local store only
     * @throws SessionStoreUnavailableException while Streams is not RUNNING, or the owner is unknown or unreachable
     */
    public Answer<SessionView> session(String conversationId, String tenantId, String authorization, boolean forwarded) {
        return routed(conversationId, forwarded, () -> localSession(conversationId, tenantId),
                owner -> peers.relay(owner, "/api/v1/conversations/{id}", Map.of("id", conversationId), authorization));
    }

    /**
     * One page of a conversation's thread, from the instance that owns the conversation (its thread is kept with its
     * session, in the same task).
     *
     * @param forwarded true when another instance sent this request: answer from the local store only
     * @throws SessionStoreUnavailableException while Streams is not RUNNING, or the owner is unknown or unreachable
     */
    public Answer<ThreadPage> thread(ThreadQuery query, String authorization, boolean forwarded) {
        return routed(query.conversationId(), forwarded, () -> threads.page(query), owner -> {
            Map<String, String> variables = new LinkedHashMap<>(query.toParameters());
            String parameters = variables.keySet().stream().map(name -> name + "={" + name + "}")
                    .collect(Collectors.joining("&"));
            variables.put("id", query.conversationId());
            return peers.relay(owner, "/api/v1/conversations/{id}/messages?" + parameters, variables, authorization);
        });
    }

    /**
     * The reference of a customer's media id of a conversation, from the instance that owns the conversation.
     *
     * @throws SessionStoreUnavailableException while Streams is not RUNNING, or the owner is unknown or unreachable
     */
    public Answer<MediaReference> media(MediaQuery query, String authorization, boolean forwarded) {
        return routed(query.conversationId(), forwarded, () -> threads.media(query),
                owner -> peers.relay(owner, "/api/v1/conversations/{id}/media/{mediaId}",
                        Map.of("id", query.conversationId(), "mediaId", query.mediaId()), authorization));
    }

    /** A read of one conversation's data: here, or relayed from the owner (once: see the class comment). */
    private <T> Answer<T> routed(String conversationId, boolean forwarded, Supplier<Optional<T>> here,
                                 Function<HostInfo, Relayed<T>> owner) {
        if (!routing.routes()) {
            return new Local<>(here.get());
        }
        StreamsRouting.Owner found = routing.ownerOf(local.runningStreams(), SessionTopology.SESSION_STORE, conversationId);
        if (found instanceof StreamsRouting.Unknown) {
            throw new SessionStoreUnavailableException("no instance owns this conversation's partition right now");
        }
        if (found instanceof StreamsRouting.Here) {
            return new Local<>(here.get());
        }
        if (forwarded) {
            throw new SessionStoreUnavailableException(
                    "forwarded here but owned by another instance: the assignment is moving");
        }
        keyForwards.increment();
        return owner.apply(((StreamsRouting.Elsewhere) found).host());
    }

    /**
     * One page of a tenant's sessions, gathered from every instance.
     *
     * @param forwarded true when another instance sent this request: answer this instance's share only
     * @throws SessionStoreUnavailableException while Streams is not RUNNING or when any instance did not answer
     */
    public SessionPage page(SessionListQuery query, String authorization, boolean forwarded) {
        Instant now = clock.instant();
        if (self == null || forwarded) {
            return local.page(query, now);
        }
        Collection<StreamsMetadata> instances = local.runningStreams().metadataForAllStreamsClients();
        if (instances.isEmpty()) {
            throw new SessionStoreUnavailableException("no assignment known yet");
        }
        List<CompletableFuture<SessionPage>> remote = new ArrayList<>();
        List<SessionPage> pages = new ArrayList<>();
        for (StreamsMetadata instance : instances) {
            HostInfo host = instance.hostInfo();
            if (!host.equals(self)) {
                listForwards.increment();
                remote.add(CompletableFuture.supplyAsync(() -> peers.page(host, query, authorization), peerCalls));
            }
        }
        boolean selfListed = instances.stream().anyMatch(instance -> instance.hostInfo().equals(self));
        try {
            if (selfListed) {
                pages.add(local.page(query, now));
            }
            for (CompletableFuture<SessionPage> page : remote) {
                pages.add(page.join());
            }
        } catch (CompletionException e) {
            if (e.getCause() instanceof SessionStoreUnavailableException unavailable) {
                throw unavailable;
            }
            throw new SessionStoreUnavailableException("an instance failed to answer its share of the list", e);
        } finally {
            remote.forEach(page -> page.cancel(true));
        }
        return SessionPage.merge(pages, query.limit());
    }

    @Override
    public void destroy() {
        peerCalls.shutdownNow();
    }

    /** The session if this tenant's: another tenant's is none, like an unknown one. */
    private Optional<SessionView> localSession(String conversationId, String tenantId) {
        Instant now = clock.instant();
        return local.find(conversationId).map(session -> local.view(session, now))
                .filter(view -> tenantId.equals(view.tenantId()));
    }

    private static Counter forwards(MeterRegistry meters, String kind) {
        return Counter.builder("answerline.session.query.forwards")
                .description("Reads this instance sent to another instance (kind: key = one conversation, "
                        + "list = one instance's share of a list)")
                .tag("kind", kind)
                .register(meters);
    }
}
