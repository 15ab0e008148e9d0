package org.facteur.webmail.ui;

import com.vaadin.flow.server.ServiceInitEvent;
import com.vaadin.flow.server.VaadinRequest;
import com.vaadin.flow.server.VaadinServiceInitListener;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Gives each new UI the language the browser asks for (Accept-Language, RFC 9110 §12.5.4, in the order of its
 * q-values) among those the webmail speaks, English otherwise. Vaadin's own choice falls back to the first
 * translation file it happens to list, which could be French for an English browser.
 * Registered in {@code META-INF/services/com.vaadin.flow.server.VaadinServiceInitListener}.
 */
public final class BrowserLocale implements VaadinServiceInitListener {

    /** The languages of {@code vaadin-i18n/translations*.properties}; the first is the fallback. */
    public static final List<Locale> SPOKEN = List.of(Locale.ENGLISH, Locale.FRENCH);

    @Override
    public void serviceInit(ServiceInitEvent event) {
        event.getSource().addUIInitListener(e -> e.getUI().setLocale(choose(VaadinRequest.getCurrent() == null
                ? List.of() : Collections.list(VaadinRequest.getCurrent().getLocales()))));
    }

    /** The first spoken language among {@code wanted} (most wanted first), else English. */
    public static Locale choose(List<Locale> wanted) {
        for (Locale w : wanted) {
            for (Locale spoken : SPOKEN) {
                if (spoken.getLanguage().equals(w.getLanguage())) {
                    return spoken;
                }
            }
        }
        return SPOKEN.getFirst();
    }
}
