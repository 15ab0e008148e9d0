package org.facteur.webmail.settings;

import com.vaadin.flow.server.ServiceInitEvent;
import com.vaadin.flow.server.VaadinRequest;
import com.vaadin.flow.server.VaadinServiceInitListener;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.facteur.webmail.web.WebSession;

/**
 * The language of each page: the one the user chose in the settings, else the first of the browser's languages
 * (Accept-Language, RFC 9110 §12.5.4, most wanted first) that the webmail speaks, else English. Vaadin's own
 * choice would fall back to the first translation file found, which can be French (English is the default file,
 * without a locale in its name). Registered through {@code META-INF/services}.
 */
public final class LocaleChooser implements VaadinServiceInitListener {

    /** The languages of {@code vaadin-i18n/translations*.properties}; the first is the default. */
    public static final List<Locale> LANGUAGES = List.of(Locale.ENGLISH, Locale.FRENCH);

    @Override
    public void serviceInit(ServiceInitEvent event) {
        event.getSource().addUIInitListener(ui -> ui.getUI().setLocale(choose(VaadinRequest.getCurrent())));
    }

    static Locale choose(VaadinRequest request) {
        Optional<Locale> own = WebSession.current().flatMap(account -> SettingsServices.of(account).locale());
        if (own.isPresent()) {
            return supported(own.get()).orElse(LANGUAGES.getFirst());
        }
        return choose(request == null ? List.of() : Collections.list(request.getLocales()));
    }

    /** The first language the webmail speaks among {@code wanted} (most wanted first), else English. */
    public static Locale choose(List<Locale> wanted) {
        for (Locale asked : wanted) {
            Optional<Locale> match = supported(asked);
            if (match.isPresent()) {
                return match.get();
            }
        }
        return LANGUAGES.getFirst();
    }

    private static Optional<Locale> supported(Locale asked) {
        return LANGUAGES.stream().filter(l -> l.getLanguage().equals(asked.getLanguage())).findFirst();
    }
}
