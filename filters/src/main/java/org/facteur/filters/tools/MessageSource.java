package org.facteur.filters.tools;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Walks the messages of a file, a folder of files, a maildir ({@code cur/} and {@code new/}) or an mbox
 * (a file starting with {@code "From "}), for {@code facteur scan} and {@code facteur train}.
 */
public final class MessageSource {

    /** One message: where it came from (file, or file#n in an mbox) and its bytes. */
    public record Item(String name, byte[] content) {
    }

    @FunctionalInterface
    public interface Visitor {
        void visit(Item item) throws IOException;
    }

    /** Messages larger than this are read only this far (scanning and training never need more). */
    static final int MAX_MESSAGE = 32 << 20;

    private MessageSource() {
    }

    public static void walk(Path source, Visitor visitor) throws IOException {
        if (Files.isDirectory(source)) {
            List<Path> files;
            try (Stream<Path> s = Files.walk(source)) {
                files = s.filter(Files::isRegularFile)
                        .filter(p -> !p.getFileName().toString().startsWith("."))
                        .filter(p -> !p.getFileName().toString().startsWith("dovecot"))
                        .filter(p -> !p.getFileName().toString().equals("maildirfolder"))
                        .filter(p -> p.getParent() == null || !p.getParent().getFileName().toString().equals("tmp"))
                        .sorted(Comparator.comparing(Path::toString)).toList();
            }
            for (Path file : files) {
                file(file, visitor);
            }
        } else {
            file(source, visitor);
        }
    }

    private static void file(Path file, Visitor visitor) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 65536)) {
            in.mark(5);
            byte[] start = in.readNBytes(5);
            in.reset();
            if (new String(start, StandardCharsets.ISO_8859_1).equals("From ")) {
                mbox(file.toString(), in, visitor);
            } else {
                visitor.visit(new Item(file.toString(), readBounded(in)));
            }
        }
    }

    private static byte[] readBounded(InputStream in) throws IOException {
        byte[] content = in.readNBytes(MAX_MESSAGE);
        in.transferTo(OutputSink.INSTANCE);
        return content;
    }

    /** mboxrd/mboxo: "From " lines separate messages; ">From " quoting is undone (RFC 4155). */
    private static void mbox(String name, InputStream in, Visitor visitor) throws IOException {
        ByteArrayOutputStream current = null;
        int index = 0;
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        boolean eof = false;
        while (!eof) {
            line.reset();
            while ((b = in.read()) != -1) {
                line.write(b);
                if (b == '\n') {
                    break;
                }
            }
            eof = b == -1;
            byte[] bytes = line.toByteArray();
            if (bytes.length == 0) {
                break;
            }
            String head = new String(bytes, 0, Math.min(bytes.length, 6), StandardCharsets.ISO_8859_1);
            if (head.startsWith("From ")) {
                if (current != null) {
                    visitor.visit(new Item(name + "#" + index++, current.toByteArray()));
                }
                current = new ByteArrayOutputStream();
                continue;
            }
            if (current == null) {
                current = new ByteArrayOutputStream();
            }
            int skip = 0;
            if (bytes.length > 1 && bytes[0] == '>') {
                int i = 0;
                while (i < bytes.length && bytes[i] == '>') {
                    i++;
                }
                if (new String(bytes, i, Math.min(5, bytes.length - i), StandardCharsets.ISO_8859_1).equals("From ")) {
                    skip = 1;
                }
            }
            if (current.size() < MAX_MESSAGE) {
                current.write(bytes, skip, bytes.length - skip);
            }
        }
        if (current != null && current.size() > 0) {
            visitor.visit(new Item(name + "#" + index, current.toByteArray()));
        }
    }

    private static final class OutputSink extends java.io.OutputStream {
        static final OutputSink INSTANCE = new OutputSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
