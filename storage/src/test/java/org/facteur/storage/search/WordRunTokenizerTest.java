package org.facteur.storage.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.apache.lucene.analysis.LowerCaseFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.util.CharTokenizer;
import org.junit.jupiter.api.Test;

/** The one-pass tokenizer gives the terms the index was built with before: Lucene's CharTokenizer + LowerCaseFilter. */
class WordRunTokenizerTest {

    @Test
    void givesTheTermsOfLucenesCharTokenizerAndLowerCaseFilter() throws IOException {
        // ASCII, Latin-1 and Greek letters with case, digits of other scripts, surrogate pairs (a Deseret capital,
        // a math letter, an emoji), the Turkish dotted I, and separators; runs long enough to be cut at 255 chars
        String[] pieces = {"a", "Z", "é", "É", "Σ", "ς", "٣", "İ", "\uD801\uDC00", "\uD835\uDC00", "\uD83D\uDE00", " ",
                ".", "-", "\r\n", "\t", "@", "_", "ß", "7"};
        Random r = new Random(255);
        for (int i = 0; i < 3_000; i++) {
            StringBuilder text = new StringBuilder();
            int n = r.nextInt(i % 10 == 0 ? 600 : 40);
            for (int k = 0; k < n; k++) {
                // long letter runs now and then, so the 255-char cut falls on every kind of character
                String p = pieces[r.nextInt(pieces.length)];
                text.append(r.nextInt(3) == 0 ? p.repeat(1 + r.nextInt(20)) : p);
            }
            String value = text.toString();
            assertThat(terms(new WordRunTokenizer(), null, value)).as(value).isEqualTo(reference(value));
        }
    }

    @Test
    void aTokenizerIsReusedFromOneFieldToTheNext() throws IOException {
        WordRunTokenizer t = new WordRunTokenizer();
        assertThat(terms(t, null, "Quarterly Budget")).containsExactly("quarterly", "budget");
        assertThat(terms(t, null, "x".repeat(70_000) + " Ok")).hasSize(276).endsWith("ok");
        assertThat(terms(t, null, "")).isEmpty();
        assertThat(terms(t, null, "Ünïcode 42")).containsExactly("ünïcode", "42");
    }

    private static List<String> reference(String value) throws IOException {
        Tokenizer t = CharTokenizer.fromTokenCharPredicate(Character::isLetterOrDigit);
        return terms(t, new LowerCaseFilter(t), value);
    }

    private static List<String> terms(Tokenizer tokenizer, TokenStream filtered, String value) throws IOException {
        TokenStream stream = filtered == null ? tokenizer : filtered;
        tokenizer.setReader(new StringReader(value));
        CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
        List<String> out = new ArrayList<>();
        stream.reset();
        while (stream.incrementToken()) {
            out.add(term.toString());
        }
        stream.end();
        stream.close();
        return out;
    }
}
