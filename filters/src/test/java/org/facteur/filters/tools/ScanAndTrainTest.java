package org.facteur.filters.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.facteur.filters.FilterConfig;
import org.facteur.filters.Filters;
import org.facteur.filters.bayes.Trainer;
import org.facteur.filters.bayes.TokenStore;
import org.facteur.filters.policy.GtubeFilter;
import org.facteur.filters.testing.Configs;
import org.facteur.storage.Mailbox;
import org.facteur.storage.SpecialUse;
import org.facteur.storage.maildir.MaildirStore;
import org.facteur.storage.testing.TestStore;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The APIs behind {@code facteur train} and {@code facteur scan}, and training from Junk moves. */
class ScanAndTrainTest {

    static final Path CORPUS = org.facteur.filters.testing.Corpus.location();

    @TempDir
    Path dir;

    private Path copy(String kind, int skip, int count) throws Exception {
        Path target = Files.createDirectories(dir.resolve(kind + skip));
        try (Stream<Path> s = Files.list(CORPUS.resolve(kind))) {
            for (Path p : s.sorted().skip(skip).limit(count).toList()) {
                Files.copy(p, target.resolve(p.getFileName()));
            }
        }
        return target;
    }

    @Test
    void trainFoldersThenScanPrintsOneLinePerMessage() throws Exception {
        Assumptions.assumeTrue(Files.isDirectory(CORPUS), "corpus not present");
        FilterConfig config = Configs.defaults();
        try (Filters filters = Filters.builder(() -> config).dataDir(dir.resolve("data")).build()) {
            Trainer.Result ham = filters.trainer().train(copy("ham", 0, 60), false, null);
            Path spamDir = copy("spam", 0, 40);
            Trainer.Result spam = filters.trainer().train(spamDir, true, null);
            assertThat(ham.trained()).isEqualTo(60);
            assertThat(spam.trained()).isEqualTo(40);
            assertThat(filters.trainer().train(spamDir, true, null).alreadyTrained()).isEqualTo(40);
            assertThat(filters.bayes().store().totals(List.of(""))).isEqualTo(new TokenStore.Counts(40, 60));

            Path mbox = dir.resolve("test.mbox");
            StringBuilder box = new StringBuilder();
            Path scanned = copy("spam", 100, 3);
            try (Stream<Path> s = Files.list(scanned)) {
                for (Path p : s.sorted().toList()) {
                    String text = Files.readString(p, java.nio.charset.StandardCharsets.ISO_8859_1);
                    if (text.startsWith("From ")) {
                        text = text.substring(text.indexOf('\n') + 1); // the corpus keeps its own From_ line
                    }
                    box.append("From x@y Sat Jan  1 00:00:00 2000\n").append(text.replace("\nFrom ", "\n>From ")).append('\n');
                }
            }
            box.append("From x@y Sat Jan  1 00:00:00 2000\nSubject: test\n\n").append(GtubeFilter.GTUBE).append('\n');
            Files.writeString(mbox, box.toString(), java.nio.charset.StandardCharsets.ISO_8859_1);
            StringWriter out = new StringWriter();
            int spamCount = filters.scanner(2).scan(mbox, true, new PrintWriter(out));
            String[] lines = out.toString().lines().filter(l -> !l.startsWith("    ")).toArray(String[]::new);
            assertThat(lines).hasSize(4);
            assertThat(lines[3]).startsWith(mbox + "#3\tjunk\t10");
            assertThat(out.toString()).contains("X-Spam-Status: Yes").contains("GTUBE");
            assertThat(spamCount).isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void movingIntoJunkTrainsTheAccount() throws Exception {
        FilterConfig config = Configs.defaults();
        try (Filters filters = Filters.builder(() -> config).dataDir(dir.resolve("data")).build();
             MaildirStore store = TestStore.create(dir.resolve("mail"))) {
            store.addReclassificationListener(filters.trainer().reclassificationListener(store));
            String account = "alice@example.org";
            store.deliver(account, "INBOX", TestStore.stream(TestStore.message("cheap pills", "buy cheap pills now")), Set.of());
            String junk = store.account(account).specialUse(SpecialUse.JUNK).orElseThrow().name();
            try (Mailbox inbox = store.account(account).open("INBOX", false, e -> { })) {
                long uid = inbox.messages().get(0).uid();
                inbox.move(List.of(uid), junk);
            }
            assertThat(filters.bayes().store().totals(List.of(account))).isEqualTo(new TokenStore.Counts(1, 0));
            try (Mailbox box = store.account(account).open(junk, false, e -> { })) {
                box.move(List.of(box.messages().get(0).uid()), "INBOX");
            }
            assertThat(filters.bayes().store().totals(List.of(account))).isEqualTo(new TokenStore.Counts(0, 1));
        }
    }
}
