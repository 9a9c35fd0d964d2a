package com.answerline.platform.routing;

import jakarta.validation.constraints.Pattern;

import org.apache.kafka.streams.state.HostInfo;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How an instance reaches a peer of its Streams group ({@link StreamsRouting}): plain {@code http} (the local stack,
 * a trusted network), or {@code https} with the peers' certificates trusted by the Spring Boot SSL bundle named
 * {@code sslBundle} ({@code spring.ssl.bundle.*}; none: the JVM's default trust store). The peers then serve TLS
 * ({@code server.ssl.bundle}). Forwarded reads carry the agent's bearer token: over anything but a trusted network,
 * https.
 *
 * @param scheme    http or https
 * @param sslBundle the trust material for https; ignored for http
 */
public record PeerTransport(@DefaultValue("http") @Pattern(regexp = "https?", message = "must be http or https")
                            String scheme, String sslBundle) {

    public boolean secure() {
        return "https".equals(scheme);
    }

    /** The base URL of a peer's API, from its advertised {@code application.server}. */
    public String base(HostInfo peer) {
        return base(peer.host() + ":" + peer.port());
    }

    /** The base URL of a peer's API, from its advertised {@code host:port}. */
    public String base(String endpoint) {
        return scheme + "://" + endpoint;
    }

    /** The SSL bundle to trust the peers by, or null (http, or https with the JVM's trust store). */
    public String trustBundle() {
        return secure() && sslBundle != null && !sslBundle.isBlank() ? sslBundle : null;
    }
}
