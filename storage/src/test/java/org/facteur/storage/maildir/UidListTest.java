package org.facteur.storage.maildir;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.facteur.storage.ModifiedUtf7;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UidListTest {

    @TempDir
    Path dir;

    @Test
    void readsDovecotVersion3WithAndWithoutExtensions() throws Exception {
        Files.writeString(dir.resolve(UidList.FILE), "3 V1700000000 N5 G0123456789abcdef0123456789abcdef\n"
                + "1 :1700000000.M1P1.host,S=5,W=5\n"
                + "3 W120 S118 G1a2b :1700000001.M1P1.host:2,S\n"
                + "4 :1700000002.M1P1.host\n"
                + "9 :torn line with no newli");
        UidList l = UidList.load(dir);
        assertThat(l.uidValidity()).isEqualTo(1700000000L);
        assertThat(l.entries()).containsOnlyKeys(1L, 3L, 4L);
        assertThat(l.uid("1700000001.M1P1.host")).isEqualTo(3L);
        assertThat(l.nextUid()).isEqualTo(5);
    }

    @Test
    void readsVersion1AndSkipsGarbage() throws Exception {
        Files.writeString(dir.resolve(UidList.FILE), "1 1600000000 7\n2 1600000000.P1.h:2,\nxx\n-1 :bad\n8 :a\n");
        UidList l = UidList.load(dir);
        assertThat(l.uidValidity()).isEqualTo(1600000000L);
        assertThat(l.entries()).containsOnlyKeys(2L);
        assertThat(l.nextUid()).isEqualTo(7);
    }

    @Test
    void unreadableHeaderMeansNoList() throws Exception {
        Files.writeString(dir.resolve(UidList.FILE), "garbage\n1 :x\n");
        assertThat(UidList.load(dir)).isNull();
    }

    @Test
    void appendThenRewriteRoundTrips() throws Exception {
        UidList l = UidList.fresh(42);
        long a = l.assign("a");
        l.setVsize(a, 10);
        l.rewrite(dir, false);
        long b = l.assign("b");
        l.append(dir, List.of(b), false);
        UidList back = UidList.load(dir);
        assertThat(back.entries()).containsEntry(1L, "a").containsEntry(2L, "b");
        assertThat(back.nextUid()).isEqualTo(3);
        assertThat(Files.readString(dir.resolve(UidList.FILE))).contains("1 W10 :a\n2 :b\n");
    }

    @Test
    void modifiedUtf7AsDovecotWritesIt() {
        assertThat(ModifiedUtf7.encode("Été & Co", "./")).isEqualTo("&AMk-t&AOk- &- Co");
        assertThat(ModifiedUtf7.decode("&AMk-t&AOk- &- Co")).isEqualTo("Été & Co");
        assertThat(ModifiedUtf7.decode("&Jjo-!")).isEqualTo("☺!");
        assertThat(ModifiedUtf7.decode("broken&-&zz")).isEqualTo("broken&&zz");
        assertThat(MailboxNames.toDirectory("Lists/v1.2")).isEqualTo(".Lists.v1&AC4-2");
        assertThat(MailboxNames.fromDirectory(".Lists.v1&AC4-2")).isEqualTo("Lists/v1.2");
    }
}
