package com.answerline.sandbox.whatsapp;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The media customers sent through the simulator, as the Cloud API keeps them: by media id, per business number,
 * with the short-lived download URLs it hands out. A download URL is signed ({@code hash}: HMAC-SHA256 with a key
 * generated at start-up over the media id and its expiry {@code ext}) and answers only until it expires; the
 * retrieval and the download both need the business token (checked by the controller). In memory, bounded: the
 * oldest media are forgotten past {@value #CAPACITY}.
 */
public class MediaLibrary {

    static final int CAPACITY = 10_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A stored file; {@code fileName} only for documents, {@code sha256} lowercase hex. */
    public record Media(String id, String phoneNumberId, String mimeType, String fileName, byte[] bytes, String sha256) {

        public long size() {
            return bytes.length;
        }
    }

    /** The query of a download URL: the media id, the expiry (Unix seconds) and the signature over both. */
    public record DownloadTicket(String mid, long ext, String hash) {
    }

    private final Map<String, Media> media = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Media> eldest) {
            return size() > CAPACITY;
        }
    };
    private final byte[] signingKey = new byte[32];
    private final Duration urlTtl;
    private final Clock clock;

    /** @param urlTtl how long a download URL answers ({@code sandbox.whatsapp.media-url-ttl}) */
    public MediaLibrary(Duration urlTtl, Clock clock) {
        this.urlTtl = urlTtl;
        this.clock = clock;
        RANDOM.nextBytes(signingKey);
    }

    /** Keeps a file under a new media id (digits, like Meta's). */
    public synchronized Media register(String phoneNumberId, String mimeType, String fileName, byte[] bytes) {
        String id;
        do {
            id = Long.toString(1_000_000_000_000_000L + RANDOM.nextLong(9_000_000_000_000_000L));
        } while (media.containsKey(id));
        Media stored = new Media(id, phoneNumberId, mimeType, fileName, bytes.clone(), MediaFiles.sha256Hex(bytes));
        media.put(id, stored);
        return stored;
    }

    public synchronized Optional<Media> find(String id) {
        return Optional.ofNullable(media.get(id));
    }

    /** A ticket for a download URL valid from now for the configured time. */
    public DownloadTicket ticket(String id) {
        long ext = clock.instant().plus(urlTtl).getEpochSecond();
        return new DownloadTicket(id, ext, sign(id, ext));
    }

    /**
     * The file a download URL names, while its signature holds and it has not expired.
     *
     * @throws CloudApiException 403 for a bad signature or an expired URL, 404 for a media id no longer kept
     */
    public Media redeem(String mid, String ext, String hash) {
        long expiry;
        try {
            expiry = Long.parseLong(ext == null ? "" : ext);
        } catch (NumberFormatException e) {
            throw new CloudApiException(CloudApiError.mediaUrlRefused("URL signature mismatch"));
        }
        byte[] expected = sign(mid == null ? "" : mid, expiry).getBytes(StandardCharsets.US_ASCII);
        byte[] presented = hash == null ? new byte[0] : hash.getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, presented)) {
            throw new CloudApiException(CloudApiError.mediaUrlRefused("URL signature mismatch"));
        }
        if (!clock.instant().isBefore(Instant.ofEpochSecond(expiry))) {
            throw new CloudApiException(CloudApiError.mediaUrlRefused("URL signature expired"));
        }
        return find(mid).orElseThrow(() -> new CloudApiException(CloudApiError.unknownMedia(mid)));
    }

    public synchronized void reset() {
        media.clear();
    }

    private String sign(String id, long ext) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(signingKey, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((id + "|" + ext).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
