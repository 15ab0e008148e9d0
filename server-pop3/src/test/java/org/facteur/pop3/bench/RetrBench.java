package org.facteur.pop3.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import org.facteur.pop3.testing.Pop3Client;
import org.facteur.pop3.testing.Pop3TestServer;

/**
 * Not a test: a measurement run by {@code bench/pop3-retr.sh}. Delivers messages to a real store, then times
 * logins and RETR over POP3S on loopback, and reports the server JVM's heap growth while a large message streams.
 */
public final class RetrBench {

    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int sizeKb = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        int bigMb = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        Path temp = Files.createTempDirectory("pop3-bench");
        try (Pop3TestServer server = Pop3TestServer.start(temp)) {
            String line = "The quick brown fox jumps over the lazy dog. 0123456789 .dot\r\n";
            String body = line.repeat(Math.max(1, sizeKb * 1024 / line.length()));
            for (int i = 0; i < count; i++) {
                server.deliver(Pop3TestServer.ALICE, Pop3TestServer.message("m" + i, body));
            }
            server.deliver(Pop3TestServer.BOB, Pop3TestServer.message("big", line.repeat(bigMb * 1024 * 1024 / line.length())));

            // Warm up once (JIT, TLS), then measure.
            try (Pop3Client c = Pop3Client.tls(server.tlsPort()).login(Pop3TestServer.ALICE, Pop3TestServer.PASSWORD)) {
                c.multi("RETR 1");
            }
            long t0 = System.nanoTime();
            int logins = 10;
            for (int i = 0; i < logins; i++) {
                try (Pop3Client c = Pop3Client.tls(server.tlsPort()).login(Pop3TestServer.ALICE, Pop3TestServer.PASSWORD)) {
                    c.command("QUIT");
                }
            }
            double loginMs = (System.nanoTime() - t0) / 1e6 / logins;

            long bytes = 0;
            long t1 = System.nanoTime();
            try (Pop3Client c = Pop3Client.tls(server.tlsPort()).login(Pop3TestServer.ALICE, Pop3TestServer.PASSWORD)) {
                for (int n = 1; n <= count; n++) {
                    for (String l : c.multi("RETR " + n)) {
                        bytes += l.length() + 2;
                    }
                }
                c.command("QUIT");
            }
            double seconds = (System.nanoTime() - t1) / 1e9;

            Runtime rt = Runtime.getRuntime();
            System.gc();
            long heapBefore = rt.totalMemory() - rt.freeMemory();
            long t2 = System.nanoTime();
            long bigBytes = 0;
            try (Pop3Client c = Pop3Client.tls(server.tlsPort()).login(Pop3TestServer.BOB, Pop3TestServer.BOB_PASSWORD)) {
                for (String l : c.multi("RETR 1")) {
                    bigBytes += l.length() + 2;
                }
            }
            double bigSeconds = (System.nanoTime() - t2) / 1e9;
            long heapAfter = rt.totalMemory() - rt.freeMemory();

            System.out.printf("login (TLS handshake + USER/PASS + maildrop open + QUIT): %.1f ms each%n", loginMs);
            System.out.printf("RETR %d x %d KB over POP3S: %.2f s, %.1f MB/s, %.0f messages/s%n", count, sizeKb, seconds,
                    bytes / 1e6 / seconds, count / seconds);
            System.out.printf("RETR one %d MB message: %.2f s, %.1f MB/s; heap before %d MB, after %d MB (client lines included)%n",
                    bigMb, bigSeconds, bigBytes / 1e6 / bigSeconds, heapBefore >> 20, heapAfter >> 20);
        }
    }
}
