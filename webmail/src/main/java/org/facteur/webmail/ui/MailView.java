package org.facteur.webmail.ui;

import com.vaadin.flow.component.ClientCallable;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.KeyModifier;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.dependency.StyleSheet;
import com.vaadin.flow.component.details.Details;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridSortOrder;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.IFrame;
import com.vaadin.flow.component.html.Pre;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.splitlayout.SplitLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.provider.QuerySortOrder;
import com.vaadin.flow.data.provider.SortDirection;
import com.vaadin.flow.data.value.ValueChangeMode;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import java.io.IOException;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.facteur.storage.Flags;
import org.facteur.storage.MailboxInfo;
import org.facteur.storage.MailboxStatus;
import org.facteur.storage.MessageSummary;
import org.facteur.storage.SortKey;
import org.facteur.storage.SpecialUse;
import org.facteur.storage.ThreadSummary;
import org.facteur.webmail.WebmailServices;
import org.facteur.webmail.mail.HtmlSanitizer;
import org.facteur.webmail.mail.MailSession;
import org.facteur.webmail.mail.ReadMessage;
import org.facteur.webmail.mail.Undo;
import org.facteur.webmail.web.ContentServlet;
import org.facteur.webmail.ui.settings.SettingsView;
import org.facteur.webmail.web.WebSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mailbox screen: folders with unread counts, the message list paged lazily from the index, the reader, and
 * the actions on one or many messages.
 */
@Route("")
@PageTitle("Facteur webmail")
@StyleSheet("context://styles/webmail.css")
public class MailView extends VerticalLayout implements BeforeEnterObserver {

    private static final Logger LOG = LoggerFactory.getLogger(MailView.class);
    /** How long the Undo button stays offered after an action. */
    static final int UNDO_SECONDS = 10;
    /** Row positions remembered for j/k (a few grid pages). */
    static final int ROW_INDEX_LIMIT = 1000;
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneId.systemDefault());

    private MailSession mail;
    private String folder = MailboxInfo.INBOX;
    private List<Long> searchResults;
    private MessageSummary shown;
    /** The open message as read (reply, forward), and its row in the list (-1 when not known). */
    private ReadMessage shownMessage;
    private int shownIndex = -1;
    /**
     * Where the rows the grid fetched last stand in the list, for the next/previous shortcuts: bounded to a few
     * pages, so a 100,000-message folder costs no more than a small one.
     */
    private final Map<Long, Integer> rowIndex = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Integer> eldest) {
            return size() > ROW_INDEX_LIMIT;
        }
    };
    private final Select<String> folderSelect = new Select<>();
    /** The list groups messages by conversation: one row per thread, its newest message. */
    private boolean threaded;
    /** The conversations of the rows fetched last, by the UID of their newest message (bounded like rowIndex). */
    private final Map<Long, ThreadSummary> threadOf = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, ThreadSummary> eldest) {
            return size() > ROW_INDEX_LIMIT;
        }
    };
    /** The open conversation's messages, listed above the reader; null when a single message is open. */
    private List<MessageSummary> openThread;
    private final Checkbox threadedBox = new Checkbox();
    private boolean showImages;

    private final VerticalLayout folders = new VerticalLayout();
    private final Grid<MessageSummary> grid = new Grid<>();
    private final VerticalLayout reader = new VerticalLayout();
    private final TextField search = new TextField();
    private final Select<String> moveTarget = new Select<>();
    private final Span folderTitle = new Span();

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        Optional<String> account = WebSession.current();
        if (account.isEmpty()) {
            event.forwardTo(LoginView.class);
            return;
        }
        if (mail == null) {
            WebmailServices services = WebmailServices.current();
            try {
                mail = new MailSession(account.get(), services.store().account(account.get()), services.directory(),
                        services.submitter(), services.config().get().hostname(), services.contacts(),
                        services.config().get().contacts().suggestions());
            } catch (IOException e) {
                LOG.warn("cannot open the mail of {}", account.get(), e);
                add(new Span(getTranslation("mail.unavailable")));
                return;
            }
            build();
        }
    }

    private void build() {
        setSizeFull();
        setPadding(false);
        setSpacing(false);

        Span who = new Span(mail.account());
        who.setId("account");
        search.setId("search");
        search.setPlaceholder(getTranslation("mail.search"));
        search.setClearButtonVisible(true);
        search.setValueChangeMode(ValueChangeMode.ON_CHANGE);
        search.addValueChangeListener(e -> runSearch(e.getValue()));
        Button compose = new Button(getTranslation("mail.compose"), e -> compose(ComposeDialog.Mode.NEW));
        compose.setId("compose");
        compose.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        compose.addClickShortcut(Key.KEY_N, KeyModifier.ALT);
        Button contacts = new Button(getTranslation("contacts.open"), e -> new ContactsDialog(mail.account()).open());
        contacts.setId("contacts");
        Button refresh = new Button(getTranslation("mail.refresh"), e -> refresh());
        refresh.setId("refresh");
        Button logout = new Button(getTranslation("mail.logout"), e -> logout(false));
        logout.setId("logout");
        Button everywhere = new Button(getTranslation("mail.logout-everywhere"), e -> logout(true));
        everywhere.setId("logout-everywhere");
        everywhere.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        Button settings = new Button(getTranslation("settings.open"), e -> UI.getCurrent().navigate(SettingsView.class));
        settings.setId("settings");
        Button help = new Button("?", e -> ShortcutsHelp.open());
        help.setId("shortcuts");
        help.setTooltipText(getTranslation("shortcut.title"));
        help.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        HorizontalLayout header = new HorizontalLayout(new H3("Facteur"), search, compose, contacts, refresh, help, who,
                settings, logout, everywhere);
        header.setAlignItems(Alignment.BASELINE);
        header.addClassName("mail-header");
        header.setWidthFull();
        header.setPadding(true);
        header.expand(search);

        folders.addClassName("folder-list");
        folders.setPadding(false);
        folders.setSpacing(false);
        Button newFolder = new Button(getTranslation("mail.new-folder"), e -> FolderDialogs.create(mail, this::refreshFolders));
        newFolder.setId("new-folder");
        Button manage = new Button(getTranslation("mail.manage-folder"), e -> FolderDialogs.manage(mail, folder, renamed -> {
            if (renamed == null || !renamed.equals(folder)) {
                openFolder(renamed == null ? MailboxInfo.INBOX : renamed);
            } else {
                refreshFolders();
            }
        }));
        manage.setId("manage-folder");
        manage.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_SMALL);
        VerticalLayout folderPane = new VerticalLayout(folders, newFolder, manage);
        folderPane.addClassName("folder-pane");
        folderPane.setWidth("14em");

        buildGrid();
        HorizontalLayout actions = actions();
        folderTitle.setId("folder-title");
        // On a phone the folder pane is hidden (webmail.css): the folders are offered in this list instead.
        folderSelect.setId("folder-select");
        folderSelect.addClassName("phone-only");
        folderSelect.addValueChangeListener(e -> {
            if (e.isFromClient() && e.getValue() != null) {
                openFolder(e.getValue());
            }
        });
        threadedBox.setLabel(getTranslation("list.threaded"));
        threadedBox.setId("threaded");
        threadedBox.addValueChangeListener(e -> {
            threaded = e.getValue();
            threadOf.clear();
            rowIndex.clear();
            grid.deselectAll();
            grid.getDataProvider().refreshAll();
            grid.scrollToStart();
        });
        HorizontalLayout titleRow = new HorizontalLayout(folderTitle, threadedBox);
        titleRow.setAlignItems(Alignment.BASELINE);
        VerticalLayout listPane = new VerticalLayout(folderSelect, titleRow, actions, grid);
        listPane.setPadding(false);
        listPane.setSizeFull();
        listPane.expand(grid);

        reader.setId("reader");
        reader.setSizeFull();
        SplitLayout listAndReader = new SplitLayout(listPane, reader, SplitLayout.Orientation.VERTICAL);
        listAndReader.setSplitterPosition(45);
        listAndReader.setSizeFull();

        HorizontalLayout body = new HorizontalLayout(folderPane, listAndReader);
        body.addClassName("mail-body");
        addClassName("mail-view");
        body.setSizeFull();
        body.expand(listAndReader);
        add(header, body);
        expand(body);

        refreshFolders();
        openFolder(MailboxInfo.INBOX);
        getElement().executeJs(ShortcutsHelp.listenerScript(), getElement());
        LiveUpdates.follow(this, mail, this::refresh);
    }

    /** A single-key shortcut from the page (see {@link ShortcutsHelp#listenerScript()}). */
    @ClientCallable
    private void shortcut(String key) {
        switch (key) {
            case "c" -> compose(ComposeDialog.Mode.NEW);
            case "r" -> replyTo(ComposeDialog.Mode.REPLY);
            case "a" -> replyTo(ComposeDialog.Mode.REPLY_ALL);
            case "f" -> replyTo(ComposeDialog.Mode.FORWARD);
            case "Delete" -> act(uids -> mail.delete(uids));
            case "j" -> step(1);
            case "k" -> step(-1);
            case "u" -> toggleRead();
            case "/" -> search.focus();
            case "?" -> ShortcutsHelp.open();
            default -> { }
        }
    }

    private void replyTo(ComposeDialog.Mode mode) {
        if (shownMessage != null) {
            compose(mode, shownMessage);
        }
    }

    /** Opens the message {@code delta} rows after (or before) the open one, or the first when none is open. */
    private void step(int delta) {
        int next = shown == null || shownIndex < 0 ? 0 : shownIndex + delta;
        if (next < 0 || next >= count()) {
            return;
        }
        fetch(currentSort(), next, 1).findFirst().ifPresent(row -> {
            open(row);
            shownIndex = next;
            grid.scrollToIndex(next);
        });
    }

    /** Marks the selected (or open) messages unread when the first is read, read otherwise. */
    private void toggleRead() {
        List<Long> uids = targets();
        if (uids.isEmpty()) {
            return;
        }
        boolean seen;
        try {
            seen = mail.current().message(uids.getFirst()).map(m -> m.flags().contains(Flags.SEEN)).orElse(false);
        } catch (IOException e) {
            return;
        }
        act(list -> mail.flag(list, Flags.SEEN, !seen));
    }

    private void buildGrid() {
        grid.setId("messages");
        grid.setSelectionMode(Grid.SelectionMode.MULTI);
        grid.setPageSize(WebmailServices.current().config().get().pageSize());
        grid.addColumn(s -> (s.flags().contains(Flags.FLAGGED) ? "\u2691 " : "") + (s.hasAttachments() ? "\uD83D\uDCCE" : ""))
                .setHeader("").setWidth("4em").setFlexGrow(0);
        grid.addColumn(MessageSummary::from).setHeader(getTranslation("list.from")).setSortProperty("from").setFlexGrow(2);
        grid.addColumn(this::subjectCell).setHeader(getTranslation("list.subject")).setSortProperty("subject").setFlexGrow(4);
        Grid.Column<MessageSummary> date = grid.addColumn(s -> s.date() == null ? "" : DATE.format(s.date()))
                .setHeader(getTranslation("list.date")).setSortProperty("date").setFlexGrow(1);
        grid.addColumn(s -> Sizes.human(s.size())).setHeader(getTranslation("list.size")).setSortProperty("size").setFlexGrow(0).setWidth("6em");
        grid.setPartNameGenerator(s -> s.flags().contains(Flags.SEEN) ? null : "unread");
        grid.setMultiSort(false);
        grid.sort(List.of(new GridSortOrder<>(date, SortDirection.DESCENDING)));
        grid.addItemClickListener(e -> open(e.getItem()));
        // The list asks for pages as it scrolls: only the visible rows are read from the index, so a folder of
        // 100,000 messages opens as fast as one of 100.
        grid.setItems(query -> fetch(sortKeys(query.getSortOrders()), query.getOffset(), query.getLimit()), query -> count());
    }

    private Stream<MessageSummary> fetch(List<SortKey> sort, int offset, int limit) {
        try {
            List<MessageSummary> rows;
            if (threaded && searchResults == null) {
                // Conversations, newest first, whatever the column sort: grouped in the index, one page at a time.
                rows = new ArrayList<>();
                for (ThreadSummary t : mail.threads(offset, limit)) {
                    threadOf.put(t.newest().uid(), t);
                    rows.add(t.newest());
                }
            } else if (searchResults == null) {
                rows = mail.page(sort, offset, limit);
            } else {
                rows = new ArrayList<>();
                for (Long uid : searchResults.subList(Math.min(offset, searchResults.size()),
                        Math.min(offset + limit, searchResults.size()))) {
                    mail.summary(uid).ifPresent(rows::add);
                }
            }
            for (int i = 0; i < rows.size(); i++) {
                rowIndex.put(rows.get(i).uid(), offset + i);
            }
            return rows.stream();
        } catch (IOException e) {
            LOG.warn("listing {} failed", folder, e);
            return Stream.empty();
        }
    }

    private int count() {
        try {
            return searchResults != null ? searchResults.size() : threaded ? mail.threadCount() : mail.count();
        } catch (IOException e) {
            return 0;
        }
    }

    private static List<SortKey> sortKeys(List<QuerySortOrder> order) {
        List<SortKey> keys = new ArrayList<>();
        for (QuerySortOrder o : order) {
            SortKey.Criterion criterion = switch (o.getSorted()) {
                case "from" -> SortKey.Criterion.DISPLAY_FROM;
                case "subject" -> SortKey.Criterion.SUBJECT;
                case "size" -> SortKey.Criterion.SIZE;
                default -> SortKey.Criterion.DATE;
            };
            keys.add(new SortKey(criterion, o.getDirection() == SortDirection.DESCENDING));
        }
        if (keys.isEmpty()) {
            keys.add(SortKey.reversed(SortKey.Criterion.DATE));
        }
        return keys;
    }

    private List<SortKey> currentSort() {
        List<QuerySortOrder> order = new ArrayList<>();
        for (GridSortOrder<MessageSummary> o : grid.getSortOrder()) {
            o.getSorted().getSortOrder(o.getDirection()).forEach(order::add);
        }
        return sortKeys(order);
    }

    private HorizontalLayout actions() {
        Button read = action("mark-read", "action.read", uids -> mail.flag(uids, Flags.SEEN, true));
        Button unread = action("mark-unread", "action.unread", uids -> mail.flag(uids, Flags.SEEN, false));
        Button flag = action("flag", "action.flag", uids -> mail.flag(uids, Flags.FLAGGED, true));
        Button unflag = action("unflag", "action.unflag", uids -> mail.flag(uids, Flags.FLAGGED, false));
        Button delete = action("delete", "action.delete", uids -> mail.delete(uids));
        delete.addThemeVariants(ButtonVariant.LUMO_ERROR);
        read.addClickShortcut(Key.KEY_I, KeyModifier.ALT);
        unread.addClickShortcut(Key.KEY_U, KeyModifier.ALT);
        delete.addClickShortcut(Key.DELETE, KeyModifier.ALT);
        Button spam = action("spam", "action.spam", uids -> mail.move(uids,
                mail.specialFolder(SpecialUse.JUNK).orElse(SpecialUse.JUNK.defaultName())));
        Button ham = action("not-spam", "action.not-spam", uids -> mail.move(uids, MailboxInfo.INBOX));
        spam.addClickShortcut(Key.KEY_J, KeyModifier.ALT);
        moveTarget.setId("move-target");
        moveTarget.setPlaceholder(getTranslation("action.move-to"));
        moveTarget.addValueChangeListener(e -> {
            if (e.isFromClient() && e.getValue() != null) {
                String target = e.getValue();
                act(uids -> mail.move(uids, target));
                moveTarget.clear();
            }
        });
        HorizontalLayout bar = new HorizontalLayout(read, unread, flag, unflag, delete, spam, ham, moveTarget);
        bar.setPadding(false);
        bar.getStyle().set("flex-wrap", "wrap");
        return bar;
    }

    private interface UidAction {
        /** @return how to undo what it did, empty when it cannot be undone or changed nothing */
        Optional<Undo> run(List<Long> uids) throws IOException;
    }

    private Button action(String id, String labelKey, UidAction action) {
        Button b = new Button(getTranslation(labelKey), e -> act(action));
        b.setId(id);
        b.addThemeVariants(ButtonVariant.LUMO_SMALL);
        return b;
    }

    /** Applies an action to the selected messages, or to the one being read when none is selected. */
    private void act(UidAction action) {
        List<Long> uids = targets();
        if (uids.isEmpty()) {
            notify(getTranslation("mail.select-first"), false);
            return;
        }
        try {
            action.run(uids).ifPresent(this::offerUndo);
        } catch (IOException e) {
            notify(getTranslation("mail.failed", e.getMessage()), true);
        }
        grid.deselectAll();
        refresh();
    }

    /** The selected messages, or the one being read when none is selected. */
    private List<Long> targets() {
        List<Long> uids = grid.getSelectedItems().stream().map(MessageSummary::uid).sorted().toList();
        return uids.isEmpty() && shown != null ? List.of(shown.uid()) : uids;
    }

    /** Says what was done, with an Undo button that reverts exactly that (the messages it changed). */
    private void offerUndo(Undo undo) {
        String text = switch (undo) {
            case Undo.Moved m -> getTranslation("undo.moved", m.count(), m.to());
            case Undo.FlagChanged f -> getTranslation("undo.changed", f.count());
        };
        Notification n = new Notification();
        n.setDuration(UNDO_SECONDS * 1000);
        n.setPosition(Notification.Position.BOTTOM_START);
        n.setId("undo-notification");
        Button button = new Button(getTranslation("undo.undo"), e -> {
            n.close();
            try {
                undo.revert(mail);
            } catch (IOException ex) {
                notify(getTranslation("mail.failed", ex.getMessage()), true);
            }
            refresh();
        });
        button.setId("undo");
        button.addThemeVariants(ButtonVariant.LUMO_TERTIARY_INLINE);
        Span label = new Span(text);
        label.setId("undo-text");
        HorizontalLayout content = new HorizontalLayout(label, button);
        content.setAlignItems(Alignment.BASELINE);
        n.add(content);
        n.open();
    }

    void refresh() {
        if (searchResults != null) {
            runSearch(search.getValue());
        }
        grid.getDataProvider().refreshAll();
        refreshFolders();
        if (shown != null) {
            try {
                if (mail.current().message(shown.uid()).isEmpty()) {
                    shown = null;
                    shownMessage = null;
                    reader.removeAll();
                }
            } catch (IOException e) {
                reader.removeAll();
            }
        }
    }

    void refreshFolders() {
        folders.removeAll();
        List<String> names = new ArrayList<>();
        try {
            Set<String> subscribed = mail.subscriptions();
            for (MailboxInfo info : mail.folders()) {
                names.add(info.name());
                MailboxStatus status = mail.status(info.name());
                String label = info.name() + (status.unseen() > 0 ? " (" + status.unseen() + ")" : "");
                Button b = new Button(label, e -> openFolder(info.name()));
                b.setId("folder-" + info.name().replaceAll("[^A-Za-z0-9]", "_"));
                b.setWidthFull();
                b.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
                if (info.name().equals(folder)) {
                    b.addThemeVariants(ButtonVariant.LUMO_CONTRAST);
                }
                if (status.unseen() > 0) {
                    b.addClassName("unread");
                }
                if (!subscribed.contains(info.name()) && !info.name().equals(MailboxInfo.INBOX)) {
                    b.addClassName("unsubscribed");
                }
                folders.add(b);
            }
        } catch (IOException e) {
            folders.add(new Span(getTranslation("mail.folders-unavailable")));
        }
        moveTarget.setItems(names);
        folderSelect.setItems(names);
        folderSelect.setValue(names.contains(folder) ? folder : null);
    }

    private void openFolder(String name) {
        try {
            mail.open(name);
        } catch (IOException e) {
            notify(getTranslation("mail.cannot-open", name, e.getMessage()), true);
            return;
        }
        folder = name;
        folderTitle.setText(name);
        searchResults = null;
        search.clear();
        shown = null;
        shownMessage = null;
        shownIndex = -1;
        rowIndex.clear();
        threadOf.clear();
        openThread = null;
        reader.removeAll();
        grid.deselectAll();
        grid.getDataProvider().refreshAll();
        grid.scrollToStart();
        refreshFolders();
    }

    private void runSearch(String words) {
        if (words == null || words.isBlank()) {
            searchResults = null;
        } else {
            try {
                searchResults = mail.search(words, currentSort());
            } catch (IOException e) {
                notify(getTranslation("mail.search-failed", e.getMessage()), true);
                searchResults = List.of();
            }
        }
        folderTitle.setText(searchResults == null ? folder : getTranslation("mail.found", folder, searchResults.size()));
        grid.getDataProvider().refreshAll();
    }

    /** The subject, with the number of messages of a conversation in the threaded list. */
    private String subjectCell(MessageSummary s) {
        ThreadSummary t = threaded && searchResults == null ? threadOf.get(s.uid()) : null;
        return t == null || t.messages() < 2 ? s.subject() : s.subject() + " (" + t.messages() + ")";
    }

    /** A row of the list was chosen: a message, or in the threaded list a conversation (its newest message). */
    private void open(MessageSummary summary) {
        openThread = null;
        ThreadSummary t = threaded && searchResults == null ? threadOf.get(summary.uid()) : null;
        if (t != null && t.messages() > 1) {
            try {
                openThread = mail.thread(t.threadId());
            } catch (IOException e) {
                LOG.debug("conversation {} not listed", t.threadId(), e);
            }
        }
        show(summary);
    }

    private void show(MessageSummary summary) {
        shown = summary;
        shownIndex = rowIndex.getOrDefault(summary.uid(), -1);
        showImages = false;
        renderReader();
        // On a phone the reader is below the list (webmail.css): bring it into view.
        reader.getElement().executeJs("if (window.innerWidth <= 700) this.scrollIntoView()");
        if (!summary.flags().contains(Flags.SEEN)) {
            try {
                mail.flag(List.of(summary.uid()), Flags.SEEN, true);
            } catch (IOException e) {
                LOG.debug("marking read failed", e);
            }
            grid.getDataProvider().refreshAll();
            refreshFolders();
        }
    }

    private void renderReader() {
        reader.removeAll();
        if (shown == null) {
            return;
        }
        Anchor original = new Anchor(ContentServlet.rawUrl(folder, shown.uid()), getTranslation("reader.download-original"));
        original.setId("download-original");
        original.getElement().setAttribute("download", true);
        original.setRouterIgnore(true);
        if (shown.size() > WebmailServices.current().config().get().maxDisplaySize().bytes()) {
            reader.add(new Span(getTranslation("reader.too-big", Sizes.human(shown.size()))), original);
            return;
        }
        ReadMessage m;
        try {
            m = mail.read(shown.uid());
            shownMessage = m;
        } catch (IOException e) {
            reader.add(new Span(getTranslation("reader.unreadable", e.getMessage())));
            return;
        }
        showImages = showImages || RemoteImagesFromSender.allowed(mail.account(), m);
        Span subject = new Span(m.subject().isEmpty() ? getTranslation("reader.no-subject") : m.subject());
        subject.setId("message-subject");
        subject.getStyle().set("font-weight", "600").set("font-size", "var(--lumo-font-size-l)");
        Div meta = new Div();
        meta.getElement().setProperty("innerText",
                getTranslation("reader.from") + ": " + m.from() + "\n" + getTranslation("reader.to") + ": " + m.to()
                        + (m.cc().isEmpty() ? "" : "\n" + getTranslation("reader.cc") + ": " + m.cc())
                        + "\n" + getTranslation("reader.date") + ": " + m.date());
        meta.getStyle().set("white-space", "pre-wrap").set("font-size", "var(--lumo-font-size-s)");

        Button reply = new Button(getTranslation("reader.reply"), e -> compose(ComposeDialog.Mode.REPLY, m));
        reply.setId("reply");
        Button replyAll = new Button(getTranslation("reader.reply-all"), e -> compose(ComposeDialog.Mode.REPLY_ALL, m));
        replyAll.setId("reply-all");
        Button forward = new Button(getTranslation("reader.forward"), e -> compose(ComposeDialog.Mode.FORWARD, m));
        forward.setId("forward");
        Button forwardAttached = new Button(getTranslation("reader.forward-attached"),
                e -> compose(ComposeDialog.Mode.FORWARD_ATTACHED, m));
        forwardAttached.setId("forward-attached");
        reply.addClickShortcut(Key.KEY_R, KeyModifier.ALT);
        replyAll.addClickShortcut(Key.KEY_A, KeyModifier.ALT);
        forward.addClickShortcut(Key.KEY_F, KeyModifier.ALT);
        HorizontalLayout buttons = new HorizontalLayout(reply, replyAll, forward, forwardAttached, original);
        buttons.getStyle().set("flex-wrap", "wrap");
        buttons.setAlignItems(Alignment.BASELINE);
        if (openThread != null) {
            reader.add(threadList());
        }
        reader.add(subject, meta, buttons);

        if (!m.verdict().isEmpty()) {
            Div lines = new Div();
            lines.addClassName("verdict");
            StringBuilder text = new StringBuilder();
            for (ReadMessage.HeaderLine line : m.verdict()) {
                text.append(line.name()).append(": ").append(line.value()).append('\n');
            }
            lines.getElement().setProperty("innerText", text.toString());
            lines.getStyle().set("white-space", "pre-wrap");
            Details verdict = new Details(verdictSummary(m), lines);
            verdict.setId("verdict");
            reader.add(verdict);
        }

        if (m.html() != null) {
            int blocked = HtmlSanitizer.sanitize(m.html(), false, cid -> "x").blockedImages();
            if (blocked > 0 && !showImages) {
                Button images = new Button(getTranslation("reader.show-images", blocked), e -> {
                    showImages = true;
                    renderReader();
                });
                images.setId("show-images");
                images.addThemeVariants(ButtonVariant.LUMO_SMALL);
                reader.add(images);
                RemoteImagesFromSender.alwaysButton(mail.account(), m, images::click).ifPresent(reader::add);
            }
            IFrame frame = new IFrame(ContentServlet.htmlUrl(folder, shown.uid(), showImages));
            frame.setId("message-frame");
            frame.addClassName("message-frame");
            // No allow-scripts, no allow-same-origin: the message runs nothing and cannot reach the webmail.
            frame.getElement().setAttribute("sandbox", "allow-popups allow-popups-to-escape-sandbox");
            frame.getElement().setAttribute("referrerpolicy", "no-referrer");
            reader.add(frame);
            reader.setFlexGrow(1, frame);
        } else {
            Pre text = new Pre(m.text() == null ? "" : m.text());
            text.setId("message-text");
            text.addClassName("plain-body");
            reader.add(text);
        }
        if (!m.attachments().isEmpty()) {
            Div list = new Div();
            list.setId("attachments");
            for (ReadMessage.Attachment a : m.attachments()) {
                Anchor link = new Anchor(ContentServlet.partUrl(folder, shown.uid(), a.part()),
                        a.filename() + " (" + a.mimeType() + ", " + Sizes.human(a.size()) + ")");
                link.getElement().setAttribute("download", true);
                link.setRouterIgnore(true);
                link.addClassName("attachment");
                list.add(new Div(link));
            }
            reader.add(list);
        }
    }

    /** The open conversation's messages, oldest first; the one being read is marked. */
    private Div threadList() {
        Div list = new Div();
        list.setId("thread-messages");
        list.addClassName("thread-messages");
        for (MessageSummary m : openThread) {
            Button b = new Button(m.from() + " · " + (m.date() == null ? "" : DATE.format(m.date())) + " · " + m.subject(),
                    e -> show(m));
            b.setId("thread-message-" + m.uid());
            b.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_SMALL);
            if (m.uid() == shown.uid()) {
                b.addThemeVariants(ButtonVariant.LUMO_CONTRAST);
            }
            if (!m.flags().contains(Flags.SEEN)) {
                b.addClassName("unread");
            }
            list.add(b);
        }
        return list;
    }

    private String verdictSummary(ReadMessage m) {
        List<String> parts = new ArrayList<>();
        for (ReadMessage.HeaderLine line : m.verdict()) {
            String name = line.name().toLowerCase(Locale.ROOT);
            if (name.equals("x-spam-flag")) {
                parts.add(getTranslation("reader.spam", line.value()));
            } else if (name.equals("x-spam-score")) {
                parts.add(getTranslation("reader.score", line.value()));
            } else if (name.equals("authentication-results")) {
                for (String method : new String[] {"spf", "dkim", "dmarc"}) {
                    var matcher = java.util.regex.Pattern.compile("\\b" + method + "=(\\w+)").matcher(line.value());
                    if (matcher.find()) {
                        parts.add(method.toUpperCase(Locale.ROOT) + " " + matcher.group(1));
                    }
                }
            }
        }
        return parts.isEmpty() ? getTranslation("reader.filter-report") : String.join(" · ", parts);
    }

    private void compose(ComposeDialog.Mode mode) {
        compose(mode, null);
    }

    private void compose(ComposeDialog.Mode mode, ReadMessage original) {
        MessageSummary summary = shown;
        new ComposeDialog(mail, mode, original, original == null || summary == null ? null
                : attachments -> attachments.addAll(mode == ComposeDialog.Mode.FORWARD_ATTACHED
                        ? ComposeDialog.originalAsAttachment(mail, summary.uid(), original)
                        : ComposeDialog.originalAttachments(mail, summary.uid(), original)),
                this::refresh).open();
    }

    /** Ends this session, or every session of the account (other browsers and devices too). */
    private void logout(boolean everywhere) {
        UI ui = UI.getCurrent();
        if (mail != null) {
            mail.close();
        }
        if (everywhere) {
            WebmailServices.current().sessions().logoutEverywhere(mail.account());
        }
        WebSession.logout();
        ui.getPage().setLocation("login");
    }

    static void notify(String text, boolean error) {
        Notification n = Notification.show(text, 4000, Notification.Position.BOTTOM_START);
        if (error) {
            n.addThemeVariants(NotificationVariant.LUMO_ERROR);
        }
    }

    @Override
    protected void onDetach(DetachEvent detachEvent) {
        if (mail != null) {
            mail.close();
        }
        super.onDetach(detachEvent);
    }
}
