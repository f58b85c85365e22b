package io.vmport.loadtest.console;

import io.vmport.loadtest.SippCluster;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Debian chromium driven through {@code /usr/bin/chromedriver} (so Selenium Manager downloads nothing),
 * with the console's DOM (CONSOLE-CONTRACT.md) as small verbs. {@code --no-sandbox}: CI runs as root. Every wait
 * polls with a deadline ({@link WebDriverWait}); nothing sleeps.
 */
final class ConsoleBrowser implements AutoCloseable {
    static final String CHROMIUM = "/usr/bin/chromium";
    static final String CHROMEDRIVER = "/usr/bin/chromedriver";
    /** How long the page may take to show a change that has happened (events are batched per 100 ms). */
    static final Duration SHOWS = Duration.ofSeconds(10);

    final ChromeDriver driver;
    private final ChromeDriverService service;

    private ConsoleBrowser(ChromeDriverService service, ChromeDriver driver) {
        this.service = service;
        this.driver = driver;
    }

    /** Skips the calling test without chromium and chromedriver; under CI=true fails it instead. */
    static void requireChromiumOrSkip() {
        SippCluster.requireOrSkip("chromium", "console browser tests", "chromium");
        SippCluster.requireOrSkip("chromedriver", "console browser tests", "chromium-driver");
    }

    /** A new headless browser with a window of {@code width} x {@code height} CSS pixels; its log in {@code logDir}. */
    static ConsoleBrowser start(int width, int height, Path logDir) throws IOException {
        Files.createDirectories(logDir);
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER)).usingAnyFreePort()
                .withLogFile(logDir.resolve("chromedriver.log").toFile()).build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=" + width + "," + height, "--hide-scrollbars",
                // a tab the test is not looking at keeps its timers and event streams at full speed
                "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
                "--disable-backgrounding-occluded-windows", "--no-first-run", "--no-default-browser-check");
        ChromeDriver driver;
        try {
            driver = new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            service.stop();
            throw e;
        }
        return new ConsoleBrowser(service, driver);
    }

    /** Waits up to {@code timeout} for {@code condition}, saying {@code what} when it does not come. */
    <T> T await(String what, Duration timeout, ExpectedCondition<T> condition) {
        return new WebDriverWait(driver, timeout, Duration.ofMillis(50)).withMessage(() -> what + "\npage: "
                + pageState()).until(condition);
    }

    <T> T await(String what, ExpectedCondition<T> condition) {
        return await(what, SHOWS, condition);
    }

    void open(String url) {
        driver.get(url);
    }

    /** Signs in with {@code token} on the page's sign-in form. */
    void submitToken(String token) {
        await("the sign-in form", d -> d.findElement(By.cssSelector("form#signin")).isDisplayed());
        WebElement input = driver.findElement(By.id("token"));
        input.clear();
        input.sendKeys(token);
        driver.findElement(By.id("signin-submit")).click();
    }

    /** Signs in and waits for the app and its event stream. */
    void signIn(String token) {
        submitToken(token);
        awaitSignedIn();
    }

    void awaitSignedIn() {
        await("the app shown after sign-in, the event stream connected", d -> visible("#app")
                && !visible("form#signin") && "connected".equals(connectionState()));
    }

    /** Opens {@code url} and signs in when the page asks for it. */
    void openSignedIn(String url, String token) {
        open(url);
        // the page asks GET /api/session at load; the same question from here says which it will show
        if (fetchStatus("/api/session") == 200) {
            awaitSignedIn();
        } else {
            signIn(token);
        }
    }

    boolean visible(String css) {
        List<WebElement> found = driver.findElements(By.cssSelector(css));
        return !found.isEmpty() && found.get(0).isDisplayed();
    }

    String connectionState() {
        List<WebElement> c = driver.findElements(By.id("connection"));
        return c.isEmpty() ? "" : String.valueOf(c.get(0).getDomAttribute("data-state"));
    }

    /** Shows page {@code name} (cluster, ports, alarms, mailboxes) through its navigation link. */
    void page(String name) {
        driver.findElement(By.cssSelector("a[data-page=" + name + "]")).click();
        await("section#page-" + name + " shown", d -> visible("section#page-" + name));
    }

    /** The text of {@code [data-field=FIELD]} in the Cluster Management card of {@code server}. */
    String field(String server, String field) {
        return driver.findElement(By.cssSelector(".server[data-server=" + server + "] [data-field=" + field + "]"))
                .getText().trim();
    }

    /** Waits until the card of {@code server} shows {@code expected} in {@code field}. */
    void awaitField(String server, String field, String expected) {
        await(server + " " + field + " shows '" + expected + "'", d -> expected.equals(field(server, field)));
    }

    /** Clicks action button {@code action} of {@code server} and waits for the confirmation dialog; its text. */
    String askAction(String server, String action) {
        driver.findElement(By.cssSelector(".server[data-server=" + server + "] button[data-action=" + action + "]"))
                .click();
        await("dialog#confirm open for " + action + " " + server, d -> confirmOpen());
        return driver.findElement(By.id("confirm-text")).getText().trim();
    }

    boolean confirmOpen() {
        List<WebElement> dialog = driver.findElements(By.cssSelector("dialog#confirm"));
        return !dialog.isEmpty() && dialog.get(0).getDomProperty("open") != null
                && Boolean.parseBoolean(dialog.get(0).getDomProperty("open"));
    }

    void confirm() {
        driver.findElement(By.id("confirm-ok")).click();
        await("dialog#confirm closed", d -> !confirmOpen());
    }

    /** The cells of the port-monitor row of {@code port} on {@code server}, or null when it is not shown. */
    WebElement portRow(String server, String port) {
        List<WebElement> rows = driver.findElements(By.cssSelector(
                "table#ports tbody tr[data-port='" + port + "'][data-server=" + server + "]"));
        return rows.isEmpty() ? null : rows.get(0);
    }

    static String cell(WebElement row, String field) {
        return row.findElement(By.cssSelector("td[data-field=" + field + "]")).getText().trim();
    }

    Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /** {@code fetch(path)} from the page, with its cookies: the HTTP status. */
    long fetchStatus(String path) {
        return ((Number) ((JavascriptExecutor) driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "fetch(arguments[0], {credentials: 'same-origin'}).then(r => done(r.status), e => done(-1));",
                path)).longValue();
    }

    /** A PNG of the viewport into {@code file}. */
    Path screenshot(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.copy(driver.getScreenshotAs(OutputType.FILE).toPath(), file, StandardCopyOption.REPLACE_EXISTING);
        return file;
    }

    /** What the page shows, for failure messages: the URL, the connection state and the start of the text. */
    String pageState() {
        try {
            String text = driver.findElement(By.tagName("body")).getText();
            return driver.getCurrentUrl() + " connection=" + connectionState() + "\n"
                    + text.substring(0, Math.min(text.length(), 1_500));
        } catch (RuntimeException e) {
            return "(no page: " + e.getMessage() + ")";
        }
    }

    WebDriver.TargetLocator switchTo() {
        return driver.switchTo();
    }

    /** Closes the browser and stops chromedriver (and with it chromium). */
    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
        }
    }
}
