package com.answerline.sandbox.identity;

import com.answerline.sandbox.config.SandboxProperties;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The registered OpenID Connect clients (public clients with PKCE) and where each may be sent back to. A redirect
 * URI matches only when it is the same string as a registered one (OAuth 2.1, RFC 9700 section 4.1.3): no prefix,
 * no pattern, no normalisation.
 */
public class OidcClients {

    private final Map<String, Set<String>> redirectUris = new LinkedHashMap<>();

    /** Fails on a duplicate client id or a redirect URI that is not an absolute http(s) URI without a fragment. */
    public OidcClients(List<SandboxProperties.Client> clients) {
        for (SandboxProperties.Client client : clients) {
            Set<String> uris = new LinkedHashSet<>();
            for (URI uri : client.redirectUris()) {
                uris.add(checked(client.clientId(), uri).toString());
            }
            if (redirectUris.putIfAbsent(client.clientId(), Set.copyOf(uris)) != null) {
                throw new IllegalArgumentException("client " + client.clientId() + " is registered twice");
            }
        }
    }

    public boolean isKnown(String clientId) {
        return clientId != null && redirectUris.containsKey(clientId);
    }

    public boolean allowsRedirect(String clientId, String redirectUri) {
        return isKnown(clientId) && redirectUris.get(clientId).contains(redirectUri);
    }

    /**
     * The origins the clients run at (of their redirect URIs): the browser apps that read the discovery document
     * and the JWKS and call the token endpoint from script, so CORS must let them.
     */
    public List<String> origins() {
        Set<String> origins = new LinkedHashSet<>();
        redirectUris.values().forEach(uris -> uris.forEach(uri -> origins.add(origin(URI.create(uri)))));
        return List.copyOf(origins);
    }

    private static URI checked(String clientId, URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
                || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("redirect URI " + uri + " of client " + clientId
                    + " must be an absolute http(s) URI without a fragment");
        }
        return uri;
    }

    /** scheme://host[:port] as a browser sends it in Origin (no default port). */
    private static String origin(URI uri) {
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        int port = uri.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        try {
            return new URI(scheme, null, uri.getHost().toLowerCase(Locale.ROOT), defaultPort ? -1 : port, null, null, null)
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("no origin for " + uri, e);
        }
    }
}
