package org.facteur.webmail.browser;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** Headless Debian Chromium driven by Selenium through Debian's chromedriver, with helpers for Vaadin pages. */
public final class Browser implements AutoCloseable {

    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    public final ChromeDriver driver;
    private final Path profile;

    public Browser() throws IOException {
        this("en-US,en", "1280,900", null, null);
    }

    /**
     * A browser that asks for {@code languages} (its Accept-Language header) in a window of {@code size}
     * ("width,height" in CSS pixels; below 500 px wide, an emulated phone).
     */
    public Browser(String languages, String size) throws IOException {
        this(languages, size, null, null);
    }

    /**
     * A browser that holds {@code certificate} in its own NSS database and presents it to the webmail without a
     * dialog on {@code origin} (see {@link ClientCertificate}).
     */
    Browser(ClientCertificate certificate, String origin) throws IOException {
        this("en-US,en", "1280,900", certificate, origin);
    }

    private Browser(String languages, String size, ClientCertificate certificate, String origin) throws IOException {
        profile = Files.createTempDirectory("webmail-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--disable-extensions", "--window-size=" + size,
                "--ignore-certificate-errors", // the test CA is not in Chromium's store
                "--user-data-dir=" + profile);
        String[] wh = size.split(",");
        if (Integer.parseInt(wh[0]) < 500) {
            // A desktop window cannot be narrower than about 500 px: a phone is emulated (CSS pixels, touch).
            options.setExperimentalOption("mobileEmulation", java.util.Map.of("deviceMetrics", java.util.Map.of(
                    "width", Integer.parseInt(wh[0]), "height", Integer.parseInt(wh[1]), "pixelRatio", 1.0, "touch", true)));
        }
        ChromeDriverService.Builder service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort();
        if (certificate != null) {
            // the certificate's choice is written in the profile's Preferences file, which chromedriver's "prefs"
            // would replace: such a browser keeps Chromium's own languages (en-US)
            certificate.install(profile, origin);
            // Chromium on Linux reads client certificates from $HOME/.pki/nssdb; chromedriver passes HOME on.
            service.withEnvironment(java.util.Map.of("HOME", certificate.home().toString()));
        } else {
            options.setExperimentalOption("prefs", java.util.Map.of("intl.accept_languages", languages));
        }
        driver = new ChromeDriver(service.build(), options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
    }

    public static boolean available() {
        return Files.isExecutable(CHROMEDRIVER) && Files.isExecutable(CHROMIUM);
    }

    public <T> T waitFor(Function<WebDriver, T> condition) {
        return new WebDriverWait(driver, Duration.ofSeconds(60)).until(d -> {
            try {
                return condition.apply(d);
            } catch (org.openqa.selenium.WebDriverException e) {
                if (replacedByNavigation(e)) {
                    return null; // not yet: ask again on the new page
                }
                throw e;
            }
        });
    }

    /**
     * Whether {@code e} says an element belonged to a page that was being replaced. Besides the usual stale element,
     * Chromium answers "Node with given id does not belong to the document" (an "unknown error" to Selenium) when a
     * page reloads between finding an element and asking about it, as the webmail's settings page does after a
     * change of language.
     */
    static boolean replacedByNavigation(org.openqa.selenium.WebDriverException e) {
        return e instanceof org.openqa.selenium.StaleElementReferenceException
                || String.valueOf(e.getMessage()).contains("does not belong to the document");
    }

    /**
     * Opens a folder and waits until the list shows it. Clicks again if the first click hit a button that a
     * server response was replacing at that moment (the folder list is rebuilt after every action).
     */
    public void openFolder(String name) {
        for (int attempt = 0; attempt < 3; attempt++) {
            try {
                click("folder-" + name.replaceAll("[^A-Za-z0-9]", "_"));
                new WebDriverWait(driver, Duration.ofSeconds(20))
                        .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                        .until(d -> d.findElement(By.id("folder-title")).getText().equals(name));
                return;
            } catch (org.openqa.selenium.TimeoutException e) {
                // try again
            } catch (org.openqa.selenium.WebDriverException e) {
                if (!replacedByNavigation(e)) {
                    throw e;
                }
            }
        }
        throw new AssertionError("folder " + name + " did not open");
    }

    /** Logs in on the login page at {@code loginUrl} with an address and password. */
    public void passwordLogin(String loginUrl, String user, String password) {
        driver.get(loginUrl);
        type("login-user", user);
        type("login-password", password);
        click("login-button");
    }

    public WebElement element(By by) {
        // The grid keeps cells of unused rows in the DOM, hidden: only a displayed match counts.
        return waitFor(d -> d.findElements(by).stream().filter(WebElement::isDisplayed).findFirst().orElse(null));
    }

    /** Types into a Vaadin text field (its input is slotted in the light DOM). */
    public void type(String fieldId, String text) {
        WebElement input = element(By.cssSelector("#" + fieldId + " input, #" + fieldId + " textarea"));
        input.clear();
        input.sendKeys(text);
    }

    public void click(String id) {
        click(By.id(id));
    }

    /** Clicks the first displayed element {@code by} finds. */
    public void click(By by) {
        try {
            element(by).click();
        } catch (org.openqa.selenium.ElementClickInterceptedException e) {
            // A notification toast of an earlier action can lie over a button near the bottom of the page for its
            // few seconds (Chromium then refuses the click): it is not what the test is about.
            dismissNotifications();
            element(by).click();
        }
    }

    /** Removes the notification toasts shown at the moment. */
    public void dismissNotifications() {
        driver.executeScript("document.querySelectorAll('vaadin-notification-card').forEach(n => n.remove())");
    }

    /** Clicks the list row whose cell shows {@code text}. */
    public void clickRow(String text) {
        // A script click: a row half hidden under the grid header would take a pointer click on the header.
        WebElement cell = element(By.xpath("//vaadin-grid-cell-content[normalize-space(.)='" + text + "']"));
        driver.executeScript("arguments[0].click()", cell);
    }

    public boolean hasRow(String text) {
        return driver.findElements(By.xpath("//vaadin-grid-cell-content[normalize-space(.)='" + text + "']"))
                .stream().anyMatch(WebElement::isDisplayed);
    }

    public void screenshot(String name) {
        Path dir = screenshotDir();
        try {
            Files.createDirectories(dir);
            Path shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(shot, dir.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Where screenshots go: {@code target/screenshots} on an ordinary run, so the tests never change tracked
     * files; {@code docs/screenshots} at the top of the repository when run with {@code -Dscreenshots=docs}
     * to refresh the documentation's pictures.
     */
    static Path screenshotDir() {
        Path here = Path.of("").toAbsolutePath();
        if (!"docs".equals(System.getProperty("screenshots"))) {
            return here.resolve("target").resolve("screenshots");
        }
        Path root = Files.isDirectory(here.resolve("docs")) || Files.exists(here.resolve(".git")) ? here : here.getParent();
        return root.resolve("docs").resolve("screenshots");
    }

    /** Closes each of {@code parts} that exists (a test's browser and server), all of them even if one fails. */
    public static void closeAll(AutoCloseable... parts) throws Exception {
        Exception first = null;
        for (AutoCloseable part : parts) {
            try {
                if (part != null) {
                    part.close();
                }
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
