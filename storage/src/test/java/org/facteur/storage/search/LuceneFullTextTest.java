package org.facteur.storage.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.facteur.storage.SearchQuery;
import org.facteur.storage.mime.StructureParser;
import org.facteur.storage.mime.TextExtractor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real Lucene index, on real files: what a search sees between a commit and its indexing. */
class LuceneFullTextTest {

    private static final String ACCOUNT = "alice@example.test";

    @TempDir
    Path tmp;

    private LuceneFullText open() throws Exception {
        return new LuceneFullText(tmp.resolve("lucene"), new TextExtractor(new StructureParser(20), 1 << 20));
    }

    @Test
    void aCommittedMessageNotYetIndexedIsNamedForTheSearchToRead() throws Exception {
        Path file = tmp.resolve("msg");
        Files.writeString(file, "Subject: plans\r\n\r\nthe quarterly figures\r\n", StandardCharsets.US_ASCII);
        try (LuceneFullText index = open()) {
            // another session was told of UID 7 (EXISTS) before the deliverer indexed it
            index.expect(ACCOUNT, 1, List.of(7L));
            FullText.Candidates before = index.candidates(ACCOUNT, 1, SearchQuery.Field.BODY, "quarterly");
            assertThat(before.uids()).isEmpty();
            assertThat(before.unindexed()).containsExactly(7L);

            index.add(ACCOUNT, 1, 7, file);
            FullText.Candidates after = index.candidates(ACCOUNT, 1, SearchQuery.Field.BODY, "quarterly");
            assertThat(after.uids()).containsExactly(7L);
            assertThat(after.unindexed()).isEmpty();
            assertThat(index.candidates(ACCOUNT, 2, SearchQuery.Field.BODY, "quarterly").uids()).isEmpty();
        }
    }

    @Test
    void whatIsQueuedAtCloseIsIndexedAndCommitted() throws Exception {
        Path file = tmp.resolve("msg");
        Files.writeString(file, "Subject: plans\r\n\r\nthe quarterly figures\r\n", StandardCharsets.US_ASCII);
        try (LuceneFullText index = open()) {
            for (long uid = 1; uid <= 50; uid++) {
                index.add(ACCOUNT, 1, uid, file); // queued: the caller does not wait for Lucene
            }
            index.delete(ACCOUNT, 1, List.of(7L)); // after its add, in the order asked
        }
        try (LuceneFullText index = open()) {
            long[] found = index.candidates(ACCOUNT, 1, SearchQuery.Field.BODY, "quarterly").uids();
            assertThat(found).hasSize(49).doesNotContain(7L);
        }
    }

    @Test
    void anExpungedMessageIsNoLongerAwaited() throws Exception {
        try (LuceneFullText index = open()) {
            index.expect(ACCOUNT, 1, List.of(3L, 4L));
            index.delete(ACCOUNT, 1, List.of(3L));
            assertThat(index.candidates(ACCOUNT, 1, SearchQuery.Field.BODY, "x").unindexed()).containsExactly(4L);
            index.deleteMailbox(ACCOUNT, 1);
            assertThat(index.candidates(ACCOUNT, 1, SearchQuery.Field.BODY, "x").unindexed()).isEmpty();
        }
    }

    @Test
    void aReconcileKeepsWhatWasDeliveredAfterItsSnapshot() throws Exception {
        Path file = tmp.resolve("msg");
        Files.writeString(file, "Subject: plans\r\n\r\nthe quarterly figures\r\n", StandardCharsets.US_ASCII);
        try (LuceneFullText index = open()) {
            index.add(ACCOUNT, 1, 3, file); // indexed before the first use: gone from the mailbox since
            // first use: the mailbox was empty (next UID 5); UID 5 was delivered and indexed before the
            // background reconcile ran
            index.add(ACCOUNT, 1, 5, file);
            index.reconcile(ACCOUNT, 1, java.util.Map.of(), 5);
            FullText.Candidates c;
            long deadline = System.nanoTime() + 30_000_000_000L;
            while ((c = index.candidates(ACCOUNT, 1, SearchQuery.Field.BODY, "quarterly")) == null
                    && System.nanoTime() < deadline) {
                Thread.sleep(20); // null while the reconcile runs
            }
            assertThat(c).isNotNull();
            assertThat(c.uids()).containsExactly(5L);
        }
    }

    @Test
    void textExtractedAtDeliveryIsIndexedAsTheFileWouldBe() throws Exception {
        Path file = tmp.resolve("msg");
        Files.writeString(file, "From: Ann <ann@example.test>\r\nSubject: plans\r\n\r\nthe quarterly figures\r\n",
                StandardCharsets.US_ASCII);
        TextExtractor extractor = new TextExtractor(new StructureParser(20), 1 << 20);
        try (LuceneFullText index = open()) {
            index.add(ACCOUNT, 1, 1, file);
            index.add(ACCOUNT, 1, 2, extractor.extract(file));
            for (SearchQuery.Field f : List.of(SearchQuery.Field.BODY, SearchQuery.Field.FROM, SearchQuery.Field.SUBJECT,
                    SearchQuery.Field.TEXT)) {
                String term = f == SearchQuery.Field.FROM ? "ann" : f == SearchQuery.Field.SUBJECT ? "plan" : "quarter";
                assertThat(index.candidates(ACCOUNT, 1, f, term).uids()).as(f.name()).containsExactly(1L, 2L);
            }
        }
    }

    @Test
    void anIndexOfTheOlderFormatIsRebuiltFromTheMessages() throws Exception {
        // format 1 indexed text with frequencies, positions and norms and had no format mark: Lucene refuses
        // documents of another shape in the same fields, so such an index is rebuilt by the mailbox's reconcile
        Path file = tmp.resolve("msg");
        Files.writeString(file, "Subject: plans\r\n\r\nthe quarterly figures\r\n", StandardCharsets.US_ASCII);
        Path old = tmp.resolve("lucene").resolve(ACCOUNT);
        try (var w = new org.apache.lucene.index.IndexWriter(org.apache.lucene.store.FSDirectory.open(old),
                new org.apache.lucene.index.IndexWriterConfig())) {
            org.apache.lucene.document.Document d = new org.apache.lucene.document.Document();
            d.add(new org.apache.lucene.document.StringField(LuceneFullText.MAILBOX, "1",
                    org.apache.lucene.document.Field.Store.NO));
            d.add(new org.apache.lucene.document.NumericDocValuesField(LuceneFullText.UID, 9));
            d.add(new org.apache.lucene.document.TextField(LuceneFullText.BODY, "stale quarterly",
                    org.apache.lucene.document.Field.Store.NO));
            w.addDocument(d);
            w.commit();
        }
        try (LuceneFullText index = open()) {
            index.reconcile(ACCOUNT, 1, java.util.Map.of(3L, file), 4);
            FullText.Candidates c;
            long deadline = System.nanoTime() + 30_000_000_000L;
            while ((c = index.candidates(ACCOUNT, 1, SearchQuery.Field.BODY, "quarterly")) == null
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(c.uids()).containsExactly(3L);
            index.add(ACCOUNT, 1, 4, file);
            assertThat(index.candidates(ACCOUNT, 1, SearchQuery.Field.BODY, "figure").uids()).containsExactly(3L, 4L);
        }
        try (LuceneFullText index = open()) { // the rebuilt index carries the mark: kept at the next start
            index.reconcile(ACCOUNT, 1, java.util.Map.of(3L, file, 4L, file), 5);
            FullText.Candidates c;
            long deadline = System.nanoTime() + 30_000_000_000L;
            while ((c = index.candidates(ACCOUNT, 1, SearchQuery.Field.BODY, "quarterly")) == null
                    && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(c.uids()).containsExactly(3L, 4L);
        }
    }
}
