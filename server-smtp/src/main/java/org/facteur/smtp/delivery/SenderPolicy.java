package org.facteur.smtp.delivery;

import java.util.Locale;
import java.util.function.Supplier;

import org.facteur.auth.Directory;
import org.facteur.smtp.SmtpConfig;

/** Whether an authenticated account may use an address as its sender (MAIL FROM and From:). */
public final class SenderPolicy {

    private final Directory directory;
    private final Supplier<SmtpConfig> config;

    public SenderPolicy(Directory directory, Supplier<SmtpConfig> config) {
        this.directory = directory;
        this.config = config;
    }

    public boolean maySendAs(String account, String address) {
        for (String exception : config.get().senderExceptions()) {
            if (exception.equalsIgnoreCase(account)) {
                return true;
            }
        }
        return directory.maySendAs(account, address.toLowerCase(Locale.ROOT));
    }
}
