package org.facteur.webmail.ui;

import static org.facteur.webmail.ui.Texts.t;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import java.util.List;

/** The keyboard shortcuts of the mail view, and the dialog that lists them ("?"). */
final class ShortcutsHelp {

    /** One shortcut: the key as {@code KeyboardEvent.key} gives it, and the translation key of what it does. */
    record Shortcut(String key, String label, String action) {
    }

    /** Every single-key shortcut; the mail view's key handler and the help dialog both read this list. */
    static final List<Shortcut> ALL = List.of(
            new Shortcut("c", "c", "shortcut.compose"),
            new Shortcut("r", "r", "shortcut.reply"),
            new Shortcut("a", "a", "shortcut.reply-all"),
            new Shortcut("f", "f", "shortcut.forward"),
            new Shortcut("Delete", "Delete", "shortcut.delete"),
            new Shortcut("j", "j", "shortcut.next"),
            new Shortcut("k", "k", "shortcut.previous"),
            new Shortcut("u", "u", "shortcut.toggle-read"),
            new Shortcut("/", "/", "shortcut.search"),
            new Shortcut("?", "?", "shortcut.help"));

    private ShortcutsHelp() {
    }

    static void open() {
        Dialog dialog = new Dialog();
        dialog.setId("shortcuts-help");
        dialog.setHeaderTitle(t("shortcut.title"));
        Div table = new Div();
        table.addClassName("shortcut-table");
        for (Shortcut s : ALL) {
            Span key = new Span(s.label());
            key.addClassName("shortcut-key");
            table.add(new Div(key, new Span(t(s.action()))));
        }
        dialog.add(table);
        Button close = new Button(t("contacts.close"), e -> dialog.close());
        close.setId("shortcuts-close");
        dialog.getFooter().add(close);
        dialog.open();
    }

    /**
     * The page script that sends these keys to the view: only when no field has the focus (typing a "c" in the
     * search box writes a "c"), no modifier is held and no dialog is open. {@code $0} is the view's element.
     */
    static String listenerScript() {
        StringBuilder keys = new StringBuilder();
        for (Shortcut s : ALL) {
            keys.append(keys.isEmpty() ? "" : ",").append('"').append(s.key()).append('"');
        }
        return """
                const view = $0, keys = [%s];
                if (window.__facteurShortcuts) document.removeEventListener('keydown', window.__facteurShortcuts);
                window.__facteurShortcuts = e => {
                  if (e.ctrlKey || e.metaKey || e.altKey || !keys.includes(e.key) || !view.isConnected) return;
                  const target = e.composedPath()[0];
                  if (target && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return;
                  if (document.querySelector('vaadin-dialog-overlay[opened]')) return;
                  e.preventDefault();
                  view.$server.shortcut(e.key);
                };
                document.addEventListener('keydown', window.__facteurShortcuts);
                """.formatted(keys);
    }
}
