package org.facteur.filters.attachments;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.facteur.auth.Recipient;
import org.facteur.config.DataSize;
import org.facteur.filters.FilterConfig;
import org.facteur.filters.FilterContext;
import org.facteur.filters.Filters;
import org.facteur.filters.MessageData;
import org.facteur.filters.ParsedMessage;
import org.facteur.filters.Verdict;
import org.facteur.filters.testing.Configs;
import org.facteur.filters.testing.Messages;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class AttachmentFilterTest {

    @TempDir
    Path dir;

    static final byte[] EXE = "MZ\u0090\u0000this program cannot be run in DOS mode".getBytes(StandardCharsets.ISO_8859_1);

    public static String message(String filename, String type, byte[] content) {
        return "From: a@sender.example\r\nTo: bob@example.org\r\nSubject: files\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"BB\"\r\n\r\n"
                + "--BB\r\nContent-Type: text/plain\r\n\r\nSee attached.\r\n"
                + "--BB\r\nContent-Type: " + type + "; name=\"" + filename + "\"\r\n"
                + "Content-Disposition: attachment; filename=\"" + filename + "\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(content) + "\r\n--BB--\r\n";
    }

    static byte[] zip(String name, byte[] content) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            z.putNextEntry(new ZipEntry(name));
            z.write(content);
            z.closeEntry();
        }
        return out.toByteArray();
    }

    private List<AttachmentInspector.Finding> inspect(String filename, String type, byte[] content) {
        return inspect(Configs.defaults().attachments(), filename, type, content);
    }

    private List<AttachmentInspector.Finding> inspect(FilterConfig.Attachments config, String filename, String type, byte[] content) {
        return new AttachmentInspector(config).inspect(
                ParsedMessage.parse(message(filename, type, content).getBytes(StandardCharsets.ISO_8859_1)));
    }

    @Test
    void dangerousContentIsFound() throws Exception {
        assertThat(inspect("setup.exe", "application/octet-stream", EXE)).singleElement()
                .extracting(AttachmentInspector.Finding::reason).asString().contains(".exe");
        assertThat(inspect("invoice.pdf.exe", "application/pdf", "x".getBytes())).singleElement()
                .extracting(AttachmentInspector.Finding::reason).asString().contains("double extension");
        assertThat(inspect("invoice.pdf", "application/pdf", EXE)).singleElement()
                .extracting(AttachmentInspector.Finding::reason).asString().contains("Windows executable");
        assertThat(inspect("run.txt", "application/octet-stream", "#!/bin/sh\nrm -rf ~\n".getBytes())).hasSize(1);
        assertThat(inspect("photo\u202egpj.exe", "image/jpeg", "x".getBytes())).hasSize(1);
        assertThat(inspect("files.zip", "application/zip", zip("docs/readme.js", "alert(1)".getBytes())))
                .singleElement().extracting(AttachmentInspector.Finding::reason).asString().contains(".js");
        byte[] nested = zip("inner.zip", zip("tool.bin", EXE));
        assertThat(inspect("files.zip", "application/zip", nested)).singleElement()
                .extracting(AttachmentInspector.Finding::reason).asString().contains("Windows executable");
        assertThat(inspect("report.docm", "application/octet-stream", zip("word/vbaProject.bin", new byte[10])))
                .singleElement().extracting(AttachmentInspector.Finding::reason).asString().contains("macros");
        byte[] ole = new byte[600];
        System.arraycopy(new byte[] {(byte) 0xD0, (byte) 0xCF, 0x11, (byte) 0xE0, (byte) 0xA1, (byte) 0xB1, 0x1A, (byte) 0xE1}, 0, ole, 0, 8);
        byte[] vba = "_VBA_PROJECT".getBytes(StandardCharsets.UTF_16LE);
        System.arraycopy(vba, 0, ole, 300, vba.length);
        assertThat(inspect("old.doc", "application/msword", ole)).singleElement()
                .extracting(AttachmentInspector.Finding::reason).asString().contains("macros");
        assertThat(inspect("page.html", "text/html", "<html><script>steal()</script></html>".getBytes())).hasSize(1);
        // Harmless files pass.
        assertThat(inspect("report.pdf", "application/pdf", "%PDF-1.4 hello".getBytes())).isEmpty();
        assertThat(inspect("docs.zip", "application/zip", zip("a.txt", "hello".getBytes()))).isEmpty();
        assertThat(inspect("page.html", "text/html", "<html><b>hi</b></html>".getBytes())).isEmpty();
    }

    @Test
    void zipBombsAndDeepNestingAreRefused() throws Exception {
        FilterConfig.Attachments small = Configs.with(Configs.defaults().attachments(), "archiveMaxSize", DataSize.ofMegabytes(4));
        byte[] bomb = zip("zeros.txt", new byte[8 << 20]);
        assertThat(inspect(small, "big.zip", "application/zip", bomb)).singleElement()
                .extracting(AttachmentInspector.Finding::reason).asString().contains("zip bomb");
        byte[] ratio = zip("zeros.txt", new byte[3 << 20]);
        assertThat(inspect(small, "r.zip", "application/zip", ratio)).singleElement()
                .extracting(AttachmentInspector.Finding::reason).asString().contains("ratio");
        byte[] deep = zip("a.txt", "x".getBytes());
        for (int i = 0; i < 4; i++) {
            deep = zip("level" + i + ".zip", deep);
        }
        assertThat(inspect("deep.zip", "application/zip", deep)).singleElement()
                .extracting(AttachmentInspector.Finding::reason).asString().contains("nested deeper");
    }

    private Verdict run(FilterConfig.AttachmentAction action, MessageData m, FilterContext ctx) throws Exception {
        FilterConfig c = Configs.defaults();
        FilterConfig config = Configs.with(c, "attachments", Configs.with(c.attachments(), "action", action));
        try (Filters f = Filters.builder(() -> config).dataDir(dir).build()) {
            f.chain().mailFrom(ctx, "a@sender.example");
            f.chain().rcptTo(ctx, "bob@example.org", new Recipient.Local(List.of("bob@example.org"), null));
            Verdict v = f.chain().data(ctx, m).verdict();
            if (action == FilterConfig.AttachmentAction.QUARANTINE) {
                assertThat(f.quarantine().list()).singleElement().extracting(q -> q.reason()).asString().contains(".exe");
            }
            return v;
        }
    }

    @Test
    void actionsRejectQuarantineAndStrip() throws Exception {
        String text = message("setup.exe", "application/octet-stream", EXE);
        Verdict rejected = run(FilterConfig.AttachmentAction.REJECT, Messages.write(dir, "r.eml", text), Messages.mta("198.51.100.7"));
        assertThat(rejected.action()).isEqualTo(Verdict.Action.REJECT);
        assertThat(rejected.code()).isEqualTo(554);

        Verdict held = run(FilterConfig.AttachmentAction.QUARANTINE, Messages.write(dir, "q.eml", text), Messages.mta("198.51.100.7"));
        assertThat(held.action()).isEqualTo(Verdict.Action.QUARANTINE);

        MessageData m = Messages.write(dir, "s.eml", text);
        Path original = m.file();
        FilterContext ctx = Messages.submission("alice@example.org"); // our own users are checked too
        Verdict stripped = run(FilterConfig.AttachmentAction.STRIP, m, ctx);
        assertThat(stripped.action()).isEqualTo(Verdict.Action.CONTINUE);
        assertThat(m.file()).isNotEqualTo(original);
        String rewritten = Files.readString(m.file(), StandardCharsets.ISO_8859_1);
        assertThat(rewritten).contains("See attached.").contains("removed by the mail server").doesNotContain("TVq");
        assertThat(ParsedMessage.parse(Files.readAllBytes(m.file())).parts()).hasSize(2);
        assertThat(ctx.headers()).extracting(FilterContext.AddedHeader::name).contains("X-Facteur-Stripped");
    }
}
