package com.answerline.ingest.events;

import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The open event streams of this instance, counted per agent (tenant and {@code sub}), per tenant and in all, each
 * against its cap. Plain Java: no Spring, no Reactor.
 *
 * <p>{@link #open} checks the agent's cap first (the most specific answer: this agent has too many), then the
 * tenant's, then the instance's, and takes a place in all three or in none. Counts that fall to zero are removed, so
 * the maps hold only agents and tenants with an open stream.
 */
final class StreamCounts {

    /** The cap that refused a stream; {@link #label()} names it in problems and metrics. */
    enum Cap {
        AGENT, TENANT, INSTANCE;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final int maxPerAgent;
    private final int maxPerTenant;
    private final int maxStreams;
    private final ConcurrentMap<AgentKey, Integer> agents = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Integer> tenants = new ConcurrentHashMap<>();
    private final AtomicInteger total = new AtomicInteger();

    StreamCounts(int maxPerAgent, int maxPerTenant, int maxStreams) {
        this.maxPerAgent = maxPerAgent;
        this.maxPerTenant = maxPerTenant;
        this.maxStreams = maxStreams;
    }

    /**
     * Takes a place for one more stream of {@code owner}, to be given back with {@link #close} exactly once.
     *
     * @throws StreamCapReachedException the agent's or the tenant's cap is reached
     * @throws TooManyStreamsException   the instance's cap is reached
     */
    void open(StreamOwner owner) {
        AgentKey agent = new AgentKey(owner.tenantId(), owner.agentId());
        if (!take(agents, agent, maxPerAgent)) {
            throw new StreamCapReachedException(Cap.AGENT, maxPerAgent);
        }
        if (!take(tenants, owner.tenantId(), maxPerTenant)) {
            give(agents, agent);
            throw new StreamCapReachedException(Cap.TENANT, maxPerTenant);
        }
        if (total.incrementAndGet() > maxStreams) {
            total.decrementAndGet();
            give(tenants, owner.tenantId());
            give(agents, agent);
            throw new TooManyStreamsException(maxStreams);
        }
    }

    void close(StreamOwner owner) {
        total.decrementAndGet();
        give(tenants, owner.tenantId());
        give(agents, new AgentKey(owner.tenantId(), owner.agentId()));
    }

    int total() {
        return total.get();
    }

    AtomicInteger totalCounter() {
        return total;
    }

    int ofAgent(String tenantId, String agentId) {
        return agents.getOrDefault(new AgentKey(tenantId, agentId), 0);
    }

    int ofTenant(String tenantId) {
        return tenants.getOrDefault(tenantId, 0);
    }

    private static <K> boolean take(ConcurrentMap<K, Integer> counts, K key, int max) {
        boolean[] taken = {false};
        counts.compute(key, (k, count) -> {
            int now = count == null ? 0 : count;
            if (now >= max) {
                return count;
            }
            taken[0] = true;
            return now + 1;
        });
        return taken[0];
    }

    private static <K> void give(ConcurrentMap<K, Integer> counts, K key) {
        counts.computeIfPresent(key, (k, count) -> count <= 1 ? null : count - 1);
    }

    /** An agent id is unique within its tenant only: two tenants' identity providers may both issue {@code sub} 7. */
    private record AgentKey(String tenantId, String agentId) {
    }
}
