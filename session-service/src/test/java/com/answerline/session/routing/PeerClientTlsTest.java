package com.answerline.session.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.ssl.DefaultSslBundleRegistry;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslStoreBundle;
import tools.jackson.databind.json.JsonMapper;

import com.answerline.platform.routing.PeerTransport;
import com.answerline.session.config.SessionServiceProperties;
import com.answerline.session.query.SessionStoreUnavailableException;

/**
 * Issue 17: a forwarded read carries the agent's bearer token, so between instances it goes over TLS when
 * {@code routing.peers.scheme} is https, trusting the peers by the configured SSL bundle. Against a real HTTPS server
 * with a certificate made for the test (JDK keytool): the token arrives over TLS; a client left on http, or one that
 * does not trust the peer's certificate, gets no answer (and sends no token in the clear to a TLS port).
 */
class PeerClientTlsTest {

    private static final char[] PASSWORD = "local-dev-test-store".toCharArray();
    private static final String TOKEN = "Bearer header.payload.signature";

    @TempDir
    Path dir;

    private HttpsServer peer;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private KeyStore trust;

    @BeforeEach
    void startPeerWithTls() throws Exception {
        Path keys = dir.resolve("peer.p12");
        keytool("-genkeypair", "-alias", "peer", "-keyalg", "EC", "-groupname", "secp256r1", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-keystore", keys.toString());
        Path cert = dir.resolve("peer.pem");
        keytool("-exportcert", "-rfc", "-alias", "peer", "-keystore", keys.toString(), "-file", cert.toString());
        Path trustStore = dir.resolve("trust.p12");
        keytool("-importcert", "-noprompt", "-alias", "peer", "-file", cert.toString(), "-keystore", trustStore.toString());

        KeyStore identity = load(keys);
        trust = load(trustStore);
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(identity, PASSWORD);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(keyManagers.getKeyManagers(), null, null);
        peer = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        peer.setHttpsConfigurator(new HttpsConfigurator(tls));
        peer.createContext("/", exchange -> {
            received.add(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = "{\"conversationId\":\"c\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        peer.start();
    }

    @AfterEach
    void stopPeer() {
        peer.stop(0);
    }

    @Test
    void shouldForwardTheTokenOverTlsTrustingThePeerByTheBundle() {
        // Given an instance configured for https between peers, trusting them by the bundle "peers"
        PeerClient client = client(new PeerTransport("https", "peers"), trust);

        // When it forwards a read to the owner
        SessionRouter.Relayed<Object> answer = client.relay(owner(), "/api/v1/conversations/{id}", Map.of("id", "c"), TOKEN);

        // Then the owner answered over TLS, and got the agent's token there
        assertThat(answer.status()).isEqualTo(200);
        assertThat(received).containsExactly(TOKEN);
    }

    @Test
    void shouldGetNoAnswerFromATlsPeerWithoutTrustingItsCertificateOrOverPlainHttp() throws Exception {
        KeyStore empty = KeyStore.getInstance("PKCS12");
        empty.load(null, PASSWORD);
        PeerClient untrusting = client(new PeerTransport("https", "peers"), empty);
        PeerClient plain = client(new PeerTransport("http", null), trust);

        assertThatThrownBy(() -> untrusting.relay(owner(), "/api/v1/conversations/{id}", Map.of("id", "c"), TOKEN))
                .isInstanceOf(SessionStoreUnavailableException.class);
        assertThatThrownBy(() -> plain.relay(owner(), "/api/v1/conversations/{id}", Map.of("id", "c"), TOKEN))
                .isInstanceOf(SessionStoreUnavailableException.class);
        assertThat(received).isEmpty();
    }

    private HostInfo owner() {
        return new HostInfo("localhost", peer.getAddress().getPort());
    }

    private static PeerClient client(PeerTransport transport, KeyStore trustStore) {
        DefaultSslBundleRegistry bundles = new DefaultSslBundleRegistry();
        bundles.registerBundle("peers", SslBundle.of(SslStoreBundle.of(null, null, trustStore)));
        return new PeerClient(new SessionServiceProperties.Routing(Duration.ofSeconds(2), Duration.ofSeconds(2), transport),
                JsonMapper.builder().build(), bundles);
    }

    private void keytool(String... arguments) throws IOException, InterruptedException {
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        List<String> command = new java.util.ArrayList<>(List.of(keytool.toString()));
        command.addAll(List.of(arguments));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", new String(PASSWORD)));
        if (List.of(arguments).contains("-genkeypair")) {
            command.addAll(List.of("-keypass", new String(PASSWORD)));
        }
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("keytool %s: %s", List.of(arguments), output).isZero();
    }

    private static KeyStore load(Path file) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD);
        }
        return store;
    }
}
