package org.facteur.filters.quarantine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.facteur.filters.FilterContext;
import org.facteur.filters.MessageData;
import org.facteur.filters.Verdict;
import org.facteur.filters.testing.Messages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuarantineTest {

    @TempDir
    Path dir;

    @Test
    void holdListShowReleaseDelete() throws Exception {
        List<String> delivered = new ArrayList<>();
        Quarantine q = new Quarantine(() -> dir.resolve("q"), (from, to, in) -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            delivered.add(from + "|" + to + "|" + out.toString());
        });
        FilterContext ctx = Messages.mta("198.51.100.3");
        ctx.reversePath("a@example.net");
        ctx.addRecipient("b@example.org");
        MessageData m = Messages.write(dir, "m.eml", "Subject: held\n\nbody\n");
        byte[] original = Files.readAllBytes(m.file());
        assertThat(q.hold(ctx, m, "virus Eicar-Test").action()).isEqualTo(Verdict.Action.QUARANTINE);
        assertThat(q.hold(ctx, m, "second").action()).isEqualTo(Verdict.Action.QUARANTINE);
        List<Quarantine.Entry> entries = q.list();
        assertThat(entries).hasSize(2);
        Quarantine.Entry first = entries.get(0);
        assertThat(first.reason()).isEqualTo("virus Eicar-Test");
        assertThat(first.recipients()).containsExactly("b@example.org");
        try (var in = q.open(first.id())) {
            assertThat(in.readAllBytes()).isEqualTo(original);
        }
        assertThat(q.release(first.id())).isTrue();
        assertThat(delivered).containsExactly("a@example.net|[b@example.org]|" + new String(original));
        assertThat(q.list()).hasSize(1);
        assertThat(q.delete(entries.get(1).id())).isTrue();
        assertThat(q.list()).isEmpty();
        assertThat(q.show("../../etc/passwd")).isEmpty();
        assertThat(q.release("no-such")).isFalse();
    }
}
