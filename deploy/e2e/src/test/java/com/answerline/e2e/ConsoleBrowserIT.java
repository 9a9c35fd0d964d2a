package com.answerline.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.Select;

/**
 * Issue 16 item 7: the agents' console in Debian's headless chromium against the started stack, as an agent uses
 * it. The agent signs in through the sandbox's sign-in page (OpenID Connect, code + PKCE); a customer's message
 * appears live in the list; the agent opens it and reads it (the text, and the image the customer sent, fetched
 * with the token) with the window's countdown; replies inside the window and sees it delivered (✓✓); for a
 * 25-hour-old conversation the composer says, before sending, that the reply goes as an SMS with the link and what
 * it costs, and the phone gets the SMS; a template reply with its parameters; a held answer cancelled; WhatsApp's
 * late 131047 shown with its SMS failover; and all of it at 360 px; and (issue 19) a 25-hour-old conversation answered
 * on WhatsApp through Direct Send once the agent marked the answer utility. The steps share one browser and run in order;
 * each saves a screenshot under {@code target/browser/}.
 */
@ExtendWith(LocalStackExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String PHONE_NUMBER_ID = "100000000000001";
    private static final String OPEN_CUSTOMER = "15551260001";
    private static final String CLOSED_CUSTOMER = "15551260002";
    private static final String HOLD_CUSTOMER = "15551260003";
    private static final String FAILOVER_CUSTOMER = "15551260004";
    private static final String DIRECT_SEND_CUSTOMER = "15551260005";
    private static final String CONSOLE = StackHttp.INGEST + "/console/";

    private static final StackHttp http = new StackHttp();
    private static Browser browser;
    private static ChromeDriver driver;

    @BeforeAll
    static void startBrowser() {
        browser = Browser.start(1280, 800);
        driver = browser.driver();
    }

    @AfterAll
    static void stopBrowser() {
        if (browser != null) {
            browser.close();
        }
    }

    @AfterEach
    void resetFaultsAndCheckThePage(TestInfo test) {
        // The page as each test left it (the first thing to look at when one fails)
        browser.screenshot("last-" + test.getTestMethod().map(java.lang.reflect.Method::getName).orElse("test"));
        http.postJson(StackHttp.SANDBOX + "/sandbox/faults", "{\"whatsapp\":{\"mode\":\"OK\"},\"sms\":{\"mode\":\"OK\"}}");
        // An outcome link answers 404 until dispatch reported (the console asks it only as the live feed's fallback)
        assertThat(browser.severeConsoleMessages()).as("script errors and CSP violations in the console")
                .filteredOn(m -> !(m.contains("/api/v1/replies/") && m.contains("status of 404"))).isEmpty();
    }

    @Test
    @Order(1)
    void shouldSignInThroughTheSandboxSignInPage() {
        // Given the console as ingest serves it, with its headers
        StackHttp.Response page = http.getText(CONSOLE);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Security-Policy"))
                .contains("connect-src 'self' " + StackHttp.SANDBOX, "frame-ancestors 'none'");

        // When the agent opens it and signs in on the sandbox's page as agent-7 of demo
        driver.get(CONSOLE);
        signIn();

        // Then the console shows who signed in, with no code left in the address bar, and its live feed is open
        assertThat(driver.findElement(By.id("who")).getText()).isEqualTo("agent-7 · demo");
        assertThat(driver.getCurrentUrl()).isEqualTo(CONSOLE);
        browser.screenshot("02-signed-in");
    }

    @Test
    @Order(2)
    void shouldShowACustomersMessageLiveAndLetTheAgentReadItWithItsImageAndCountdown() {
        // Given the signed-in console
        openSignedIn();

        // When a customer writes, then sends a picture
        customerWrites(OPEN_CUSTOMER, "{\"text\":\"Where is my parcel?\"}", Instant.now());

        // Then the conversation appears in the list without a reload, counting down from 24 hours
        String conversation = conversation(OPEN_CUSTOMER);
        // (the list is re-rendered as events arrive: the item is read afresh each time, never kept)
        String item = waitFor(d -> {
            String text = d.findElement(By.cssSelector(conversation)).getText();
            return text.matches("(?s).*closes in 2[34]:\\d\\d:\\d\\d.*") ? text : null;
        });
        assertThat(item).contains("+" + OPEN_CUSTOMER, "Unanswered");
        browser.screenshot("03-live-message");
        customerWrites(OPEN_CUSTOMER, "{\"image\":{\"caption\":\"The box arrived like this\"}}", Instant.now());

        // When the agent opens it
        click(By.cssSelector(conversation));

        // Then the thread shows the text and the image (fetched with the token, shown through an object URL)
        waitFor(d -> d.findElement(By.id("messages")).getText().contains("Where is my parcel?"));
        waitFor(d -> imageLoaded());
        assertThat(driver.findElement(By.cssSelector("#messages img")).getAttribute("src")).startsWith("blob:");
        assertThat(driver.findElement(By.id("messages")).getText()).contains("The box arrived like this");
        assertThat(driver.findElement(By.id("thread-window")).getText()).containsPattern("window closes in 2[34]:\\d\\d:\\d\\d");
        browser.screenshot("04-thread");
    }

    @Test
    @Order(3)
    void shouldSayTheChannelAndCostThenReplyInsideTheWindowAndShowItDelivered() {
        // Given the open conversation: before sending, the composer says WhatsApp and what it costs
        openConversation(OPEN_CUSTOMER);
        waitFor(d -> d.findElement(By.id("route")).getText().startsWith("Sends on WhatsApp · costs "));

        // When the agent answers (Enter sends)
        WebElement draft = driver.findElement(By.id("draft"));
        draft.sendKeys("Your parcel is on its way");
        draft.sendKeys(Keys.ENTER);

        // Then the reply is in the thread with two ticks once WhatsApp reports it delivered (or read), and on the phone
        String ticks = waitFor(d -> d.findElements(By.cssSelector("#messages .msg.outbound")).stream()
                .filter(m -> m.getText().contains("Your parcel is on its way"))
                .map(m -> m.findElement(By.cssSelector(".ticks")))
                .filter(t -> List.of("DELIVERED", "READ").contains(t.getAttribute("data-state")))
                .map(WebElement::getText)
                .findFirst().orElse(null));
        assertThat(ticks).isEqualTo("✓✓");
        assertThat(texts(OPEN_CUSTOMER, "WHATSAPP")).containsExactly("Your parcel is on its way");
        browser.screenshot("05-delivered");
    }

    @Test
    @Order(4)
    void shouldSayBeforeSendingThatA25HourOldConversationIsAnsweredBySmsWithTheLinkAndItsCost() {
        // Given a customer whose last message is 25 hours old
        customerWrites(CLOSED_CUSTOMER, "{\"text\":\"Anyone there?\"}", Instant.now().minus(Duration.ofHours(25)));
        openConversation(CLOSED_CUSTOMER);

        // Then, before anything is sent, the composer offers the choices, SMS with the link chosen, with its cost
        // (the choices are re-rendered as the preview is re-read: elements are found afresh, their id kept)
        By sms = By.cssSelector("#route input[data-kind=SMS_WITH_LINK]");
        waitFor(d -> d.findElement(sms).isSelected());
        assertThat(driver.findElement(By.cssSelector("#route legend")).getText()).isEqualTo("The window is closed: choose how to answer");
        By smsLabel = By.cssSelector("label[for='" + waitFor(d -> d.findElement(sms).getAttribute("id")) + "']");
        String label = waitFor(d -> d.findElement(smsLabel).getText());
        assertThat(label).contains("SMS with a link back to WhatsApp").containsPattern("costs [€$£]\\d");
        assertThat(driver.findElement(By.cssSelector(conversation(CLOSED_CUSTOMER))).getText()).contains("Closed unanswered");
        type(By.id("draft"), "Sorry for the wait");
        waitFor(d -> d.findElement(smsLabel).getText().contains("1 SMS segment"));
        browser.screenshot("06-sms-before-sending");

        // When the agent sends it
        click(By.id("send"));

        // Then the phone gets the SMS with the link back to WhatsApp, and the console shows it sent
        List<String> onThePhone = waitFor(d -> {
            List<String> texts = texts(CLOSED_CUSTOMER, "SMS");
            return texts.isEmpty() ? null : texts;
        });
        assertThat(onThePhone).singleElement().asString().startsWith("Sorry for the wait").contains("https://wa.me/15550000001");
        waitFor(d -> d.findElements(By.cssSelector("#messages .msg.outbound[data-entry-id$='/REPLY']")).stream()
                .anyMatch(m -> m.getText().contains("SMS") && m.getText().contains("Sorry for the wait")));
        browser.screenshot("07-sms-sent");
    }

    @Test
    @Order(5)
    void shouldSendATemplateWithTheParametersTheAgentFilledIn() {
        // Given the closed conversation
        openConversation(CLOSED_CUSTOMER);

        // When the agent chooses the approved template and fills in its two parameters
        click(By.cssSelector("#route input[value='TEMPLATE:customer_care_reopen:en_US']"));
        type(By.xpath("//label[normalize-space(text())='Parameter 1 ({{1}})']/input"), "Ada");
        type(By.xpath("//label[normalize-space(text())='Parameter 2 ({{2}})']/input"), "the demo team");
        browser.screenshot("08-template-parameters");
        click(By.id("send"));

        // Then the phone gets the template with them
        List<String> templates = waitFor(d -> {
            List<String> texts = texts(CLOSED_CUSTOMER, "WHATSAPP_TEMPLATE");
            return texts.isEmpty() ? null : texts;
        });
        assertThat(templates).singleElement().asString().startsWith("Dear Ada,").contains("the demo team");
        browser.screenshot("09-template-sent");
    }

    @Test
    @Order(6)
    void shouldHoldAnAnswerAndCancelIt() {
        // Given a closed conversation and an answer held until the customer is back
        customerWrites(HOLD_CUSTOMER, "{\"text\":\"Hello?\"}", Instant.now().minus(Duration.ofHours(25)));
        openConversation(HOLD_CUSTOMER);
        click(By.cssSelector("#route input[data-kind=HOLD]"));
        type(By.id("draft"), "Your refund was approved");
        click(By.id("send"));
        waitFor(d -> {
            // a refused send says why under the button: fail with that instead of waiting out the timeout
            assertThat(d.findElement(By.id("send-message")).getText()).as("the composer's message").isEmpty();
            return d.findElement(By.cssSelector("#held-list button.cancel-hold")).isDisplayed();
        });
        waitFor(d -> d.findElement(By.id("held")).getText().contains("Your refund was approved"));
        browser.screenshot("10-held");

        // When the agent cancels it
        click(By.cssSelector("#held-list button.cancel-hold"));

        // Then it leaves the held answers and its outcome says cancelled; the phone only got the invitation
        waitFor(d -> !d.findElement(By.id("held")).isDisplayed());
        waitFor(d -> d.findElements(By.cssSelector("#outcomes [data-status=CANCELLED]")).size() == 1);
        assertThat(texts(HOLD_CUSTOMER, "WHATSAPP_TEMPLATE")).singleElement().asString().startsWith("Dear ");
        assertThat(texts(HOLD_CUSTOMER, "WHATSAPP")).isEmpty();
        browser.screenshot("11-held-cancelled");
    }

    @Test
    @Order(7)
    void shouldShowWhatsAppsLateFailureWithItsCodeAndTheSmsThatReplacedIt() {
        // Given an open conversation, and WhatsApp accepting the next message only to fail it later with 131047
        customerWrites(FAILOVER_CUSTOMER, "{\"text\":\"Can you call me?\"}", Instant.now());
        StackHttp.Response fault = http.postJson(StackHttp.SANDBOX + "/sandbox/faults",
                "{\"whatsapp\":{\"mode\":\"WINDOW_CLOSED_LATE\",\"count\":1}}");
        assertThat(fault.status()).as("%s", fault).isBetween(200, 299);
        openConversation(FAILOVER_CUSTOMER);
        waitFor(d -> d.findElement(By.id("route")).getText().startsWith("Sends on WhatsApp"));

        // When the agent replies
        WebElement draft = driver.findElement(By.id("draft"));
        draft.sendKeys("We will call you today");
        draft.sendKeys(Keys.ENTER);

        // Then the WhatsApp message shows the failure with WhatsApp's code, linked to the SMS sent in its place
        waitFor(d -> d.findElement(By.cssSelector("#messages .msg.outbound.failed")).getText().contains("131047"));
        waitFor(d -> d.findElement(By.cssSelector("#messages .msg.outbound.failed .failover a")).getAttribute("href")
                .contains("FAILOVER"));
        String failover = waitFor(d -> d.findElement(By.cssSelector("#messages .msg.outbound[data-entry-id$='/FAILOVER']"))
                .getText());
        assertThat(failover).contains("SMS", "fallback after a failure", "We will call you today");
        browser.screenshot("12-failure-and-failover");
    }

    @Test
    @Order(8)
    void shouldBeUsableAt360PixelsWide() {
        browser.resize(360, 780);
        try {
            driver.get(CONSOLE);
            openSignedIn();
            waitFor(d -> !d.findElements(By.cssSelector(conversation(OPEN_CUSTOMER))).isEmpty());
            assertThat(browser.horizontalOverflow()).as("horizontal overflow in CSS pixels").isLessThanOrEqualTo(0L);
            browser.screenshot("13-narrow-list");
            click(By.cssSelector(conversation(OPEN_CUSTOMER)));
            waitFor(d -> d.findElement(By.id("messages")).getText().contains("Your parcel is on its way"));
            waitFor(d -> imageLoaded());
            assertThat(driver.findElement(By.id("list-pane")).isDisplayed()).isFalse();
            assertThat(browser.horizontalOverflow()).as("horizontal overflow in CSS pixels").isLessThanOrEqualTo(0L);
            browser.screenshot("14-narrow-thread");
        } finally {
            browser.resize(1280, 800);
        }
    }

    @Test
    @Order(9)
    void shouldListTheConversationsMostUrgentWindowFirst() {
        // Given the four conversations of this class (and whatever other tests left in tenant demo)
        driver.get(CONSOLE);
        openSignedIn();
        List<String> mine = List.of(CLOSED_CUSTOMER, HOLD_CUSTOMER, OPEN_CUSTOMER, FAILOVER_CUSTOMER);
        waitFor(d -> mine.stream().allMatch(c -> !d.findElements(By.cssSelector(conversation(c))).isEmpty()));

        // Then the closed windows come first (the one that closed earliest on top), then the open ones by expiry
        List<String> order = driver.findElements(By.cssSelector("[data-conversation-id]")).stream()
                .map(e -> e.getAttribute("data-conversation-id"))
                .map(id -> id.substring(id.indexOf(':') + 1))
                .filter(mine::contains)
                .toList();
        assertThat(order).containsExactly(CLOSED_CUSTOMER, HOLD_CUSTOMER, OPEN_CUSTOMER, FAILOVER_CUSTOMER);

        // The picture for the README (docs/console.png is this file of a run)
        click(By.cssSelector(conversation(OPEN_CUSTOMER)));
        waitFor(d -> imageLoaded());
        waitFor(d -> d.findElement(By.id("route")).getText().startsWith("Sends on WhatsApp"));
        type(By.id("draft"), "Anything else I can do for you?");
        browser.screenshot("15-console");
        assertThat(driver.findElement(By.cssSelector("#messages figure")).getText()).contains("The box arrived like this");
    }

    @Test
    @Order(10)
    void shouldAnswerA25HourOldConversationOnWhatsAppThroughDirectSendOnceMarkedUtility() {
        // Given a customer whose last message is 25 hours old (demo's number may use Direct Send)
        customerWrites(DIRECT_SEND_CUSTOMER, "{\"text\":\"Where is my order?\"}", Instant.now().minus(Duration.ofHours(25)));
        openConversation(DIRECT_SEND_CUSTOMER);

        // Then, unmarked, Direct Send is not offered and the composer says why
        waitFor(d -> d.findElement(By.id("route")).getText().contains("WhatsApp · Direct Send: not now"));
        assertThat(driver.findElements(By.cssSelector("#route input[data-channel=WHATSAPP_DIRECT_SEND]"))).isEmpty();

        // When the agent marks the answer utility, Direct Send is offered with its cost; the agent chooses it and sends
        click(By.id("utility"));
        By directSend = By.cssSelector("#route input[data-channel=WHATSAPP_DIRECT_SEND]");
        waitFor(d -> !d.findElements(directSend).isEmpty());
        By directSendLabel = By.cssSelector("label[for='" + waitFor(d -> d.findElement(directSend).getAttribute("id")) + "']");
        String label = waitFor(d -> d.findElement(directSendLabel).getText());
        assertThat(label).contains("through Direct Send").containsPattern("costs [€$£]\\d");
        click(directSend);
        type(By.id("draft"), "Your order 1234 left our warehouse today");
        waitFor(d -> d.findElement(By.id("send")).getText().equals("Send on WhatsApp (Direct Send)"));
        browser.screenshot("16-direct-send-before-sending");
        click(By.id("send"));

        // Then the phone gets the agent's own words on WhatsApp through Direct Send, and nothing else
        List<String> onThePhone = waitFor(d -> {
            List<String> texts = texts(DIRECT_SEND_CUSTOMER, "WHATSAPP_DIRECT_SEND");
            return texts.isEmpty() ? null : texts;
        });
        assertThat(onThePhone).containsExactly("Your order 1234 left our warehouse today");
        assertThat(texts(DIRECT_SEND_CUSTOMER, "SMS")).isEmpty();
        assertThat(texts(DIRECT_SEND_CUSTOMER, "WHATSAPP_TEMPLATE")).isEmpty();
        // And the thread labels the reply WhatsApp · Direct Send
        waitFor(d -> d.findElements(By.cssSelector("#messages .msg.outbound[data-entry-id$='/REPLY']")).stream()
                .anyMatch(m -> m.getText().contains("WhatsApp · Direct Send")
                        && m.getText().contains("Your order 1234 left our warehouse today")));
        browser.screenshot("17-direct-send-sent");
    }

    /** Signs in on the sandbox's page as agent-7 of demo, from the console's sign-in screen; waits for the live feed. */
    private static void signIn() {
        waitFor(d -> d.findElement(By.id("login")).isDisplayed());
        driver.findElement(By.id("login")).click();
        WebElement agentId = waitFor(d -> d.findElement(By.id("agentId")));
        assertThat(driver.getCurrentUrl()).startsWith(StackHttp.SANDBOX + "/sandbox/oidc/authorize?")
                .contains("code_challenge_method=S256");
        agentId.clear();
        agentId.sendKeys("agent-7");
        WebElement tenant = driver.findElement(By.id("tenantId"));
        tenant.clear();
        tenant.sendKeys("demo");
        new Select(driver.findElement(By.id("role"))).selectByValue("agent");
        browser.screenshot("01-sandbox-sign-in");
        driver.findElement(By.id("sign-in")).click();
        waitFor(d -> d.findElement(By.id("who")).isDisplayed());
        waitFor(d -> "open".equals(d.findElement(By.id("live-status")).getAttribute("data-state")));
    }

    /**
     * The console, signed in: when an earlier test left the browser elsewhere or signed out (it failed half-way), this
     * one signs in again instead of failing for that reason too.
     */
    private static void openSignedIn() {
        if (!driver.getCurrentUrl().startsWith(CONSOLE)) {
            driver.get(CONSOLE);
        }
        String state = waitFor(d -> d.findElement(By.id("who")).isDisplayed() ? "signed in"
                : d.findElement(By.id("login")).isDisplayed() ? "signed out" : null);
        if (state.equals("signed out")) {
            System.out.println("ConsoleBrowserIT: the console was signed out (an earlier test failed?); signing in again");
            signIn();
        }
    }

    private void customerWrites(String customer, String content, Instant sentAt) {
        String body = content.substring(0, content.length() - 1)
                + ",\"phoneNumberId\":\"" + PHONE_NUMBER_ID + "\",\"sentAt\":\"" + sentAt + "\"}";
        StackHttp.Response sent = http.postJson(StackHttp.SANDBOX + "/sandbox/customers/" + customer + "/messages", body);
        assertThat(sent.status()).as("sandbox customer simulator: %s", sent).isBetween(200, 299);
        assertThat(sent.body()).as("ingest took the webhook").contains("\"ingestStatus\":200");
    }

    /**
     * The conversation in the list (it arrives live), opened, its thread read. A CI run (2026-12-07) never showed a new
     * conversation's row within 60 s; cause not established (the live feed's event, or a row beyond the first 50).
     * So, after 20 s without it, the page is read again, as an agent would reload, and "Load more conversations" is
     * followed until the row is there.
     */
    private void openConversation(String customer) {
        openSignedIn();
        try {
            browser.waitUpTo(Duration.ofSeconds(20), d -> !d.findElements(By.cssSelector(conversation(customer))).isEmpty());
        } catch (org.openqa.selenium.TimeoutException e) {
            System.out.println("ConsoleBrowserIT: " + customer + " not in the live list after 20 s; reloading the page");
            driver.navigate().refresh();
        }
        waitFor(d -> {
            if (!d.findElements(By.cssSelector(conversation(customer))).isEmpty()) {
                return true;
            }
            WebElement more = d.findElement(By.id("more-conversations"));
            if (more.isDisplayed() && more.isEnabled()) {
                more.click();
            }
            return false;
        });
        click(By.cssSelector(conversation(customer)));
        waitFor(d -> d.findElement(By.id("thread-title")).getText().contains(customer));
        waitFor(d -> !d.findElements(By.cssSelector("#messages > li")).isEmpty());
    }

    /** The texts the customer's sandbox phone received on a channel. */
    private static List<String> texts(String customer, String channel) {
        return http.get(StackHttp.SANDBOX + "/sandbox/phones/" + customer)
                .read("$[?(@.channel == '" + channel + "')].text");
    }

    private static String conversation(String customer) {
        return "[data-conversation-id='" + PHONE_NUMBER_ID + ":" + customer + "']";
    }



    /** The thread's picture has arrived (fetched with the token) and decoded. */
    private static boolean imageLoaded() {
        return (Long) driver.executeScript("const img = document.querySelector('#messages img');"
                + " return img && img.complete ? img.naturalWidth : 0;") > 0;
    }

    /** Types into a field the page may re-render meanwhile (stale: found again, cleared, typed again). */
    private static void type(By field, String text) {
        waitFor(d -> {
            WebElement element = d.findElement(field);
            element.clear();
            element.sendKeys(text);
            return true;
        });
    }

    private static void click(By element) {
        waitFor(d -> {
            d.findElement(element).click();
            return true;
        });
    }

    /** Waits for the condition; when it does not come, the failure's first line says what the page showed instead. */
    private static <T> T waitFor(Function<WebDriver, T> condition) {
        try {
            return browser.waitUpTo(TIMEOUT, condition);
        } catch (org.openqa.selenium.TimeoutException e) {
            throw new AssertionError("waited " + TIMEOUT.toSeconds() + " s in vain; " + browser.pageState(), e);
        }
    }
}
