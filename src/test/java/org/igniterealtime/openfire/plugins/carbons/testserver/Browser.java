package org.igniterealtime.openfire.plugins.carbons.testserver;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Debian's headless chromium driven through Debian's chromedriver (both installed by .ci/run), with the few
 * gestures the admin page tests need. Selenium is told where both are, so it never tries to download a browser.
 */
public final class Browser implements AutoCloseable {

    public static final Path SCREENSHOTS = Path.of(System.getProperty("screenshots.dir", "target/screenshots"));

    private static final int WIDTH = 1000;

    private final ChromeDriver driver;

    private Browser(ChromeDriver driver) {
        this.driver = driver;
    }

    /** Selenium warns through java.util.logging that it has no DevTools module for this chromium; none is used. */
    private static final java.util.logging.Logger SELENIUM_LOG = java.util.logging.Logger.getLogger("org.openqa.selenium");

    public static Browser start() throws IOException {
        SELENIUM_LOG.setLevel(java.util.logging.Level.SEVERE);
        final ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getProperty("chromium.binary", "/usr/bin/chromium"));
        // Flags the machine needs: no sandbox as root, and no background connections to a network it cannot reach.
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
            "--disable-quic", "--window-size=" + WIDTH + ",1000", "--lang=en-US",
            "--user-data-dir=" + Files.createTempDirectory("chromium-profile"));
        final ChromeDriverService service = new ChromeDriverService.Builder()
            .usingDriverExecutable(new File(System.getProperty("chromedriver", "/usr/bin/chromedriver")))
            .usingAnyFreePort()
            .build();
        final ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        return new Browser(driver);
    }

    public void open(String url) {
        driver.get(url);
    }

    public void refresh() {
        driver.navigate().refresh();
    }

    public String currentUrl() {
        return driver.getCurrentUrl();
    }

    public String title() {
        return driver.getTitle();
    }

    public String source() {
        return driver.getPageSource();
    }

    public String pageText() {
        return driver.findElement(By.tagName("body")).getText();
    }

    public WebElement element(String id) {
        return driver.findElement(By.id(id));
    }

    public WebElement element(By by) {
        return driver.findElement(by);
    }

    public List<WebElement> elements(By by) {
        return driver.findElements(by);
    }

    /** The driver itself, for waits the gestures here do not cover. */
    public ChromeDriver driver() {
        return driver;
    }

    public String text(String id) {
        return element(id).getText();
    }

    /** Replaces the text of an input. */
    public void type(String id, String text) {
        final WebElement input = element(id);
        input.clear();
        input.sendKeys(text);
    }

    /** Submits a form and waits for the page that answers it. */
    public void submit(String formId) {
        final WebElement form = element(formId);
        form.submit();
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(ExpectedConditions.stalenessOf(form));
    }

    /** Follows a link and waits for the next page. */
    public void click(By link) {
        final WebElement element = driver.findElement(link);
        element.click();
        new WebDriverWait(driver, Duration.ofSeconds(20)).until(ExpectedConditions.stalenessOf(element));
    }

    /** The texts of one column (cells of a class) of a table, top to bottom. */
    public List<String> column(String tableId, String cellClass) {
        return driver.findElements(By.cssSelector("#" + tableId + " td." + cellClass)).stream().map(WebElement::getText).toList();
    }

    public void script(String javascript) {
        ((JavascriptExecutor) driver).executeScript(javascript);
    }

    /** Saves the whole page, not only what fits in the window, as SCREENSHOTS/name.png. */
    public Path screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        final Path target = SCREENSHOTS.resolve(name + ".png");
        final long height = (Long) ((JavascriptExecutor) driver).executeScript("return document.documentElement.scrollHeight");
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride",
            Map.of("width", WIDTH, "height", (int) Math.min(height, 6000), "deviceScaleFactor", 1, "mobile", false));
        try {
            Files.write(target, driver.getScreenshotAs(OutputType.BYTES));
        } finally {
            driver.executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        }
        return target;
    }

    @Override
    public void close() {
        driver.quit();
    }
}
