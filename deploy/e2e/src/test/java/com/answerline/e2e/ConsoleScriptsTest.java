package com.answerline.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The console's JavaScript pieces that need no server, run in the real browser (Debian's headless chromium): PKCE,
 * the SSE parser and its backoff, countdown and money formatting, the list's order and filters, the composer's
 * request bodies, and the rendering of every kind of thread entry. The modules are imported as the console imports
 * them, from ingest's sources served by {@link FakeGateway}; no stack.
 */
class ConsoleScriptsTest {

    private static final Path SELENIUM_CACHE = Path.of(System.getProperty("user.home"), ".cache", "selenium");
    private static FileTime seleniumCacheBefore;
    private static FakeGateway files;
    private static Browser browser;

    @BeforeAll
    static void startBrowser() throws IOException {
        seleniumCacheBefore = Files.exists(SELENIUM_CACHE) ? Files.getLastModifiedTime(SELENIUM_CACHE) : null;
        files = new FakeGateway();
        browser = Browser.start(1024, 768);
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
        if (files != null) {
            files.close();
        }
    }

    @BeforeEach
    void blankPage() {
        browser.driver().get(files.base() + "/");
    }

    @Test
    void shouldDriveDebiansChromiumThroughDebiansChromedriverWithoutSeleniumManager() throws Exception {
        // Given the browser this class started
        // Then it is the chromium at the fixed path (same version), and Selenium Manager never ran: it keeps its
        // downloads and metadata under ~/.cache/selenium, which was neither created nor touched
        assertThat(version(Browser.CHROMIUM)).contains(browser.browserVersion());
        assertThat(Files.exists(SELENIUM_CACHE) ? Files.getLastModifiedTime(SELENIUM_CACHE) : null)
                .isEqualTo(seleniumCacheBefore);
    }

    @Test
    void shouldComputeThePkceChallengeOfRfc7636AndFreshVerifiers() {
        // RFC 7636, appendix B
        Object challenge = browser.run("""
                const m = await import('/console/js/oidc.js');
                return m.pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk');""");
        assertThat(challenge).isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");

        @SuppressWarnings("unchecked")
        List<String> verifiers = (List<String>) browser.run("""
                const m = await import('/console/js/oidc.js');
                return [m.randomToken(32), m.randomToken(32)];""");
        assertThat(verifiers).allSatisfy(v -> assertThat(v).matches("[A-Za-z0-9_-]{43}"));
        assertThat(verifiers.get(0)).isNotEqualTo(verifiers.get(1));
        // and the Java side agrees on S256 (the fake provider checks verifiers with it)
        assertThat(FakeGateway.s256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"))
                .isEqualTo("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }

    @Test
    void shouldReadTheClaimsOfABase64UrlEncodedToken() {
        Object claims = browser.run("""
                const m = await import('/console/js/oidc.js');
                const payload = m.base64url(new TextEncoder().encode('{"sub":"agent-7","name":"Zoë ÿ?>","tenant_id":"demo"}'));
                return m.jwtClaims('e30.' + payload + '.sig');""");
        assertThat(claims).isEqualTo(Map.of("sub", "agent-7", "name", "Zoë ÿ?>", "tenant_id", "demo"));
    }

    @Test
    void shouldParseServerSentEventsWhateverTheChunksAre() {
        // Given a stream as Spring writes it (no space after the colon), with a heartbeat comment, CRLF line ends
        // split between chunks, a multi-line data field, an event without data and one with a space after the colon
        Object events = browser.run("""
                const { SseParser } = await import('/console/js/sse.js');
                const events = [];
                const parser = new SseParser((e) => events.push(e));
                for (const chunk of [':stream open\\n\\n', 'event:conversation\\r', '\\nid:c1@3\\r\\ndata:{"a":', '1}\\r\\n\\r\\n',
                    'event:message\\ndata:line one\\ndata:line two\\n\\n', 'event:empty\\n\\n', 'event: reply-outcome\\n',
                    'data: {"b":2}\\n', '\\n', 'data:unterminated']) {
                  parser.feed(chunk);
                }
                return events;""");

        // Then the events come out whole, in order, the comment and the empty event dropped, nothing half-read
        assertThat(events).isEqualTo(List.of(
                Map.of("type", "conversation", "data", "{\"a\":1}", "id", "c1@3"),
                Map.of("type", "message", "data", "line one\nline two", "id", "c1@3"),
                Map.of("type", "reply-outcome", "data", "{\"b\":2}", "id", "c1@3")));
    }

    @Test
    void shouldBackOffFromOneToThirtySecondsBetweenReconnections() {
        @SuppressWarnings("unchecked")
        List<Long> delays = (List<Long>) browser.run("""
                const { reconnectDelay } = await import('/console/js/sse.js');
                return [0, 1, 2, 5, 10, 40].map((n) => reconnectDelay(n, () => 0)).concat([reconnectDelay(0, () => 1)]);""");
        assertThat(delays).containsExactly(1000L, 2000L, 4000L, 30000L, 30000L, 30000L, 800L);
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldReconnectAtOnceWithTheCurrentTokenWhenTheServerEndsTheStreamAtTheTokensExpiry() {
        // Given a gateway whose first stream carries an event, then ends with expired (as at the token's expiry), and
        // whose second stream stays open; the console's token is refreshed meanwhile
        Map<String, Object> seen = (Map<String, Object>) browser.run("""
                const { openEventStream } = await import('/console/js/sse.js');
                const encoder = new TextEncoder();
                const calls = [], states = [], events = [];
                let token = 'first';
                window.fetch = async (url, init) => {
                  calls.push(init.headers.Authorization);
                  const body = calls.length === 1
                    ? ':stream open\\n\\nevent:conversation\\ndata:{"a":1}\\n\\nevent:expired\\ndata:{"type":"token-expired"}\\n\\n'
                    : ':stream open\\n\\n';
                  const last = calls.length === 1;
                  return new Response(new ReadableStream({ start(c) { c.enqueue(encoder.encode(body)); if (last) c.close(); } }),
                    { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
                };
                let reopened;
                const second = new Promise((resolve) => { reopened = resolve; });
                const stream = openEventStream({
                  url: '/api/v1/events', token: () => token,
                  onEvent: (e) => { events.push(e.type); token = 'refreshed'; },
                  onState: (s) => { states.push(s); if (states.filter((x) => x === 'open').length === 2) reopened(); },
                  tokenExpiresAt: () => Date.now() + 60_000,
                });
                await second;
                stream.close();
                return { calls, states, events };""");

        // Then it reconnected with the refreshed token, at once (no "reconnecting" backoff), and the expired event
        // was the stream's business, not the page's
        assertThat(seen.get("calls")).isEqualTo(List.of("Bearer first", "Bearer refreshed"));
        assertThat(seen.get("states")).isEqualTo(List.of("open", "open"));
        assertThat(seen.get("events")).isEqualTo(List.of("conversation"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldStopTheStreamAndSayTheSessionExpiredWhenItsOwnTokenHasExpiredToo() {
        Map<String, Object> seen = (Map<String, Object>) browser.run("""
                const { openEventStream } = await import('/console/js/sse.js');
                const encoder = new TextEncoder();
                const calls = [], states = [];
                window.fetch = async (url, init) => {
                  calls.push(init.headers.Authorization);
                  return new Response(new ReadableStream({ start(c) {
                    c.enqueue(encoder.encode('event:expired\\ndata:{"type":"token-expired"}\\n\\n')); c.close(); } }),
                    { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
                };
                let expired;
                const signedOut = new Promise((resolve) => { expired = resolve; });
                let closed;
                const done = new Promise((resolve) => { closed = resolve; });
                const stream = openEventStream({
                  url: '/api/v1/events', token: () => 'old',
                  onEvent: () => {}, onState: (s) => { states.push(s); if (s === 'closed') closed(); },
                  tokenExpiresAt: () => Date.now() - 1, onTokenExpired: () => expired(true),
                });
                const told = await Promise.race([signedOut,
                  new Promise((resolve) => setTimeout(() => resolve('not told within 5 s'), 5000))]);
                stream.close();
                await done;
                return { calls: calls.slice(0, 3), states: states.slice(0, 3), told };""");

        // Then the console is told (it asks the agent to sign in again) and does not knock with the expired token
        assertThat(seen.get("told")).isEqualTo(true);
        assertThat(seen.get("calls")).isEqualTo(List.of("Bearer old"));
        assertThat(seen.get("states")).isEqualTo(List.of("open", "closed"));
    }

    @Test
    void shouldWaitAtLeastTheRetryAfterOfARefusedStream() {
        Object waits = browser.run("""
                const { retryAfterMillis } = await import('/console/js/sse.js');
                return ['30', '0', null, 'Wed, 21 Oct 2026 07:28:00 GMT', 'x'].map(retryAfterMillis);""");
        assertThat(waits).isEqualTo(List.of(30000L, 0L, 0L, 0L, 0L));
    }

    @Test
    void shouldSayWhoHoldsAConversationWhenTakingOrReleasingItIsRefused() {
        Object messages = browser.run("""
                const { assignmentRefusal } = await import('/console/js/conversations.js');
                return [
                  assignmentRefusal(true, 403, { assigneeId: 'sue', detail: 'this conversation is assigned to sue; …' }),
                  assignmentRefusal(false, 403, { assigneeId: 'sue' }),
                  assignmentRefusal(true, 403, { detail: 'assigning needs the agent or supervisor role' }),
                  assignmentRefusal(false, 503, { detail: 'session-service did not answer; retry later' }),
                  assignmentRefusal(true, 0, { detail: 'the server cannot be reached; check the connection and retry' }),
                ];""");
        assertThat(messages).isEqualTo(List.of(
                "Not taken: this conversation is assigned to sue. Only a supervisor can take over another agent's conversation.",
                "Not released: this conversation is assigned to sue. Only a supervisor can release another agent's conversation.",
                "Not taken: you are not allowed to (assigning needs the agent or supervisor role).",
                "Not released: session-service did not answer; retry later",
                "Not taken: the server cannot be reached; check the connection and retry"));
    }

    @Test
    void shouldFormatTheWindowCountdownAndItsUrgency() {
        Object formatted = browser.run("""
                const f = await import('/console/js/format.js');
                const now = Date.parse('2026-12-06T10:00:00Z');
                return {
                  full: f.formatCountdown(86_399_000), minute: f.formatCountdown(65_400), zero: f.formatCountdown(0),
                  past: f.formatCountdown(-5), none: f.formatCountdown(null),
                  urgency: [3 * 3_600_000, 3_600_000, 60_000, 1, 0, null].map(f.windowUrgency),
                  window: f.windowText('2026-12-06T10:04:05Z', now), closed: f.windowText('2026-12-06T09:00:00Z', now),
                };""");
        assertThat(formatted).isEqualTo(Map.of("full", "23:59:59", "minute", "0:01:05", "zero", "closed",
                "past", "closed", "none", "no window",
                "urgency", List.of("open", "soon", "closing", "closing", "closed", "none"),
                "window", "window closes in 0:04:05", "closed", "window closed"));
    }

    @Test
    void shouldShowCostsTicksAndFailuresInWords() {
        Object formatted = browser.run("""
                const f = await import('/console/js/format.js');
                return {
                  eur: f.formatCost({currency: 'EUR', amount: '0.0456'}, 'en-US'),
                  usd: f.formatCost({currency: 'USD', amount: '0.05'}, 'en-US'),
                  odd: f.formatCost({currency: 'not a currency', amount: '1.5'}, 'en-US'),
                  none: f.formatCost(null),
                  read: f.deliveryTicks('SENT', {state: 'READ'}),
                  delivered: f.deliveryTicks('SENT', {state: 'DELIVERED'}),
                  sent: f.deliveryTicks('SENT', undefined),
                  unknown: f.deliveryTicks('SENT', {state: 'UNKNOWN'}),
                  undelivered: [f.deliveryTicks('SENT', {state: 'UNDELIVERED'}).ticks, f.deliveryFailed({state: 'UNDELIVERED'})],
                  failure: f.failureText({state: 'FAILED', errorCode: 131047, errorTitle: 'Re-engagement message'}),
                  bytes: [f.formatBytes(980), f.formatBytes(12345), f.formatBytes(1468006)],
                };""");
        assertThat(formatted).isEqualTo(Map.ofEntries(Map.entry("eur", "€0.0456"), Map.entry("usd", "$0.05"),
                Map.entry("odd", "1.5 not a currency"), Map.entry("none", ""),
                Map.entry("read", Map.of("state", "READ", "ticks", "✓✓", "label", "read")),
                Map.entry("delivered", Map.of("state", "DELIVERED", "ticks", "✓✓", "label", "delivered")),
                Map.entry("sent", Map.of("state", "SENT", "ticks", "✓", "label", "sent")),
                Map.entry("unknown", Map.of("state", "SENT", "ticks", "✓", "label", "sent")),
                Map.entry("undelivered", List.of("✗", true)),
                Map.entry("failure", "131047 Re-engagement message"),
                Map.entry("bytes", List.of("980 B", "12 KB", "1.4 MB"))));
    }

    @Test
    void shouldOrderFilterAndMarkConversationsAsTheGatewayDoes() {
        Object result = browser.run("""
                const c = await import('/console/js/conversations.js');
                const now = Date.parse('2026-12-06T10:00:00Z');
                const list = [
                  {id: 'p:4', expiresAt: null},
                  {id: 'p:3', expiresAt: '2026-12-06T10:30:00Z', assigneeId: 'agent-7', unansweredSince: '2026-12-05T10:30:00Z'},
                  {id: 'p:2', expiresAt: '2026-12-06T09:00:00Z', unansweredSince: '2026-12-05T09:00:00Z'},
                  {id: 'p:1', expiresAt: '2026-12-06T20:00:00Z', assigneeId: 'sue'},
                ];
                const ids = (filter) => list.filter((x) => c.matchesFilter(x, filter, 'agent-7', now)).sort(c.compareUrgency).map((x) => x.id);
                return {
                  all: ids('all'), mine: ids('mine'), unassigned: ids('unassigned'), expiring: ids('expiring'),
                  markers: list.map((x) => c.markers(x, now).join()),
                  paths: ['all', 'mine', 'unassigned', 'expiring'].map(c.listPath),
                  labels: [c.customerLabel({id: '1:15551230001', name: 'Ada'}), c.customerLabel({id: '1:US.123'})],
                };""");
        assertThat(result).isEqualTo(Map.of(
                "all", List.of("p:2", "p:3", "p:1", "p:4"),
                "mine", List.of("p:3"),
                "unassigned", List.of("p:2", "p:4"),
                "expiring", List.of("p:3"),
                "markers", List.of("", "unanswered", "closed-unanswered", ""),
                "paths", List.of("/api/v1/conversations?limit=50", "/api/v1/conversations?limit=50&assignee=me",
                        "/api/v1/conversations?limit=50&unassigned=true",
                        "/api/v1/conversations?limit=50&window=expiring&within=PT1H"),
                "labels", List.of("Ada (+15551230001)", "US.123")));
    }

    @Test
    void shouldBuildTheReplyBodyOfEachChoice() {
        Object result = browser.run("""
                const m = await import('/console/js/composer.js');
                const template = {name: 'customer_care_reopen', language: 'en_US', body: 'Dear {{1}}, regards {{2}}', parameterCount: 2};
                const options = [
                  {kind: 'SMS_WITH_LINK', channel: 'SMS', allowed: true, fallback: 'SMS', sms: {segments: 2, encoding: 'GSM_7'},
                   estimatedCost: {currency: 'EUR', amount: '0.1578'}},
                  {kind: 'TEMPLATE', channel: 'WHATSAPP_TEMPLATE', allowed: true, fallback: 'TEMPLATE', template},
                  {kind: 'HOLD', channel: 'WHATSAPP_TEMPLATE', allowed: true, fallback: 'TEMPLATE_THEN_HOLD', template},
                ];
                return {
                  sms: m.replyBody(options[0], 'Sorry'), template: m.replyBody(options[1], 'ignored', ['Ada', 'Sam']),
                  hold: m.replyBody(options[2], 'Refund approved'), unknown: m.replyBody(null, 'Hi'),
                  byPreview: [m.defaultOption({channel: 'SMS'}, options).kind, m.defaultOption({channel: 'WHATSAPP_TEMPLATE'}, options).kind,
                              m.defaultOption({channel: 'WHATSAPP_TEMPLATE', outcome: 'HOLD'}, options).kind,
                              m.defaultOption({channel: 'NONE', outcome: 'REJECT'}, options)],
                  filled: m.fillTemplate(template.body, ['Ada']),
                  detail: m.optionDetail(options[0]),
                };""");
        assertThat(result).isEqualTo(Map.of(
                "sms", Map.of("text", "Sorry", "fallback", "SMS"),
                "template", Map.of("template", Map.of("name", "customer_care_reopen", "language", "en_US",
                        "parameters", List.of("Ada", "Sam")), "fallback", "TEMPLATE"),
                "hold", Map.of("text", "Refund approved", "fallback", "TEMPLATE_THEN_HOLD"),
                "unknown", Map.of("text", "Hi", "fallback", "AUTO"),
                "byPreview", java.util.Arrays.asList("SMS_WITH_LINK", "TEMPLATE", "HOLD", null),
                "filled", "Dear Ada, regards {{2}}",
                "detail", "costs €0.1578 · 2 SMS segments, GSM-7"));
    }

    @Test
    void shouldAskForAndSendDirectSendOnlyForAnAnswerMarkedUtilityAndSayWhyNotOtherwise() {
        Object result = browser.run("""
                const m = await import('/console/js/composer.js');
                const f = await import('/console/js/format.js');
                const sms = {kind: 'SMS_WITH_LINK', channel: 'SMS', allowed: true, fallback: 'SMS'};
                const direct = {kind: 'WHATSAPP_DIRECT_SEND', channel: 'WHATSAPP_DIRECT_SEND', allowed: true,
                  fallback: 'DIRECT_SEND', estimatedCost: {currency: 'EUR', amount: '0.0456'}};
                const refused = {...direct, allowed: false, why: 'NOT_UTILITY'};
                return {
                  direct: m.replyBody(direct, 'Your order shipped'),
                  smsMarked: m.replyBody(sms, 'Your order shipped', [], true),
                  smsUnmarked: m.replyBody(sms, 'Your order shipped', [], false),
                  queries: [m.previewQuery('a b', true), m.previewQuery('', true), m.previewQuery('a b', false), m.previewQuery('', false)],
                  byPreview: m.defaultOption({channel: 'WHATSAPP_DIRECT_SEND'}, [sms, direct]).channel,
                  notes: [m.directSendNote([sms, refused]), m.directSendNote([sms, direct]), m.directSendNote([sms])],
                  why: ['NOT_UTILITY', 'DIRECT_SEND_NOT_ENABLED', 'DIRECT_SEND_BLOCKED', 'WINDOW_OPEN', 'SOMETHING_NEW'].map(f.directSendWhy),
                  channel: f.channelName('WHATSAPP_DIRECT_SEND'),
                };""");
        assertThat(result).isEqualTo(Map.of(
                "direct", Map.of("text", "Your order shipped", "fallback", "DIRECT_SEND", "category", "UTILITY"),
                "smsMarked", Map.of("text", "Your order shipped", "fallback", "SMS", "category", "UTILITY"),
                "smsUnmarked", Map.of("text", "Your order shipped", "fallback", "SMS"),
                "queries", List.of("?text=a%20b&category=UTILITY", "?category=UTILITY", "?text=a%20b", ""),
                "byPreview", "WHATSAPP_DIRECT_SEND",
                "notes", java.util.Arrays.asList(
                        "WhatsApp · Direct Send: not now, only for an answer marked utility (it would cost €0.0456).", null, null),
                "why", List.of("only for an answer marked utility", "not enabled for this business number",
                        "refused by WhatsApp for this business number for now",
                        "the window is open: a normal WhatsApp message goes", "something new"),
                "channel", "WhatsApp · Direct Send"));
    }

    @Test
    void shouldRenderEveryKindOfThreadEntry() throws IOException {
        // Given the thread fixture of the fake gateway (every inbound type the console shows, a read reply, a reply
        // WhatsApp failed with 131047 and its SMS failover), rendered by the console's thread module
        String thread = new String(FakeGateway.class.getResourceAsStream("/console-fake/messages-15551230001.json")
                .readAllBytes(), StandardCharsets.UTF_8).replaceAll("\\{\\{[A-Z0-9_]+}}", "2026-12-06T09:30:00Z");
        @SuppressWarnings("unchecked")
        Map<String, String> texts = (Map<String, String>) browser.run("""
                const t = await import('/console/js/thread.js');
                const page = %s;
                const context = {loadImage: async () => 'data:,', download: () => {}, now: () => Date.parse('2026-12-06T10:00:00Z'),
                  lookup: (wamid) => page.items.find((i) => i.providerMessageId === wamid)};
                const list = document.createElement('ol');
                document.body.append(list);
                page.items.slice().reverse().forEach((item) => list.append(t.renderItem(item, context)));
                return Object.fromEntries([...list.children].map((li) => [li.dataset.entryId,
                  li.innerText.replace(/\\s+/g, ' ').trim() + ' | ' + [...li.querySelectorAll('a')].map((a) => a.getAttribute('href')).join()]));"""
                .formatted(thread));

        // Then each shows what the agent needs, as text
        assertThat(texts.get("in:wamid.1")).contains("Customer", "WhatsApp", "Where is my parcel?");
        assertThat(texts.get("in:wamid.2")).contains("↩ In reply to “Where is my parcel?”", "This is the box", "👍");
        assertThat(texts.get("in:wamid.3")).contains("Download invoice.pdf, 12 KB");
        assertThat(texts.get("in:wamid.4")).contains("Location: Depot, Alexanderplatz 1, Berlin", "52.52, 13.405", "openstreetmap.org");
        assertThat(texts.get("in:wamid.5")).contains("Contact: Ann Example: +4917612345678");
        assertThat(texts.get("in:wamid.6")).startsWith("Customer").contains("Chose “Yes, leave it at the door”")
                .containsOnlyOnce("Yes, leave it at the door");
        assertThat(texts.get("out:cmd-1/REPLY")).contains("agent-7", "Hi Ada, how can we help?", "✓✓", "read",
                "cost €0.0456 (UTILITY DE)").doesNotContain("window open");
        assertThat(texts.get("out:cmd-2/REPLY")).contains("failed", "error 131047 Re-engagement message",
                "see the fallback that replaced it", "#m-out_cmd-2_FAILOVER");
        assertThat(texts.get("out:cmd-2/FAILOVER")).contains("SMS", "fallback after a failure", "✓✓", "delivered",
                "Fallback for the message that failed", "#m-out_cmd-2_REPLY", "cost €0.0789");
        assertThat(browser.severeConsoleMessages()).isEmpty();
    }

    private static String version(Path binary) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(binary.toString(), "--version").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return output;
    }
}
