package org.facteur.webmail.ui;

import com.vaadin.flow.component.UI;

/**
 * The user's language for code that is not a component (dialog builders, notifications): the translation of
 * {@code key} in the current UI's locale, from {@code vaadin-i18n/translations*.properties}.
 */
public final class Texts {

    private Texts() {
    }

    public static String t(String key, Object... args) {
        return UI.getCurrent().getTranslation(key, args);
    }
}
