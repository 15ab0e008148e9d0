package org.facteur.webmail.ui.settings;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.checkbox.Checkbox;
import com.vaadin.flow.component.datepicker.DatePicker;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import org.facteur.auth.settings.SettingsStore;
import org.facteur.auth.settings.Vacation;

/** The vacation auto-reply, which the SMTP server sends at delivery (RFC 3834): on/off, subject, text, dates. */
final class VacationSection extends VerticalLayout {

    private final String account;
    private final SettingsStore store;
    private final Checkbox enabled = new Checkbox();
    private final TextField subject = new TextField();
    private final TextArea text = new TextArea();
    private final DatePicker start = new DatePicker();
    private final DatePicker end = new DatePicker();

    VacationSection(String account, SettingsStore store) {
        this.account = account;
        this.store = store;
        setPadding(false);
        setId("settings-vacation");
        enabled.setLabel(getTranslation("settings.vacation.enabled"));
        enabled.setId("settings-vacation-on");
        subject.setLabel(getTranslation("settings.vacation.subject"));
        subject.setHelperText(getTranslation("settings.vacation.subjectHelp"));
        subject.setId("settings-vacation-subject");
        subject.setMaxLength(Vacation.MAX_SUBJECT);
        subject.setWidthFull();
        text.setLabel(getTranslation("settings.vacation.text"));
        text.setId("settings-vacation-text");
        text.setMaxLength(Vacation.MAX_TEXT);
        text.setWidthFull();
        start.setLabel(getTranslation("settings.vacation.start"));
        start.setId("settings-vacation-start");
        start.setClearButtonVisible(true);
        end.setLabel(getTranslation("settings.vacation.end"));
        end.setId("settings-vacation-end");
        end.setClearButtonVisible(true);
        Button save = new Button(getTranslation("settings.save"), e -> save());
        save.setId("settings-save-vacation");
        add(new H3(getTranslation("settings.vacation.title")), new Paragraph(getTranslation("settings.vacation.help")),
                enabled, subject, text, new HorizontalLayout(start, end), save);
        load();
    }

    private void load() {
        Vacation v = store.vacation(account);
        enabled.setValue(v.enabled());
        subject.setValue(v.subject());
        text.setValue(v.text());
        start.setValue(v.start());
        end.setValue(v.end());
    }

    private void save() {
        SettingsView.save(this, account, () -> store.saveVacation(account, new Vacation(enabled.getValue(),
                subject.getValue(), text.getValue().replace("\r\n", "\n"), start.getValue(), end.getValue())));
    }
}
