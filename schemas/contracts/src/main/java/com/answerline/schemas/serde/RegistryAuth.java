package com.answerline.schemas.serde;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The credentials sent to the registry in an {@code Authorization} header on every request, read from Confluent's
 * property names:
 * <ul>
 *   <li>{@code basic.auth.credentials.source} {@code URL}: the {@code user:password@} of {@code schema.registry.url}
 *       (percent-decoded); {@code USER_INFO}: {@code basic.auth.user.info} ({@code user:password}; the deprecated
 *       {@code schema.registry.basic.auth.user.info} wins when set, as in Confluent's client);</li>
 *   <li>{@code bearer.auth.credentials.source} {@code STATIC_TOKEN}: {@code bearer.auth.token}.</li>
 * </ul>
 * Confluent documents {@code URL} as the default source, but its serdes hand the client only the properties set, and
 * its client sends the URL's credentials only when the source is set. Rather than guess, credentials in the URL
 * without {@code basic.auth.credentials.source=URL} are refused. Stricter than Confluent's client, which ignores what
 * it cannot use: an unknown or unsupported source (names are matched exactly, as Confluent's), and credentials set
 * without the source that reads them, are {@link ConfigException}s, so that a configuration this serde accepts means
 * the same to Confluent's. Secrets are {@link Password}s: {@link #toString()} and the error messages never show
 * them.
 *
 * @param scheme what the header carries
 * @param source the configured source ({@code URL}, {@code USER_INFO}, {@code STATIC_TOKEN}), or empty for none
 * @param secret {@code user:password} for basic, the token for bearer, null for none
 */
public record RegistryAuth(Scheme scheme, String source, Password secret) {

    public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
    public static final String USER_INFO = "basic.auth.user.info";
    /** Confluent's deprecated name of {@link #USER_INFO}; it takes precedence when set, as in Confluent's client. */
    public static final String DEPRECATED_USER_INFO = "schema.registry.basic.auth.user.info";
    public static final String BEARER_AUTH_CREDENTIALS_SOURCE = "bearer.auth.credentials.source";
    public static final String BEARER_AUTH_TOKEN = "bearer.auth.token";

    /** No {@code Authorization} header. */
    public static final RegistryAuth NONE = new RegistryAuth(Scheme.NONE, "", null);

    public enum Scheme { NONE, BASIC, BEARER }

    public RegistryAuth {
        if ((scheme == Scheme.NONE) != (secret == null)) {
            throw new IllegalArgumentException("a " + scheme + " authentication " + (secret == null ? "needs" : "takes no")
                    + " secret");
        }
    }

    /**
     * Reads the credentials for the given registry URL (as configured, possibly with {@code user:password@}).
     */
    static RegistryAuth from(Map<String, ?> configs, String url) {
        String basicSource = text(configs, BASIC_AUTH_CREDENTIALS_SOURCE);
        String bearerSource = text(configs, BEARER_AUTH_CREDENTIALS_SOURCE);
        if (!basicSource.isEmpty() && !bearerSource.isEmpty()) {
            throw new ConfigException("only one of " + BASIC_AUTH_CREDENTIALS_SOURCE + " and "
                    + BEARER_AUTH_CREDENTIALS_SOURCE + " may be set");
        }
        String source = bearerSource.isEmpty() ? basicSource : bearerSource;
        String urlUserInfo = userInfo(url);
        if (urlUserInfo != null && !source.equals("URL")) {
            throw new ConfigException(AvroSerdeConfig.SCHEMA_REGISTRY_URL + " carries user:password@, which is sent only"
                    + " with " + BASIC_AUTH_CREDENTIALS_SOURCE + "=URL (so by Confluent's client too)");
        }
        if (!source.equals("USER_INFO")) {
            rejectUnread(configs, USER_INFO, BASIC_AUTH_CREDENTIALS_SOURCE + "=USER_INFO");
            rejectUnread(configs, DEPRECATED_USER_INFO, BASIC_AUTH_CREDENTIALS_SOURCE + "=USER_INFO");
        }
        if (!bearerSource.isEmpty()) {
            return bearer(configs, bearerSource);
        }
        rejectUnread(configs, BEARER_AUTH_TOKEN, BEARER_AUTH_CREDENTIALS_SOURCE + "=STATIC_TOKEN");
        return switch (source) {
            case "" -> NONE;
            case "URL" -> urlUserInfo == null ? NONE : basic("URL", urlUserInfo, AvroSerdeConfig.SCHEMA_REGISTRY_URL);
            case "USER_INFO" -> {
                String name = secret(configs, DEPRECATED_USER_INFO).isEmpty() ? USER_INFO : DEPRECATED_USER_INFO;
                String userInfo = secret(configs, name);
                if (userInfo.isEmpty()) {
                    throw new ConfigException(USER_INFO + " (user:password) is required when "
                            + BASIC_AUTH_CREDENTIALS_SOURCE + " is USER_INFO");
                }
                yield basic("USER_INFO", userInfo, name);
            }
            case "SASL_INHERIT" -> throw new ConfigException(BASIC_AUTH_CREDENTIALS_SOURCE, basicSource,
                    "SASL_INHERIT is not supported by this serde; use USER_INFO or URL");
            default -> throw new ConfigException(BASIC_AUTH_CREDENTIALS_SOURCE, basicSource, "expected URL or USER_INFO");
        };
    }

    private static RegistryAuth bearer(Map<String, ?> configs, String source) {
        if (!source.equals("STATIC_TOKEN")) {
            throw new ConfigException(BEARER_AUTH_CREDENTIALS_SOURCE, source,
                    "expected STATIC_TOKEN (Confluent's OAUTHBEARER, SASL_OAUTHBEARER_INHERIT and CUSTOM are not supported by this serde)");
        }
        String token = secret(configs, BEARER_AUTH_TOKEN);
        if (token.isEmpty()) {
            throw new ConfigException(BEARER_AUTH_TOKEN + " is required when " + BEARER_AUTH_CREDENTIALS_SOURCE
                    + " is STATIC_TOKEN");
        }
        return new RegistryAuth(Scheme.BEARER, "STATIC_TOKEN", new Password(token));
    }

    private static RegistryAuth basic(String source, String userInfo, String property) {
        if (userInfo.indexOf(':') < 0) {
            // The value is a secret: named, never shown.
            throw new ConfigException("the user info of " + property + " must be user:password (no ':' found)");
        }
        return new RegistryAuth(Scheme.BASIC, source, new Password(userInfo));
    }

    private static void rejectUnread(Map<String, ?> configs, String name, String reader) {
        if (!secret(configs, name).isEmpty()) {
            throw new ConfigException(name + " is set but not used: it needs " + reader);
        }
    }

    /** The value of the {@code Authorization} header, empty for none. */
    public Optional<String> header() {
        return switch (scheme) {
            case NONE -> Optional.empty();
            case BASIC -> Optional.of("Basic " + Base64.getEncoder()
                    .encodeToString(secret.value().getBytes(StandardCharsets.UTF_8)));
            case BEARER -> Optional.of("Bearer " + secret.value());
        };
    }

    @Override
    public String toString() {
        return scheme == Scheme.NONE ? "none" : scheme.name().toLowerCase(Locale.ROOT) + " (" + source + ")";
    }

    /**
     * The percent-decoded {@code user:password} of the URL, or null. The URL is parsed here first, so a malformed
     * one is reported without echoing it (it may hold a password).
     */
    static String userInfo(String url) {
        return uri(url).getUserInfo();
    }

    /** The URL without its {@code user:password@}: what is requested, cached on and shown in messages. */
    static String withoutUserInfo(String url) {
        String rawUserInfo = uri(url).getRawUserInfo();
        if (rawUserInfo == null) {
            return url;
        }
        int authority = url.indexOf("://") + 3;
        return url.substring(0, authority) + url.substring(authority + rawUserInfo.length() + 1);
    }

    private static URI uri(String url) {
        try {
            return new URI(url);
        } catch (URISyntaxException e) {
            throw new ConfigException(AvroSerdeConfig.SCHEMA_REGISTRY_URL + " is not a valid URL: " + e.getReason()
                    + " at index " + e.getIndex());
        }
    }

    private static String text(Map<String, ?> configs, String name) {
        Object value = configs.get(name);
        return value == null ? "" : value.toString().trim();
    }

    private static String secret(Map<String, ?> configs, String name) {
        Object value = configs.get(name);
        if (value instanceof Password password) {
            return password.value() == null ? "" : password.value();
        }
        return value == null ? "" : value.toString();
    }
}
