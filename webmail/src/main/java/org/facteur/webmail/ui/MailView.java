package org.facteur.webmail.ui;

import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.KeyModifier;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
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
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.facteur.storage.Flags;
import org.facteur.storage.MailboxInfo;
import org.facteur.storage.MailboxStatus;
import org.facteur.storage.MessageSummary;
import org.facteur.storage.SortKey;
import org.facteur.storage.SpecialUse;
import org.facteur.webmail.WebmailServices;
import org.facteur.webmail.mail.HtmlSanitizer;
import org.facteur.webmail.mail.MailSession;
import org.facteur.webmail.mail.ReadMessage;
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
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneId.systemDefault());

    private MailSession mail;
    private String folder = MailboxInfo.INBOX;
    private List<Long> searchResults;
    private MessageSummary shown;
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
                        services.submitter(), services.config().get().hostname());
            } catch (IOException e) {
                LOG.warn("cannot open the mail of {}", account.get(), e);
                add(new Span("Your mail is unavailable right now."));
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
        search.setPlaceholder("Search");
        search.setClearButtonVisible(true);
        search.setValueChangeMode(ValueChangeMode.ON_CHANGE);
        search.addValueChangeListener(e -> runSearch(e.getValue()));
        Button compose = new Button("Write", e -> compose(ComposeDialog.Mode.NEW));
        compose.setId("compose");
        compose.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        compose.addClickShortcut(Key.KEY_N, KeyModifier.ALT);
        Button refresh = new Button("Refresh", e -> refresh());
        refresh.setId("refresh");
        Button logout = new Button("Log out", e -> logout(false));
        logout.setId("logout");
        Button everywhere = new Button("Log out everywhere", e -> logout(true));
        everywhere.setId("logout-everywhere");
        everywhere.addThemeVariants(ButtonVariant.LUMO_TERTIARY);
        Button settings = new Button(getTranslation("settings.open"), e -> UI.getCurrent().navigate(SettingsView.class));
        settings.setId("settings");
        HorizontalLayout header = new HorizontalLayout(new H3("Facteur"), search, compose, refresh, who, settings, logout, everywhere);
        header.setAlignItems(Alignment.BASELINE);
        header.setWidthFull();
        header.setPadding(true);
        header.expand(search);

        folders.addClassName("folder-list");
        folders.setPadding(false);
        folders.setSpacing(false);
        Button newFolder = new Button("New folder", e -> FolderDialogs.create(mail, this::refreshFolders));
        newFolder.setId("new-folder");
        Button manage = new Button("Rename or delete…", e -> FolderDialogs.manage(mail, folder, renamed -> {
            openFolder(renamed == null ? MailboxInfo.INBOX : renamed);
        }));
        manage.setId("manage-folder");
        manage.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_SMALL);
        VerticalLayout folderPane = new VerticalLayout(folders, newFolder, manage);
        folderPane.addClassName("folder-pane");
        folderPane.setWidth("14em");

        buildGrid();
        HorizontalLayout actions = actions();
        folderTitle.setId("folder-title");
        VerticalLayout listPane = new VerticalLayout(folderTitle, actions, grid);
        listPane.setPadding(false);
        listPane.setSizeFull();
        listPane.expand(grid);

        reader.setId("reader");
        reader.setSizeFull();
        SplitLayout listAndReader = new SplitLayout(listPane, reader, SplitLayout.Orientation.VERTICAL);
        listAndReader.setSplitterPosition(45);
        listAndReader.setSizeFull();

        HorizontalLayout body = new HorizontalLayout(folderPane, listAndReader);
        body.setSizeFull();
        body.expand(listAndReader);
        add(header, body);
        expand(body);

        refreshFolders();
        openFolder(MailboxInfo.INBOX);
        LiveUpdates.follow(this, mail, this::refresh);
    }

    private void buildGrid() {
        grid.setId("messages");
        grid.setSelectionMode(Grid.SelectionMode.MULTI);
        grid.setPageSize(WebmailServices.current().config().get().pageSize());
        grid.addColumn(s -> (s.flags().contains(Flags.FLAGGED) ? "\u2691 " : "") + (s.hasAttachments() ? "\uD83D\uDCCE" : ""))
                .setHeader("").setWidth("4em").setFlexGrow(0);
        grid.addColumn(MessageSummary::from).setHeader("From").setSortProperty("from").setFlexGrow(2);
        grid.addColumn(MessageSummary::subject).setHeader("Subject").setSortProperty("subject").setFlexGrow(4);
        Grid.Column<MessageSummary> date = grid.addColumn(s -> s.date() == null ? "" : DATE.format(s.date()))
                .setHeader("Date").setSortProperty("date").setFlexGrow(1);
        grid.addColumn(s -> Sizes.human(s.size())).setHeader("Size").setSortProperty("size").setFlexGrow(0).setWidth("6em");
        grid.setPartNameGenerator(s -> s.flags().contains(Flags.SEEN) ? null : "unread");
        grid.setMultiSort(false);
        grid.sort(List.of(new GridSortOrder<>(date, SortDirection.DESCENDING)));
        grid.addItemClickListener(e -> show(e.getItem()));
        // The list asks for pages as it scrolls: only the visible rows are read from the index, so a folder of
        // 100,000 messages opens as fast as one of 100.
        grid.setItems(query -> fetch(query.getSortOrders(), query.getOffset(), query.getLimit()), query -> count());
    }

    private Stream<MessageSummary> fetch(List<QuerySortOrder> order, int offset, int limit) {
        try {
            List<SortKey> sort = sortKeys(order);
            if (searchResults == null) {
                return mail.page(sort, offset, limit).stream();
            }
            List<MessageSummary> rows = new ArrayList<>();
            for (Long uid : searchResults.subList(Math.min(offset, searchResults.size()),
                    Math.min(offset + limit, searchResults.size()))) {
                mail.summary(uid).ifPresent(rows::add);
            }
            return rows.stream();
        } catch (IOException e) {
            LOG.warn("listing {} failed", folder, e);
            return Stream.empty();
        }
    }

    private int count() {
        try {
            return searchResults != null ? searchResults.size() : mail.count();
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
        Button read = action("mark-read", "Read", uids -> mail.flag(uids, Flags.SEEN, true));
        Button unread = action("mark-unread", "Unread", uids -> mail.flag(uids, Flags.SEEN, false));
        Button flag = action("flag", "Flag", uids -> mail.flag(uids, Flags.FLAGGED, true));
        Button unflag = action("unflag", "Unflag", uids -> mail.flag(uids, Flags.FLAGGED, false));
        Button delete = action("delete", "Delete", uids -> mail.delete(uids));
        delete.addThemeVariants(ButtonVariant.LUMO_ERROR);
        read.addClickShortcut(Key.KEY_I, KeyModifier.ALT);
        unread.addClickShortcut(Key.KEY_U, KeyModifier.ALT);
        delete.addClickShortcut(Key.DELETE, KeyModifier.ALT);
        Button spam = action("spam", "Spam", uids -> mail.move(uids,
                mail.specialFolder(SpecialUse.JUNK).orElse(SpecialUse.JUNK.defaultName())));
        Button ham = action("not-spam", "Not spam", uids -> mail.move(uids, MailboxInfo.INBOX));
        spam.addClickShortcut(Key.KEY_J, KeyModifier.ALT);
        moveTarget.setId("move-target");
        moveTarget.setPlaceholder("Move to…");
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
        void run(List<Long> uids) throws IOException;
    }

    private Button action(String id, String label, UidAction action) {
        Button b = new Button(label, e -> act(action));
        b.setId(id);
        b.addThemeVariants(ButtonVariant.LUMO_SMALL);
        return b;
    }

    /** Applies an action to the selected messages, or to the one being read when none is selected. */
    private void act(UidAction action) {
        List<Long> uids = grid.getSelectedItems().stream().map(MessageSummary::uid).sorted().toList();
        if (uids.isEmpty() && shown != null) {
            uids = List.of(shown.uid());
        }
        if (uids.isEmpty()) {
            notify("Select messages first.", false);
            return;
        }
        try {
            action.run(uids);
        } catch (IOException e) {
            notify("That did not work: " + e.getMessage(), true);
        }
        grid.deselectAll();
        refresh();
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
                folders.add(b);
            }
        } catch (IOException e) {
            folders.add(new Span("Folders unavailable"));
        }
        moveTarget.setItems(names);
    }

    private void openFolder(String name) {
        try {
            mail.open(name);
        } catch (IOException e) {
            notify("Cannot open " + name + ": " + e.getMessage(), true);
            return;
        }
        folder = name;
        folderTitle.setText(name);
        searchResults = null;
        search.clear();
        shown = null;
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
                notify("Search failed: " + e.getMessage(), true);
                searchResults = List.of();
            }
        }
        folderTitle.setText(searchResults == null ? folder : folder + ": " + searchResults.size() + " found");
        grid.getDataProvider().refreshAll();
    }

    private void show(MessageSummary summary) {
        shown = summary;
        showImages = false;
        renderReader();
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
        Anchor original = new Anchor(ContentServlet.rawUrl(folder, shown.uid()), "Download original");
        original.setId("download-original");
        original.getElement().setAttribute("download", true);
        original.setRouterIgnore(true);
        if (shown.size() > WebmailServices.current().config().get().maxDisplaySize().bytes()) {
            reader.add(new Span("This message (" + Sizes.human(shown.size()) + ") is too big to show here."), original);
            return;
        }
        ReadMessage m;
        try {
            m = mail.read(shown.uid());
        } catch (IOException e) {
            reader.add(new Span("This message cannot be read: " + e.getMessage()));
            return;
        }
        showImages = showImages || RemoteImagesFromSender.allowed(mail.account(), m);
        Span subject = new Span(m.subject().isEmpty() ? "(no subject)" : m.subject());
        subject.setId("message-subject");
        subject.getStyle().set("font-weight", "600").set("font-size", "var(--lumo-font-size-l)");
        Div meta = new Div();
        meta.getElement().setProperty("innerText",
                "From: " + m.from() + "\nTo: " + m.to() + (m.cc().isEmpty() ? "" : "\nCc: " + m.cc()) + "\nDate: " + m.date());
        meta.getStyle().set("white-space", "pre-wrap").set("font-size", "var(--lumo-font-size-s)");

        Button reply = new Button("Reply", e -> compose(ComposeDialog.Mode.REPLY, m));
        reply.setId("reply");
        Button replyAll = new Button("Reply all", e -> compose(ComposeDialog.Mode.REPLY_ALL, m));
        replyAll.setId("reply-all");
        Button forward = new Button("Forward", e -> compose(ComposeDialog.Mode.FORWARD, m));
        forward.setId("forward");
        reply.addClickShortcut(Key.KEY_R, KeyModifier.ALT);
        replyAll.addClickShortcut(Key.KEY_A, KeyModifier.ALT);
        forward.addClickShortcut(Key.KEY_F, KeyModifier.ALT);
        HorizontalLayout buttons = new HorizontalLayout(reply, replyAll, forward, original);
        buttons.setAlignItems(Alignment.BASELINE);
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
                Button images = new Button("Show " + blocked + " remote image" + (blocked > 1 ? "s" : ""), e -> {
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

    private static String verdictSummary(ReadMessage m) {
        List<String> parts = new ArrayList<>();
        for (ReadMessage.HeaderLine line : m.verdict()) {
            String name = line.name().toLowerCase(Locale.ROOT);
            if (name.equals("x-spam-flag")) {
                parts.add("Spam: " + line.value());
            } else if (name.equals("x-spam-score")) {
                parts.add("score " + line.value());
            } else if (name.equals("authentication-results")) {
                for (String method : new String[] {"spf", "dkim", "dmarc"}) {
                    var matcher = java.util.regex.Pattern.compile("\\b" + method + "=(\\w+)").matcher(line.value());
                    if (matcher.find()) {
                        parts.add(method.toUpperCase(Locale.ROOT) + " " + matcher.group(1));
                    }
                }
            }
        }
        return parts.isEmpty() ? "Filter report" : String.join(" · ", parts);
    }

    private void compose(ComposeDialog.Mode mode) {
        compose(mode, null);
    }

    private void compose(ComposeDialog.Mode mode, ReadMessage original) {
        new ComposeDialog(mail, mode, original, original == null || shown == null ? null
                : attachments -> attachments.addAll(ComposeDialog.originalAttachments(mail, shown.uid(), original)),
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
