package com.answerline.sandbox.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.answerline.sandbox.config.SandboxProperties;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class OidcClientsTest {

    private final OidcClients clients = new OidcClients(List.of(
            client("answerline-console", "http://127.0.0.1:8081/console/", "https://console.example.com:443/cb"),
            client("other-app", "http://127.0.0.1:8081/other/")));

    @Test
    void shouldAllowOnlyTheExactRegisteredRedirectUris() {
        assertThat(clients.allowsRedirect("answerline-console", "http://127.0.0.1:8081/console/")).isTrue();
        assertThat(clients.allowsRedirect("answerline-console", "http://127.0.0.1:8081/console")).isFalse();
        assertThat(clients.allowsRedirect("answerline-console", "http://127.0.0.1:8081/console/?x=1")).isFalse();
        assertThat(clients.allowsRedirect("answerline-console", "http://127.0.0.1:8081/other/")).isFalse();
        assertThat(clients.allowsRedirect("unknown", "http://127.0.0.1:8081/console/")).isFalse();
        assertThat(clients.allowsRedirect(null, null)).isFalse();
    }

    @Test
    void shouldNameTheOriginsOfTheRedirectUrisOnceEach() {
        assertThat(clients.origins()).containsExactlyInAnyOrder("http://127.0.0.1:8081", "https://console.example.com");
    }

    @Test
    void shouldRefuseARedirectUriThatIsRelativeOrHasAFragment() {
        assertThatThrownBy(() -> new OidcClients(List.of(client("c", "/console/"))))
                .hasMessageContaining("/console/");
        assertThatThrownBy(() -> new OidcClients(List.of(client("c", "http://127.0.0.1:8081/console/#x"))))
                .hasMessageContaining("without a fragment");
    }

    @Test
    void shouldRefuseAClientRegisteredTwice() {
        assertThatThrownBy(() -> new OidcClients(List.of(client("c", "http://a/"), client("c", "http://b/"))))
                .hasMessageContaining("twice");
    }

    private static SandboxProperties.Client client(String id, String... redirectUris) {
        return new SandboxProperties.Client(id, List.of(redirectUris).stream().map(URI::create).toList());
    }
}
