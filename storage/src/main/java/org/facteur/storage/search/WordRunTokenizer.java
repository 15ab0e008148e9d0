package org.facteur.storage.search;

import java.io.IOException;

import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;

/**
 * Cuts text into runs of letters and digits ({@link Character#isLetterOrDigit(int)}), lower-cased
 * ({@link Character#toLowerCase(int)}) as they are read: the terms {@link LuceneFullText#runs} cuts a search term
 * into. A run longer than {@value #MAX_RUN} chars is cut there, the rest making the next term.
 *
 * <p>It gives the same terms as Lucene's {@code CharTokenizer} on that predicate followed by a
 * {@code LowerCaseFilter}, which the index was built with before (and an index built with either answers
 * alike; {@code WordRunTokenizerTest} compares them), in one pass over the text instead of two.
 */
final class WordRunTokenizer extends Tokenizer {

    /** Lucene's {@code CharTokenizer} default, kept so that terms stay as they were. */
    static final int MAX_RUN = 255;

    private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
    private final OffsetAttribute offset = addAttribute(OffsetAttribute.class);
    private char[] text = new char[4096];
    private int length;
    private int pos;

    @Override
    public void reset() throws IOException {
        super.reset();
        // the whole field at once: a surrogate pair is never split between two reads
        length = 0;
        pos = 0;
        int n;
        while ((n = input.read(text, length, text.length - length)) > 0) {
            length += n;
            if (length == text.length) {
                text = java.util.Arrays.copyOf(text, text.length * 2);
            }
        }
    }

    @Override
    public boolean incrementToken() {
        clearAttributes();
        char[] out = term.buffer();
        int size = 0;
        int start = -1;
        int end = -1;
        while (pos < length) {
            int cp = Character.codePointAt(text, pos, length);
            int chars = Character.charCount(cp);
            if (Character.isLetterOrDigit(cp)) {
                if (start < 0) {
                    start = pos;
                }
                if (size + 2 > out.length) {
                    out = term.resizeBuffer(size + 2);
                }
                size += Character.toChars(Character.toLowerCase(cp), out, size);
                pos += chars;
                end = pos;
                if (size >= MAX_RUN) {
                    break;
                }
            } else {
                pos += chars;
                if (start >= 0) {
                    break;
                }
            }
        }
        if (start < 0) {
            return false;
        }
        term.setLength(size);
        offset.setOffset(correctOffset(start), correctOffset(end));
        return true;
    }

    @Override
    public void end() throws IOException {
        super.end();
        int last = correctOffset(length);
        offset.setOffset(last, last);
    }

    @Override
    public void close() throws IOException {
        super.close();
        if (text.length > 64 * 1024) {
            text = new char[4096]; // a 1 MB body does not keep 1 MB per analyzer thread
        }
    }
}
