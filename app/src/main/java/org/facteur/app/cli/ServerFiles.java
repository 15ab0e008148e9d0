package org.facteur.app.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.facteur.app.ConfigLocation;
import org.facteur.app.DataLayout;
import org.facteur.app.Facteur;
import org.facteur.app.FacteurConfig;
import org.facteur.app.ReloadControl;
import org.facteur.auth.H2Directory;
import org.facteur.config.ConfigException;
import org.facteur.filters.Filters;
import org.facteur.storage.maildir.MaildirStore;

/**
 * The loaded configuration and data folder of one admin command, and the parts it opens on demand. The
 * directory uses H2 AUTO_SERVER (works beside a running server); the mail index and the filters' database are
 * opened in place, so commands that need those refuse to run while the server does.
 */
final class ServerFiles implements AutoCloseable {

    final FacteurConfig config;
    final DataLayout layout;
    private H2Directory directory;
    private MaildirStore store;
    private Filters filters;

    private ServerFiles(FacteurConfig config, DataLayout layout) {
        this.config = config;
        this.layout = layout;
    }

    static ServerFiles open(LocationOptions options) throws ConfigException {
        ConfigLocation location = options.location();
        FacteurConfig config = location.load();
        return new ServerFiles(config, location.layout(config));
    }

    H2Directory directory() {
        if (directory == null) {
            directory = H2Directory.openInDataDirectory(layout.database(), () -> config.auth());
        }
        return directory;
    }

    MaildirStore store() throws IOException {
        if (store == null) {
            refuseWhileRunning("the mail index");
            store = new MaildirStore(config.storage());
        }
        return store;
    }

    /** The filters as the server builds them (same database, quarantine and release path). */
    Filters filters() throws IOException {
        if (filters == null) {
            refuseWhileRunning("the filters' database");
            H2Directory d = directory();
            filters = Filters.builder(() -> config.filters()).directory(d).dataDir(layout.root())
                    .releaser((reversePath, recipients, message) -> Facteur.deliverReleased(d, store(), recipients, message))
                    .build();
        }
        return filters;
    }

    /**
     * The mail index and the filters' database are embedded H2 files the running server holds. Opening them
     * from a second process is refused by H2's file lock, and storage then takes the index for broken, moves it
     * aside and rebuilds it: so refuse first, clearly, before touching anything.
     */
    private void refuseWhileRunning(String what) throws IOException {
        Optional<ProcessHandle> server = ReloadControl.running(layout);
        if (server.isPresent() && server.get().pid() != ProcessHandle.current().pid()) {
            throw new IOException("the server is running (pid " + server.get().pid() + ") and holds " + what
                    + "; stop it, then run this command again");
        }
    }

    /** The outbound queue's folder (SmtpServer keeps it in SPOOL/queue). */
    Path queue() {
        return layout.spool().resolve("queue");
    }

    /** The DKIM keys' folder (SmtpServer keeps them in SPOOL/dkim). */
    Path dkim() {
        return layout.spool().resolve("dkim");
    }

    @Override
    public void close() throws IOException {
        if (filters != null) {
            filters.close();
        }
        if (store != null) {
            store.close();
        }
        if (directory != null) {
            directory.close();
        }
    }
}
