package org.facteur.webmail.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import org.facteur.webmail.settings.LocaleChooser;
import org.junit.jupiter.api.Test;

/** English and French say the same things: one key set, and the browser's preferred language wins. */
class TranslationsTest {

    static Properties load(String name) throws Exception {
        Properties p = new Properties();
        try (InputStream in = TranslationsTest.class.getResourceAsStream("/vaadin-i18n/" + name)) {
            p.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        }
        return p;
    }

    @Test
    void frenchHasEveryEnglishKeyAndNoOther() throws Exception {
        Properties en = load("translations.properties");
        Properties fr = load("translations_fr.properties");
        assertThat(en).isNotEmpty();
        assertThat(fr.keySet()).containsExactlyInAnyOrderElementsOf(en.keySet());
    }

    @Test
    void noStraightQuoteWhereMessageFormatReadsTheText() throws Exception {
        // MessageFormat takes ' as a quote: "d'ouvrir {0}" would print "douvrir {0}".
        for (String file : List.of("translations.properties", "translations_fr.properties")) {
            load(file).forEach((k, v) -> assertThat(v.toString()).as(file + " " + k)
                    .satisfiesAnyOf(s -> assertThat(s).doesNotContain("{"), s -> assertThat(s).doesNotContain("'")));
        }
    }

    @Test
    void theBrowsersFirstSpokenLanguageWins() {
        assertThat(LocaleChooser.choose(List.of(Locale.forLanguageTag("fr-CA"), Locale.ENGLISH))).isEqualTo(Locale.FRENCH);
        assertThat(LocaleChooser.choose(List.of(Locale.GERMAN, Locale.forLanguageTag("en-GB")))).isEqualTo(Locale.ENGLISH);
        assertThat(LocaleChooser.choose(List.of(Locale.GERMAN, Locale.FRENCH))).isEqualTo(Locale.FRENCH);
        assertThat(LocaleChooser.choose(List.of(Locale.JAPANESE))).isEqualTo(Locale.ENGLISH);
        assertThat(LocaleChooser.choose(List.of())).isEqualTo(Locale.ENGLISH);
    }
}
