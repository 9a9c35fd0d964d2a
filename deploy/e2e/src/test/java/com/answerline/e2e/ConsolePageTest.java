package com.answerline.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;

/**
 * The whole console in the real browser against {@link FakeGateway} (no stack): sign-in with PKCE, the list with
 * live countdowns, markers and filters, live events, the thread with media, ticks, the 131047 failure and its
 * failover, the composer's channel and cost before sending and its choices when the window is closed, held answers,
 * take/release, 360 px and the keyboard, and the way back to sign-in on a 401. Every test also checks the page
 * logged no script error and no Content-Security-Policy violation. Direct Send: the utility mark, the option offered
 * with its cost once marked (why not before), the reply asking for it, and the thread's "WhatsApp · Direct Send".
 * {@link ConsoleBrowserIT} does the issue's
 * scenarios on the real stack.
 */
class ConsolePageTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final String OPEN = "100000000000001:15551230001";
    private static final String CLOSED = "100000000000001:15551230002";

    private static FakeGateway gateway;
    private static Browser browser;
    private static ChromeDriver driver;

    @BeforeAll
    static void start() {
        gateway = new FakeGateway();
        browser = Browser.start(1280, 800);
        driver = browser.driver();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        gateway.close();
    }

    /** Each test starts signed out, at 1280 x 800, on a page of its own (one browser for the class: it starts slowly). */
    @BeforeEach
    void signedOut() {
        browser.resize(1280, 800);
        driver.get(gateway.base() + "/");
        driver.executeScript("sessionStorage.clear()");
        browser.severeConsoleMessages();
    }

    @AfterEach
    void checkThePage(TestInfo test) {
        browser.screenshot("page-last-" + test.getTestMethod().orElseThrow().getName());
        assertThat(scriptErrors()).as("script errors and CSP violations in the page").isEmpty();
    }

    @Test
    void shouldSignInWithPkceAndKeepTheCodeOutOfTheAddressBar() {
        // When the agent opens the console and signs in
        int exchangesBefore = gateway.verifiedExchanges().size();
        signIn();

        // Then the provider saw the verifier of the S256 challenge, the address is the console's again, the token
        // is in this tab's sessionStorage only, and the tenant's conversations are listed
        assertThat(gateway.verifiedExchanges()).hasSize(exchangesBefore + 1);
        assertThat(driver.getCurrentUrl()).isEqualTo(gateway.consoleUrl());
        assertThat(text("#who")).isEqualTo("Agent Seven · demo");
        assertThat(driver.executeScript("return Object.keys(sessionStorage)")).isEqualTo(List.of("answerline.console.session"));
        assertThat(driver.executeScript("return Object.keys(localStorage).length")).isEqualTo(0L);
        waitFor(d -> d.findElements(By.cssSelector("[data-conversation-id]")).size() == 2);
        browser.screenshot("page-01-signed-in");

        // And signing out forgets the token
        driver.findElement(By.id("sign-out")).click();
        assertThat(driver.findElement(By.id("signin")).isDisplayed()).isTrue();
        assertThat(driver.executeScript("return sessionStorage.length")).isEqualTo(0L);
    }

    @Test
    void shouldListTheMostUrgentFirstWithLiveCountdownsMarkersAndFilters() {
        signIn();

        // Then the closed, unanswered conversation comes first, marked so; the open one counts down every second
        List<WebElement> items = waitFor(d -> {
            List<WebElement> found = d.findElements(By.cssSelector("[data-conversation-id]"));
            return found.size() == 2 ? found : null;
        });
        assertThat(items.get(0).getAttribute("data-conversation-id")).isEqualTo(CLOSED);
        assertThat(items.get(0).getText()).contains("Bob (+15551230002)", "Closed unanswered", "window closed", "unassigned");
        assertThat(items.get(1).getText()).contains("Ada (+15551230001)", "assigned to you").containsPattern("closes in 2[23]:\\d\\d:\\d\\d");
        String countdown = text(conversation(OPEN) + " .countdown");
        waitFor(d -> !text(conversation(OPEN) + " .countdown").equals(countdown));

        // When the agent filters: mine, then expiring
        driver.findElement(By.cssSelector("input[name=filter][value=mine]")).click();
        waitFor(d -> !gateway.requests("GET", "/api/v1/conversations?limit=50&assignee=me").isEmpty());
        driver.findElement(By.cssSelector("input[name=filter][value=expiring]")).click();
        waitFor(d -> !gateway.requests("GET", "/api/v1/conversations?limit=50&window=expiring&within=PT1H").isEmpty());
    }

    @Test
    void shouldShowANewConversationAndItsMessagesLiveWithoutReload() {
        // Given a signed-in agent whose live feed is open
        signIn();
        waitFor(d -> "open".equals(attribute("#live-status", "data-state")));
        String id = "100000000000001:15551239999";

        // When a new customer writes
        gateway.push("conversation", """
                {"conversationId":"%s","version":1,"windowOpen":true,"windowExpiresAt":"%s","unansweredSince":"%s",
                 "lastInboundAt":"%s","closedUnanswered":false}""".formatted(id, inHours(24), inHours(0), inHours(0)));

        // Then it appears in the list, unanswered, and the live region says so
        waitFor(d -> !d.findElements(By.cssSelector(conversation(id))).isEmpty());
        assertThat(text(conversation(id))).contains("+15551239999", "Unanswered").containsPattern("closes in 23:\\d\\d:\\d\\d");
        waitFor(d -> text("#announcer").contains("New conversation"));

        // And when the agent has it open, the next message is appended to the thread as it comes
        click(By.cssSelector(conversation(OPEN)));
        waitFor(d -> d.findElements(By.cssSelector("#messages > li")).size() == 9);
        gateway.push("message", """
                {"conversationId":"%s","message":{"id":"in:wamid.9","direction":"INBOUND","channel":"WHATSAPP","at":"%s",
                 "type":"text","text":"Are you still there?","providerMessageId":"wamid.9"}}""".formatted(OPEN, inHours(0)));
        waitFor(d -> text("#messages").contains("Are you still there?"));
        assertThat(driver.findElements(By.cssSelector("#messages > li")).get(9).getText()).contains("Are you still there?");
        waitFor(d -> text("#announcer").contains("Are you still there?"));
    }

    @Test
    void shouldShowTheThreadWithMediaTicksTheFailureAndItsFailover() {
        signIn();
        click(By.cssSelector(conversation(OPEN)));

        // The image is fetched with the token and shown through an object URL
        WebElement image = waitFor(d -> {
            WebElement found = d.findElement(By.cssSelector("#messages img"));
            Object width = driver.executeScript("return arguments[0].naturalWidth", found);
            return ((Long) width) > 0 ? found : null;
        });
        assertThat(image.getAttribute("src")).startsWith("blob:");
        assertThat(image.getAttribute("alt")).isEqualTo("Image from the customer");
        assertThat(driver.findElement(By.cssSelector("#messages figure figcaption")).getText()).isEqualTo("This is the box");
        assertThat(gateway.requests("GET", "/api/v1/conversations/" + OPEN + "/media/MEDIA_IMG")).isNotEmpty()
                .allSatisfy(r -> assertThat(r.authorization()).startsWith("Bearer "));

        // The read reply has highlighted double ticks, the failed one WhatsApp's code and title, linked to its SMS
        assertThat(driver.findElement(By.cssSelector("#m-out_cmd-1_REPLY .ticks")).getAttribute("data-state")).isEqualTo("READ");
        assertThat(text("#m-out_cmd-1_REPLY .ticks")).isEqualTo("✓✓");
        assertThat(text("#m-out_cmd-2_REPLY")).contains("error 131047 Re-engagement message");
        assertThat(driver.findElement(By.cssSelector("#m-out_cmd-2_REPLY")).getAttribute("class")).contains("failed");
        assertThat(text("#m-out_cmd-2_FAILOVER")).contains("SMS", "fallback after a failure", "✓✓", "delivered");
        assertThat(text("#messages")).contains("Ann Example: +4917612345678", "Location: Depot", "↩ In reply to “Where is my parcel?”", "👍");
        browser.screenshot("page-02-thread");

        // A document is a download, fetched with the token when asked for
        driver.findElement(By.cssSelector("#messages button.download")).click();
        waitFor(d -> !gateway.requests("GET", "/api/v1/conversations/" + OPEN + "/media/MEDIA_DOC").isEmpty());
    }

    @Test
    void shouldSayTheChannelAndCostBeforeSendingAndShowTheOutcomeAsItArrives() {
        signIn();
        click(By.cssSelector(conversation(OPEN)));

        // Before sending: the channel and its cost
        waitFor(d -> text("#route").contains("Sends on WhatsApp · costs €0.0456"));
        assertThat(text("#send")).isEqualTo("Send on WhatsApp");

        // Typing re-reads the preview with the draft (debounced); Enter sends with an Idempotency-Key
        WebElement draft = driver.findElement(By.id("draft"));
        draft.sendKeys("Your parcel is at the depot");
        waitFor(d -> !gateway.requests("GET", "/api/v1/conversations/" + OPEN + "?text=Your%20parcel%20is%20at%20the%20depot").isEmpty());
        draft.sendKeys(Keys.ENTER);
        FakeGateway.Request post = waitFor(d -> gateway.requests("POST", "/api/v1/conversations/" + OPEN + "/replies")
                .stream().findFirst().orElse(null));
        assertThat(post.idempotencyKey()).isNotBlank();
        assertThat(JsonPath.<String>read(post.body(), "$.text")).isEqualTo("Your parcel is at the depot");
        assertThat(JsonPath.<String>read(post.body(), "$.fallback")).isEqualTo("AUTO");
        String commandId = FakeGateway.commandIdOf(post.idempotencyKey());
        String outcome = "#outcomes [data-command-id='" + commandId + "']";
        waitFor(d -> "PENDING".equals(attribute(outcome, "data-status")));
        assertThat(draft.getAttribute("value")).isEmpty();

        // The outcome as it arrives: sent, then delivered (live), the thread entry with its ticks
        gateway.push("reply-outcome", """
                {"commandId":"%s","conversationId":"%s","status":"SENT","final":true,"step":"REPLY","channel":"WHATSAPP",
                 "reason":"WINDOW_OPEN","estimatedCost":{"currency":"EUR","amount":"0.0456","amountMicros":45600},
                 "delivery":{"state":"DELIVERED"}}""".formatted(commandId, OPEN));
        waitFor(d -> "DELIVERED".equals(attribute(outcome, "data-delivery")));
        assertThat(text(outcome)).contains("✓✓", "delivered", "on WhatsApp", "cost €0.0456");
        gateway.push("message", """
                {"conversationId":"%s","message":{"id":"out:%s/REPLY","direction":"OUTBOUND","channel":"WHATSAPP","at":"%s",
                 "type":"text","text":"Your parcel is at the depot","commandId":"%s","step":"REPLY","agentId":"agent-7",
                 "status":"SENT","delivery":{"state":"DELIVERED"}}}""".formatted(OPEN, commandId, inHours(0), commandId));
        waitFor(d -> !d.findElements(By.cssSelector("[data-entry-id='out:" + commandId + "/REPLY'] .ticks[data-state=DELIVERED]")).isEmpty());
        browser.screenshot("page-03-delivered");
    }

    @Test
    void shouldOfferSmsTemplateAndHoldWhenTheWindowIsClosedAndCancelAHeldAnswer() {
        signIn();
        click(By.cssSelector(conversation(CLOSED)));

        // The window is closed: the allowed choices, the preview's one (SMS with the link) chosen, each with its cost
        waitFor(d -> text("#route").contains("The window is closed: choose how to answer"));
        WebElement sms = driver.findElement(By.cssSelector("#route input[data-kind=SMS_WITH_LINK]"));
        assertThat(sms.isSelected()).isTrue();
        assertThat(text("label[for='" + sms.getAttribute("id") + "']"))
                .contains("SMS with a link back to WhatsApp", "costs €0.0789", "1 SMS segment, GSM-7");
        assertThat(driver.findElements(By.cssSelector("#route input[data-kind=WHATSAPP_FREE_FORM]"))).isEmpty();
        assertThat(text("#send")).isEqualTo("Send SMS");
        browser.screenshot("page-04-closed-window-choices");

        // A long draft is two segments: the preview is read again with it
        driver.findElement(By.id("draft")).sendKeys("x".repeat(200));
        waitFor(d -> text("label[for='" + sms.getAttribute("id") + "']").contains("2 SMS segments"));

        // A template: one labelled field per parameter, the body as it will read, sent with the parameters
        driver.findElement(By.cssSelector("#route input[value='TEMPLATE:customer_care_reopen:en_US']")).click();
        WebElement first = driver.findElement(By.xpath("//label[normalize-space(text())='Parameter 1 ({{1}})']/input"));
        WebElement second = driver.findElement(By.xpath("//label[normalize-space(text())='Parameter 2 ({{2}})']/input"));
        first.sendKeys("Ada");
        second.sendKeys("the demo team");
        assertThat(text("#route .params .body")).startsWith("Dear Ada, ").endsWith("Best regards, the demo team");
        assertThat(driver.findElement(By.id("draft")).isEnabled()).isFalse();
        driver.findElement(By.id("send")).click();
        FakeGateway.Request template = waitFor(d -> last(gateway.requests("POST", "/api/v1/conversations/" + CLOSED + "/replies")));
        assertThat(JsonPath.<List<String>>read(template.body(), "$.template.parameters")).containsExactly("Ada", "the demo team");
        assertThat(JsonPath.<String>read(template.body(), "$.template.name")).isEqualTo("customer_care_reopen");
        waitFor(d -> d.findElements(By.cssSelector("#route .params input")).stream().allMatch(i -> i.getAttribute("value").isEmpty()));

        // Hold: the text waits for the customer; the held answer is listed and cancelled
        driver.findElement(By.cssSelector("#route input[data-kind=HOLD]")).click();
        assertThat(text("#send")).isEqualTo("Send invitation and hold");
        WebElement draft = driver.findElement(By.id("draft"));
        draft.clear();
        draft.sendKeys("Your refund was approved");
        driver.findElement(By.id("send")).click();
        FakeGateway.Request hold = waitFor(d -> {
            FakeGateway.Request latest = last(gateway.requests("POST", "/api/v1/conversations/" + CLOSED + "/replies"));
            return latest != null && latest.body().contains("TEMPLATE_THEN_HOLD") ? latest : null;
        });
        assertThat(JsonPath.<String>read(hold.body(), "$.text")).isEqualTo("Your refund was approved");
        String commandId = FakeGateway.commandIdOf(hold.idempotencyKey());
        // The thread's entry of this command is the invitation that went out, not the held answer
        gateway.push("message", """
                {"conversationId":"%s","message":{"id":"out:%s/HOLD_INVITATION","direction":"OUTBOUND",
                 "channel":"WHATSAPP_TEMPLATE","at":"%s","type":"template","text":"Dear Ada, please write back",
                 "commandId":"%s","step":"HOLD_INVITATION","agentId":"agent-7","status":"HELD",
                 "reason":"WINDOW_CLOSED_ANSWER_HELD"}}""".formatted(CLOSED, commandId, java.time.Instant.now(), commandId));
        gateway.push("reply-outcome", """
                {"commandId":"%s","conversationId":"%s","status":"HELD","final":false,"step":"HOLD_INVITATION",
                 "channel":"WHATSAPP_TEMPLATE","reason":"WINDOW_CLOSED_HELD","holdExpiresAt":"%s"}""".formatted(commandId, CLOSED, inHours(24)));
        // (the list is rendered again as each event arrives: the button is read afresh each time, never kept)
        By cancel = By.cssSelector("#held-list [data-command-id='" + commandId + "'] button");
        String label = waitFor(d -> d.findElement(cancel).getAttribute("aria-label"));
        assertThat(text("#held")).contains("Held answers", "“Your refund was approved”");
        assertThat(label).isEqualTo("Cancel the held answer “Your refund was approved”");
        browser.screenshot("page-05-held");
        click(cancel);
        waitFor(d -> !gateway.requests("DELETE", "/api/v1/replies/" + commandId + "/hold").isEmpty());
        gateway.push("reply-outcome", """
                {"commandId":"%s","conversationId":"%s","status":"CANCELLED","final":true,"step":"HELD_ANSWER",
                 "reason":"HOLD_CANCELLED"}""".formatted(commandId, CLOSED));
        waitFor(d -> !d.findElement(By.id("held")).isDisplayed());
        waitFor(d -> "CANCELLED".equals(attribute("#outcomes [data-command-id='" + commandId + "']", "data-status")));
    }

    @Test
    void shouldOfferDirectSendForAnAnswerMarkedUtilityAndLabelItOnTheThread() {
        signIn();
        click(By.cssSelector(conversation(CLOSED)));

        // The window is closed and the answer not marked: Direct Send is not a choice, and the composer says why;
        // the mark says in one line what utility means
        waitFor(d -> text("#route").contains("WhatsApp · Direct Send: not now, only for an answer marked utility"));
        assertThat(driver.findElements(By.cssSelector("#route input[data-channel=WHATSAPP_DIRECT_SEND]"))).isEmpty();
        assertThat(text("label[for=utility]")).isEqualTo("Utility");
        assertThat(text("#utility-hint")).contains("an order, a booking or an account", "no promotion", "Direct Send");
        assertThat(driver.findElement(By.id("utility")).getAttribute("aria-describedby")).isEqualTo("utility-hint");

        // When the agent marks it utility: the preview is asked again with the mark, and Direct Send is offered with its cost
        click(By.id("utility"));
        waitFor(d -> !gateway.requests("GET", "/api/v1/conversations/" + CLOSED + "?category=UTILITY").isEmpty());
        WebElement directSend = waitFor(d -> d.findElements(By.cssSelector("#route input[data-channel=WHATSAPP_DIRECT_SEND]"))
                .stream().findFirst().orElse(null));
        assertThat(text("label[for='" + directSend.getAttribute("id") + "']"))
                .contains("Your answer on WhatsApp through Direct Send", "costs €0.0456", "utility message");
        assertThat(text("#route")).doesNotContain("Direct Send: not now");
        browser.screenshot("page-10-direct-send-offered");

        // And chooses it and sends: the reply asks for DIRECT_SEND with the mark
        click(By.cssSelector("#route input[data-channel=WHATSAPP_DIRECT_SEND]"));
        waitFor(d -> text("#send").equals("Send on WhatsApp (Direct Send)"));
        driver.findElement(By.id("draft")).sendKeys("Your order 1234 has shipped");
        waitFor(d -> !gateway.requests("GET", "/api/v1/conversations/" + CLOSED
                + "?text=Your%20order%201234%20has%20shipped&category=UTILITY").isEmpty());
        click(By.id("send"));
        FakeGateway.Request post = waitFor(d -> last(gateway.requests("POST", "/api/v1/conversations/" + CLOSED + "/replies")));
        assertThat(JsonPath.<String>read(post.body(), "$.text")).isEqualTo("Your order 1234 has shipped");
        assertThat(JsonPath.<String>read(post.body(), "$.fallback")).isEqualTo("DIRECT_SEND");
        assertThat(JsonPath.<String>read(post.body(), "$.category")).isEqualTo("UTILITY");
        // the next answer starts unmarked
        waitFor(d -> !d.findElement(By.id("utility")).isSelected());
        String commandId = FakeGateway.commandIdOf(post.idempotencyKey());
        String outcome = "#outcomes [data-command-id='" + commandId + "']";
        waitFor(d -> "PENDING".equals(attribute(outcome, "data-status")));

        // Then its outcome and its thread entry say WhatsApp · Direct Send
        gateway.push("reply-outcome", """
                {"commandId":"%s","conversationId":"%s","status":"SENT","final":true,"step":"REPLY",
                 "channel":"WHATSAPP_DIRECT_SEND","reason":"WINDOW_CLOSED_DIRECT_SEND",
                 "estimatedCost":{"currency":"EUR","amount":"0.0456","amountMicros":45600},"delivery":{"state":"DELIVERED"}}"""
                .formatted(commandId, CLOSED));
        waitFor(d -> "DELIVERED".equals(attribute(outcome, "data-delivery")));
        assertThat(text(outcome)).contains("✓✓", "on WhatsApp · Direct Send", "cost €0.0456");
        gateway.push("message", """
                {"conversationId":"%s","message":{"id":"out:%s/REPLY","direction":"OUTBOUND","channel":"WHATSAPP_DIRECT_SEND",
                 "at":"%s","type":"text","text":"Your order 1234 has shipped","commandId":"%s","step":"REPLY",
                 "agentId":"agent-7","status":"SENT","reason":"WINDOW_CLOSED_DIRECT_SEND","delivery":{"state":"DELIVERED"}}}"""
                .formatted(CLOSED, commandId, inHours(0), commandId));
        String entry = "[data-entry-id='out:" + commandId + "/REPLY']";
        waitFor(d -> !d.findElements(By.cssSelector(entry)).isEmpty());
        assertThat(text(entry + " .head")).contains("agent-7", "WhatsApp · Direct Send");
        assertThat(text(entry)).contains("Your order 1234 has shipped", "delivered");
        browser.screenshot("page-11-direct-send-sent");
    }

    @Test
    void shouldTakeAndReleaseTheConversation() {
        signIn();
        click(By.cssSelector(conversation(CLOSED)));
        waitFor(d -> text("#thread-assignee").equals("Unassigned."));

        driver.findElement(By.id("take")).click();
        FakeGateway.Request take = waitFor(d -> last(gateway.requests("PUT", "/api/v1/conversations/" + CLOSED + "/assignee")));
        assertThat(JsonPath.<String>read(take.body(), "$.agentId")).isEqualTo("agent-7");
        waitFor(d -> text("#thread-assignee").equals("Assigned to you."));
        assertThat(text(conversation(CLOSED))).contains("assigned to you");

        driver.findElement(By.id("release")).click();
        waitFor(d -> !gateway.requests("DELETE", "/api/v1/conversations/" + CLOSED + "/assignee").isEmpty());
        waitFor(d -> text("#thread-assignee").equals("Unassigned."));
    }

    @Test
    void shouldSayClearlyWhoHoldsAConversationWhenTakingItIsRefused() {
        // Given sue took the closed conversation a moment ago (the agent's list still says unassigned)
        signIn();
        click(By.cssSelector(conversation(CLOSED)));
        waitFor(d -> text("#thread-assignee").equals("Unassigned."));
        gateway.heldByAnotherAgent(CLOSED, "sue");
        try {
            // When the agent clicks Take, and the gateway answers 403 naming sue
            driver.findElement(By.id("take")).click();

            // Then the page says who holds it and that a supervisor is needed, and shows sue as the assignee
            waitFor(d -> text("#thread-message").equals("Not taken: this conversation is assigned to sue. Only a "
                    + "supervisor can take over another agent's conversation."));
            assertThat(driver.findElement(By.id("thread-message")).getAttribute("role")).isEqualTo("alert");
            waitFor(d -> text("#thread-assignee").equals("Assigned to sue."));
            assertThat(text(conversation(CLOSED))).contains("sue");
            browser.screenshot("page-09-take-refused");
        } finally {
            gateway.heldByAnotherAgent(CLOSED, null);
        }
    }

    @Test
    void shouldReconnectTheLiveFeedWhenTheGatewayEndsItAtTheTokensExpiry() {
        // Given the agent is signed in and live
        signIn();
        waitFor(d -> "open".equals(attribute("#live-status", "data-state")));
        int streamsAsked = gateway.requests("GET", "/api/v1/events").size();
        String token = last(gateway.requests("GET", "/api/v1/events")).authorization();

        // When the gateway ends the stream as at the token's expiry (the console's token is still valid here)
        gateway.expireStreams();

        // Then the console opens a new stream with its token, stays signed in, and is live again
        waitFor(d -> gateway.requests("GET", "/api/v1/events").size() == streamsAsked + 1);
        assertThat(gateway.openStreams()).isEqualTo(1);
        assertThat(last(gateway.requests("GET", "/api/v1/events")).authorization()).isEqualTo(token);
        waitFor(d -> "open".equals(attribute("#live-status", "data-state")));
        assertThat(driver.findElement(By.id("signin")).isDisplayed()).isFalse();
    }

    @Test
    void shouldFitA360PixelScreenAndWorkWithTheKeyboard() {
        browser.resize(360, 780);
        signIn();
        waitFor(d -> d.findElements(By.cssSelector("[data-conversation-id]")).size() == 2);
        assertThat(browser.horizontalOverflow()).as("horizontal overflow in CSS pixels").isLessThanOrEqualTo(0L);
        browser.screenshot("page-06-narrow-list");

        // Tab reaches the conversations, Enter opens one (the thread replaces the list), Escape goes back
        Actions keys = new Actions(driver);
        for (int i = 0; i < 20 && !OPEN.equals(driver.switchTo().activeElement().getAttribute("data-conversation-id")); i++) {
            keys.sendKeys(Keys.TAB).perform();
        }
        assertThat(driver.switchTo().activeElement().getAttribute("data-conversation-id")).isEqualTo(OPEN);
        keys.sendKeys(Keys.ENTER).perform();
        waitFor(d -> d.findElement(By.id("thread-title")).equals(d.switchTo().activeElement()));
        waitFor(d -> d.findElements(By.cssSelector("#messages > li")).size() == 9);
        assertThat(driver.findElement(By.id("list-pane")).isDisplayed()).isFalse();
        assertThat(browser.horizontalOverflow()).as("horizontal overflow in CSS pixels").isLessThanOrEqualTo(0L);
        browser.screenshot("page-07-narrow-thread");
        keys.sendKeys(Keys.ESCAPE).perform();
        waitFor(d -> d.findElement(By.id("list-pane")).isDisplayed());
        assertThat(driver.switchTo().activeElement().getAttribute("data-conversation-id")).isEqualTo(OPEN);

        // The closed window's choices (a fieldset, with a template's parameter fields) fit as well
        click(By.cssSelector(conversation(CLOSED)));
        click(By.cssSelector("#route input[value='TEMPLATE:customer_care_reopen:en_US']"));
        waitFor(d -> d.findElements(By.cssSelector("#route .params input")).size() == 2);
        assertThat(browser.horizontalOverflow()).as("horizontal overflow in CSS pixels").isLessThanOrEqualTo(0L);
        driver.findElement(By.id("route")).click();
        browser.screenshot("page-08-narrow-choices");
    }

    @Test
    void shouldGoBackToSignInWhenTheApiNoLongerAcceptsTheToken() {
        signIn();
        waitFor(d -> d.findElements(By.cssSelector("[data-conversation-id]")).size() == 2);
        try {
            // When the provider's token is refused (revoked, keys rotated) at the next call
            gateway.revokeToken();
            driver.findElement(By.cssSelector("input[name=filter][value=unassigned]")).click();

            // Then the console forgets it and asks the agent to sign in again
            waitFor(d -> d.findElement(By.id("signin")).isDisplayed());
            assertThat(text("#signin-message")).isEqualTo("Your session has ended: sign in again.");
            assertThat(driver.executeScript("return sessionStorage.length")).isEqualTo(0L);
        } finally {
            gateway.restoreToken();
        }
    }

    private void signIn() {
        driver.get(gateway.consoleUrl());
        waitFor(d -> d.findElement(By.id("login")).isDisplayed());
        driver.findElement(By.id("login")).click();
        waitFor(d -> d.findElement(By.id("who")).isDisplayed());
    }


    private List<String> scriptErrors() {
        // Answers the fake gives on purpose (401 after revocation, 404 for unknown fixtures) are not script errors.
        return browser.severeConsoleMessages().stream().filter(m -> !m.contains("Failed to load resource")).toList();
    }

    private static String conversation(String id) {
        return "[data-conversation-id='" + id + "']";
    }

    private String text(String css) {
        return driver.findElement(By.cssSelector(css)).getText();
    }

    private String attribute(String css, String name) {
        List<WebElement> found = driver.findElements(By.cssSelector(css));
        return found.isEmpty() ? null : found.get(0).getAttribute(name);
    }

    private static void click(By element) {
        browser.click(TIMEOUT, element);
    }

    private static <T> T waitFor(Function<WebDriver, T> condition) {
        return browser.waitUpTo(TIMEOUT, condition);
    }

    private static FakeGateway.Request last(List<FakeGateway.Request> requests) {
        return requests.isEmpty() ? null : requests.get(requests.size() - 1);
    }

    private static String inHours(int hours) {
        return java.time.Instant.now().plus(Duration.ofHours(hours)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
    }
}
