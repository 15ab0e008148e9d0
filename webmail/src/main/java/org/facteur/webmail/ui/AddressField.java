package org.facteur.webmail.ui;

import com.vaadin.flow.component.Composite;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.data.value.ValueChangeMode;
import java.io.IOException;
import java.util.List;
import org.facteur.webmail.contacts.ContactBook;

/**
 * A To, Cc or Bcc field: addresses separated by commas, and below it the user's contacts and past
 * correspondents that match the address being typed (the text after the last comma), most used first.
 * Choosing one replaces what was typed. A plain text field underneath, so pasting a list still works.
 */
final class AddressField extends Composite<Div> {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AddressField.class);

    /** Ask for suggestions once typing pauses this long (ms): one query per pause, not per key. */
    static final int DEBOUNCE_MS = 250;

    private final TextField field;
    private final Div suggestions = new Div();
    private final Suggester suggester;

    /** Where suggestions come from: the account's {@link ContactBook#suggest}. */
    interface Suggester {
        List<ContactBook.Suggestion> suggest(String typed) throws IOException;
    }

    AddressField(String label, String id, Suggester suggester) {
        this.suggester = suggester;
        field = new TextField(label);
        field.setId(id);
        field.setWidthFull();
        field.setValueChangeMode(ValueChangeMode.LAZY);
        field.setValueChangeTimeout(DEBOUNCE_MS);
        field.addValueChangeListener(e -> {
            if (e.isFromClient()) {
                suggest();
            }
        });
        suggestions.setId(id + "-suggestions");
        suggestions.addClassName("address-suggestions");
        getContent().add(field, suggestions);
        getContent().setWidthFull();
    }

    TextField field() {
        return field;
    }

    String getValue() {
        return field.getValue();
    }

    void setValue(String value) {
        field.setValue(value);
    }

    /** The text after the last comma: the address being typed. */
    static String typed(String value) {
        return value.substring(value.lastIndexOf(',') + 1).strip();
    }

    /** {@code value} with the address being typed replaced by {@code chosen}, ready for the next one. */
    static String complete(String value, String chosen) {
        String before = value.substring(0, value.lastIndexOf(',') + 1);
        return (before.isEmpty() ? "" : before.strip() + " ") + chosen + ", ";
    }

    private void suggest() {
        suggestions.removeAll();
        String typed = typed(field.getValue());
        if (typed.isEmpty()) {
            return;
        }
        List<ContactBook.Suggestion> found;
        try {
            found = suggester.suggest(typed);
        } catch (IOException e) {
            // No suggestions is not worth an error for the user, who can still type the address.
            LOG.warn("no address suggestions", e);
            return;
        }
        for (ContactBook.Suggestion s : found) {
            Button b = new Button(s.display(), e -> {
                field.setValue(complete(field.getValue(), s.display()));
                suggestions.removeAll();
                field.focus();
            });
            b.addClassName("address-suggestion");
            b.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_SMALL);
            suggestions.add(b);
        }
    }
}
