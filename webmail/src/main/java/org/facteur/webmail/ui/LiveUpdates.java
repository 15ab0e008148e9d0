package org.facteur.webmail.ui;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.UIDetachedException;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.facteur.storage.MailboxInfo;
import org.facteur.storage.MailboxStatus;
import org.facteur.webmail.mail.MailSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings changes made elsewhere into an open mail view without user action: a delivery, or another session's
 * flag change or expunge, shows in the open folder's list and in the folders' unread counts within a couple of
 * seconds, carried to the browser by server push ({@link org.facteur.webmail.WebmailShell}).
 *
 * <p>Two sources. The open folder's storage listener fires on a storage thread: it only schedules a refresh
 * (coalesced over {@link #SETTLE}, so a burst of deliveries costs one), never touches the UI or blocks. The
 * other folders have no listener here, so every {@link #FOLDER_CHECK} their counts (an index query per folder,
 * off the UI lock) are compared with the last ones. The refresh itself runs in {@link UI#access}, under the
 * session's lock, as every UI change from outside a request must.
 */
final class LiveUpdates {

    private static final Logger LOG = LoggerFactory.getLogger(LiveUpdates.class);
    /** How long a change waits for the ones that follow it before the view refreshes. */
    static final Duration SETTLE = Duration.ofMillis(300);
    /** How often the folders' counts are compared (deliveries to folders other than the open one). */
    static final Duration FOLDER_CHECK = Duration.ofSeconds(2);

    /** Timing only; the work runs on virtual threads, so one slow index read delays no other session. */
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("webmail-live-updates").factory());

    private final UI ui;
    private final MailSession mail;
    private final Runnable refresh;
    private final AtomicBoolean refreshQueued = new AtomicBoolean();
    private final AtomicBoolean checking = new AtomicBoolean();
    private volatile Map<String, Counts> lastCounts;
    private volatile boolean stopped;
    private ScheduledFuture<?> folderCheck;

    private LiveUpdates(UI ui, MailSession mail, Runnable refresh) {
        this.ui = ui;
        this.mail = mail;
        this.refresh = refresh;
    }

    /**
     * Keeps {@code view} up to date while it is attached to a UI; {@code refresh} reloads its list and folders
     * and is only ever called under the UI's lock.
     */
    static void follow(Component view, MailSession mail, Runnable refresh) {
        LiveUpdates[] current = new LiveUpdates[1];
        Runnable start = () -> view.getUI().ifPresent(ui -> {
            if (current[0] != null) {
                current[0].stop();
            }
            current[0] = new LiveUpdates(ui, mail, refresh);
            current[0].start();
        });
        view.addAttachListener(e -> start.run());
        view.addDetachListener(e -> {
            if (current[0] != null) {
                current[0].stop();
                current[0] = null;
            }
        });
        if (view.isAttached()) {
            start.run();
        }
    }

    private void start() {
        mail.onChangedElsewhere(this::changedElsewhere);
        folderCheck = TIMER.scheduleWithFixedDelay(() -> Thread.startVirtualThread(this::checkFolders),
                FOLDER_CHECK.toMillis(), FOLDER_CHECK.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void stop() {
        stopped = true;
        mail.onChangedElsewhere(null);
        if (folderCheck != null) {
            folderCheck.cancel(false);
        }
    }

    /** On a storage thread: queue one refresh, return at once. */
    private void changedElsewhere() {
        if (!stopped && refreshQueued.compareAndSet(false, true)) {
            TIMER.schedule(() -> {
                refreshQueued.set(false);
                refreshInUi();
            }, SETTLE.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Off the UI lock: read every folder's counts, refresh when they differ from the last reading. */
    private void checkFolders() {
        if (stopped || !checking.compareAndSet(false, true)) {
            return;
        }
        try {
            Map<String, Counts> now = new LinkedHashMap<>();
            for (MailboxInfo info : mail.folders()) {
                MailboxStatus status = mail.status(info.name());
                now.put(info.name(), new Counts(status.messages(), status.unseen(), status.uidNext()));
            }
            Map<String, Counts> before = lastCounts;
            lastCounts = now;
            if (before != null && !before.equals(now)) {
                refreshInUi();
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("checking the folders of {} failed: {}", mail.account(), e.toString());
        } finally {
            checking.set(false);
        }
    }

    private void refreshInUi() {
        if (stopped) {
            return;
        }
        try {
            ui.access(() -> {
                mail.takeChangedElsewhere();
                refresh.run();
            });
        } catch (UIDetachedException e) {
            stop();
        }
    }

    /** What a folder's button and list show: its size, unread count, and whether anything new arrived. */
    private record Counts(long messages, long unseen, long uidNext) {
    }
}
