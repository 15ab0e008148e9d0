package org.facteur.webmail.browser;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.OutputType;

/** On failure, what the browser showed goes to target/browser-failures/ for the reader of the CI log. */
final class FailureCapture implements TestWatcher {

    private final Supplier<Browser> browser;

    FailureCapture(Supplier<Browser> browser) {
        this.browser = browser;
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        Browser b = browser.get();
        if (b == null) {
            return;
        }
        try {
            Path out = Path.of("target", "browser-failures");
            Files.createDirectories(out);
            Path shot = b.driver.getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(shot, out.resolve(context.getDisplayName() + ".png"), StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(out.resolve(context.getDisplayName() + ".html"), b.driver.getPageSource());
        } catch (Exception e) {
            // best effort: the test's own failure is what matters
        }
    }
}
