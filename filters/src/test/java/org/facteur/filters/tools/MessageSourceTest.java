package org.facteur.filters.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MessageSourceTest {

    @TempDir
    Path dir;

    @Test
    void readsMboxMaildirAndFiles() throws Exception {
        Path mbox = dir.resolve("box.mbox");
        Files.writeString(mbox, "From a@b Sat Jan  1 00:00:00 2000\nSubject: one\n\n>From here\n"
                + "From c@d Sat Jan  1 00:00:00 2000\nSubject: two\n\nbody\n");
        List<String> seen = new ArrayList<>();
        MessageSource.walk(mbox, item -> seen.add(new String(item.content())));
        assertThat(seen).containsExactly("Subject: one\n\nFrom here\n", "Subject: two\n\nbody\n");

        Path maildir = dir.resolve("Maildir");
        Files.createDirectories(maildir.resolve("cur"));
        Files.createDirectories(maildir.resolve("new"));
        Files.createDirectories(maildir.resolve("tmp"));
        Files.writeString(maildir.resolve("cur/1:2,S"), "Subject: a\n\nx\n");
        Files.writeString(maildir.resolve("new/2"), "Subject: b\n\ny\n");
        Files.writeString(maildir.resolve("tmp/3"), "Subject: partial\n");
        List<String> names = new ArrayList<>();
        MessageSource.walk(maildir, item -> names.add(Path.of(item.name()).getFileName().toString()));
        assertThat(names).containsExactly("1:2,S", "2");
    }
}
