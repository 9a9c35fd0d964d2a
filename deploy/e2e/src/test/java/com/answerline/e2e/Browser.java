package com.answerline.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.logging.Level;
import java.util.stream.Stream;

import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's chromium, headless, driven through Debian's chromedriver: both at fixed paths (or {@code -Dbrowser.chromium}
 * / {@code -Dbrowser.chromedriver}) handed to Selenium, so Selenium Manager is never asked to find (or download) a
 * driver or a browser. A fresh profile per session in a temporary folder, deleted on close; screenshots under
 * {@code target/browser/}. Missing binaries fail the test with what to install, never a skip.
 */
final class Browser implements AutoCloseable {

    static final Path CHROMIUM = Path.of(System.getProperty("browser.chromium", "/usr/bin/chromium"));
    static final Path CHROMEDRIVER = Path.of(System.getProperty("browser.chromedriver", "/usr/bin/chromedriver"));
    static final Path SCREENSHOTS = Path.of(System.getProperty("browser.screenshots", "target/browser"));
    private static final String INSTALL_HINT = "install Debian's chromium and chromium-driver "
            + "(apt-get install --no-install-recommends chromium chromium-driver; deploy/verify does), "
            + "or point -Dbrowser.chromium and -Dbrowser.chromedriver at a browser and its driver";

    /**
     * Selenium warns on every start that it has no DevTools bindings for this chromium: the tests use WebDriver only.
     * Kept in a field so the configured loggers are not collected (and reset).
     */
    private static final List<java.util.logging.Logger> QUIET = List.of(
            java.util.logging.Logger.getLogger("org.openqa.selenium.devtools"),
            java.util.logging.Logger.getLogger("org.openqa.selenium.chromium"));

    static {
        QUIET.forEach(logger -> logger.setLevel(Level.SEVERE));
    }

    private final ChromeDriverService service;
    private final ChromeDriver driver;
    private final Path profile;
    /** The last console messages read (of any level), for {@link #pageState()}. */
    private final java.util.ArrayDeque<String> recentMessages = new java.util.ArrayDeque<>();
    /** SEVERE messages {@link #pageState()} read, which {@link #severeConsoleMessages()} has not returned yet. */
    private final List<String> unreported = new java.util.ArrayList<>();

    private Browser(ChromeDriverService service, ChromeDriver driver, Path profile) {
        this.service = service;
        this.driver = driver;
        this.profile = profile;
    }

    /** A headless browser with a viewport of width x height CSS pixels. */
    static Browser start(int width, int height) {
        for (Path binary : List.of(CHROMIUM, CHROMEDRIVER)) {
            if (!Files.isExecutable(binary)) {
                throw new AssertionError(binary + " is not installed: " + INSTALL_HINT);
            }
        }
        try {
            Files.createDirectories(SCREENSHOTS);
            Path profile = Files.createTempDirectory("answerline-chromium-");
            ChromeDriverService service = new ChromeDriverService.Builder()
                    .usingDriverExecutable(CHROMEDRIVER.toFile())
                    .usingAnyFreePort()
                    .withLogFile(SCREENSHOTS.resolve("chromedriver.log").toFile())
                    .build();
            ChromeOptions options = new ChromeOptions();
            options.setBinary(CHROMIUM.toFile());
            // --no-zygote: in some VMs and containers the zygote's single-thread check cannot read /proc and
            // aborts every child process ("thread_helpers.cc: Check failed: Permission denied"); without the sandbox
            // the zygote brings nothing. --lang: money and dates formatted as the assertions expect.
            options.addArguments("--headless=new", "--no-sandbox", "--no-zygote", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--no-first-run", "--lang=en-US",
                    "--user-data-dir=" + profile, "--window-size=" + width + "," + height);
            LoggingPreferences logs = new LoggingPreferences();
            logs.enable(LogType.BROWSER, Level.ALL);
            options.setCapability("goog:loggingPrefs", logs);
            Browser browser;
            try {
                browser = new Browser(service, new ChromeDriver(service, options), profile);
            } catch (RuntimeException e) {
                service.stop();
                throw e;
            }
            try {
                browser.resize(width, height);
            } catch (RuntimeException e) {
                browser.close(); // no driver left running when the browser dies at start
                throw e;
            }
            return browser;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ChromeDriver driver() {
        return driver;
    }

    /** Waits (polling, never sleeping a fixed time) until the condition gives a value other than null or false. */
    <T> T waitUpTo(Duration timeout, java.util.function.Function<org.openqa.selenium.WebDriver, T> condition) {
        WebDriverWait wait = new WebDriverWait(driver, timeout, Duration.ofMillis(100));
        wait.ignoring(org.openqa.selenium.NoSuchElementException.class);
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        return wait.until(condition);
    }

    /** Clicks the element once it is there and takes the click (a live page may replace it meanwhile: stale, try again). */
    void click(Duration timeout, org.openqa.selenium.By element) {
        waitUpTo(timeout, d -> {
            d.findElement(element).click();
            return true;
        });
    }

    /** How far the page is wider than the viewport, in CSS pixels (0 or less: no horizontal scrolling). */
    long horizontalOverflow() {
        return (Long) driver.executeScript("return document.documentElement.scrollWidth - document.documentElement.clientWidth;");
    }

    /** Sets the viewport (not the window) to width x height CSS pixels. */
    void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
        Object inner = driver.executeScript("return [window.innerWidth, window.innerHeight];");
        @SuppressWarnings("unchecked")
        List<Long> size = (List<Long>) inner;
        driver.manage().window().setSize(new Dimension(2 * width - size.get(0).intValue(), 2 * height - size.get(1).intValue()));
    }

    /** Runs an async script in the page: {@code body} is the body of an async function; its value is returned. */
    Object run(String body) {
        Object result = ((JavascriptExecutor) driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "(async () => {" + body + "})().then(done, (e) => done({error: String(e && e.stack || e)}));");
        if (result instanceof java.util.Map<?, ?> map && map.size() == 1 && map.containsKey("error")) {
            throw new AssertionError("script failed in the browser: " + map.get("error"));
        }
        return result;
    }

    /** Saves the viewport as {@code target/browser/<name>.png}. */
    Path screenshot(String name) {
        try {
            Path file = SCREENSHOTS.resolve(name + ".png");
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The page's console messages at SEVERE (script errors, refused resources, Content-Security-Policy violations)
     * since the last call. Reading them also keeps them for {@link #pageState()}.
     */
    List<String> severeConsoleMessages() {
        List<LogEntry> entries = driver.manage().logs().get(LogType.BROWSER).getAll();
        entries.forEach(entry -> recentMessages.addLast(entry.getLevel() + " " + entry.getMessage()));
        while (recentMessages.size() > 5) {
            recentMessages.removeFirst();
        }
        List<String> severe = new java.util.ArrayList<>(unreported);
        unreported.clear();
        entries.stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .forEach(severe::add);
        return severe;
    }

    /**
     * What the page shows, on one line, for a failed wait's message (CI shows a failure's first line and little else):
     * the address, the visible text's start and the last console messages.
     */
    String pageState() {
        try {
            unreported.addAll(severeConsoleMessages()); // still reported by the next severeConsoleMessages()
            Object text = driver.executeScript("return document.body ? document.body.innerText : '';");
            String visible = String.valueOf(text).replaceAll("\\s+", " ").strip();
            return "page " + driver.getCurrentUrl() + " showing [" + visible.substring(0, Math.min(visible.length(), 500))
                    + "] console " + String.join(" | ", recentMessages);
        } catch (RuntimeException e) {
            return "page not readable: " + e;
        }
    }

    /** The version chromedriver reports for the browser it started (it must be the one at {@link #CHROMIUM}). */
    String browserVersion() {
        return driver.getCapabilities().getBrowserVersion();
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            deleteRecursively(profile);
        }
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            // a leftover temporary profile is not worth failing a test for
        }
    }
}
