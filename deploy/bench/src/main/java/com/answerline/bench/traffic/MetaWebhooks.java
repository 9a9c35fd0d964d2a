package com.answerline.bench.traffic;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signed WhatsApp Cloud API webhooks as Meta posts them (DOMAIN.md section 2, the provider sandbox's 2026 shape):
 * one text message per POST, {@code X-Hub-Signature-256} = HMAC-SHA256 of the exact body with the app secret.
 * Built as text, not through a JSON tree: the generator makes thousands a second and must stay light.
 */
public final class MetaWebhooks {

    public static final String SIGNATURE_HEADER = "X-Hub-Signature-256";

    /** The local stack's Meta app secret: a local-development value (ingest's application.yml). */
    public static final String DEMO_APP_SECRET = "local-dev-app-secret";

    private final String wabaId;
    private final String phoneNumberId;
    private final String displayNumber;
    private final Mac mac;

    /**
     * @param appSecret the Meta app secret ingest verifies with (local stack: {@code local-dev-app-secret})
     */
    public MetaWebhooks(String wabaId, String phoneNumberId, String displayNumber, String appSecret) {
        this.wabaId = wabaId;
        this.phoneNumberId = phoneNumberId;
        this.displayNumber = displayNumber;
        try {
            this.mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(appSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The demo tenant's business number on the local stack (local-development values). */
    public static MetaWebhooks demo() {
        return new MetaWebhooks("200000000000001", "100000000000001", "15550000001", DEMO_APP_SECRET);
    }

    public String phoneNumberId() {
        return phoneNumberId;
    }

    /** The body of one customer text message (JSON string escaping of {@code text} is the caller's). */
    public byte[] textMessage(String customerPhone, String wamid, Instant sentAt, String text) {
        String bsuid = Customers.bsuidOf(customerPhone);
        String json = "{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"" + wabaId
                + "\",\"changes\":[{\"value\":{\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\""
                + displayNumber + "\",\"phone_number_id\":\"" + phoneNumberId + "\"},\"contacts\":[{\"profile\":{\"name\":"
                + "\"Bench Customer\"},\"wa_id\":\"" + customerPhone + "\",\"user_id\":\"" + bsuid + "\"}],\"messages\":[{"
                + "\"from\":\"" + customerPhone + "\",\"from_user_id\":\"" + bsuid + "\",\"id\":\"" + wamid
                + "\",\"timestamp\":\"" + sentAt.getEpochSecond() + "\",\"text\":{\"body\":\"" + text
                + "\"},\"type\":\"text\"}]},\"field\":\"messages\"}]}]}";
        return json.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code sha256=<hex>} of the body. Not thread-safe (one Mac): one instance per generating thread. */
    public String signature(byte[] body) {
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    /** Same as {@link #signature} with another secret: a wrong signature for bad-input tests. */
    public static String signatureWith(String secret, byte[] body) {
        return new MetaWebhooks("0", "0", "0", secret).signature(body);
    }
}
