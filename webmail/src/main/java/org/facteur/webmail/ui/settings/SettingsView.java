package org.facteur.webmail.ui.settings;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.dependency.StyleSheet;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import java.util.Optional;
import org.facteur.auth.DirectoryException;
import org.facteur.webmail.settings.SettingsServices;
import org.facteur.webmail.ui.LoginView;
import org.facteur.webmail.ui.MailView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user's settings, one section per concern: profile (name, language, addresses, signature), spam
 * (threshold, where spam goes, sender lists), vacation auto-reply, and the TOTP second factor. Every section
 * saves on its own button and reads the stored values back, so what the page shows is what is stored.
 */
@Route("settings")
@StyleSheet("context://styles/webmail.css")
public class SettingsView extends VerticalLayout implements BeforeEnterObserver, HasDynamicTitle {

    private static final Logger LOG = LoggerFactory.getLogger(SettingsView.class);

    private boolean built;

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        Optional<String> account = LoginView.accountOrLogin(event);
        if (account.isPresent() && !built) {
            built = true;
            build(account.get());
        }
    }

    @Override
    public String getPageTitle() {
        return getTranslation("settings.title");
    }

    private void build(String account) {
        setMaxWidth("48em");
        addClassName("settings");
        Button back = new Button(getTranslation("settings.back"), e -> getUI().ifPresent(ui -> ui.navigate(MailView.class)));
        back.setId("settings-back");
        HorizontalLayout header = new HorizontalLayout(new H2(getTranslation("settings.title")), back);
        header.setAlignItems(Alignment.BASELINE);
        add(header);
        Optional<SettingsServices> services = SettingsServices.current();
        if (services.isEmpty()) {
            add(new Paragraph(getTranslation("settings.unavailable")));
            return;
        }
        SettingsServices s = services.get();
        add(new ProfileSection(account, s.settings()));
        add(new SpamSection(account, s.settings(), s.senderLists()));
        add(new ImageSendersSection(account, s.settings()));
        add(new VacationSection(account, s.settings()));
        add(new TwoFactorSection(account, s.totp()));
    }

    /** Runs a save; says "saved" or why not (a refused value, the database unavailable). */
    static boolean save(com.vaadin.flow.component.Component from, String account, Runnable action) {
        try {
            action.run();
            Notification.show(from.getTranslation("settings.saved"), 3000, Notification.Position.TOP_END)
                    .addThemeVariants(NotificationVariant.LUMO_SUCCESS);
            return true;
        } catch (IllegalArgumentException e) {
            Notification.show(e.getMessage(), 6000, Notification.Position.MIDDLE)
                    .addThemeVariants(NotificationVariant.LUMO_ERROR);
        } catch (DirectoryException | java.io.UncheckedIOException e) {
            LOG.warn("settings of {} not saved", account, e);
            Notification.show(from.getTranslation("settings.notSaved"), 6000, Notification.Position.MIDDLE)
                    .addThemeVariants(NotificationVariant.LUMO_ERROR);
        }
        return false;
    }
}
