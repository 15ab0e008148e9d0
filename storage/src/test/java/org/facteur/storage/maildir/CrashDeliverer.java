package org.facteur.storage.maildir;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Set;

import org.facteur.storage.AppendResult;
import org.facteur.storage.testing.TestStore;

/**
 * Run in a child JVM by {@link CrashRecoveryTest}: {@code THREADS} deliverers (argument 2, default 1) deliver
 * messages into one INBOX in a loop, and each prints {@code ACK <uid> <sha256> <token>} once its delivery has
 * returned (the moment SMTP would answer 250); the subject is {@code crash <token>}. It never stops by itself;
 * the test kills it.
 */
public final class CrashDeliverer {

    private CrashDeliverer() {
    }

    public static void main(String[] args) throws Exception {
        MaildirStore store = TestStore.create(Path.of(args[0]));
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        for (int t = 1; t < threads; t++) {
            int thread = t;
            Thread th = new Thread(() -> deliverForever(store, thread), "deliverer-" + t);
            th.start();
        }
        deliverForever(store, 0);
    }

    private static void deliverForever(MaildirStore store, int thread) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (int i = 0; ; i++) {
                String token = "t" + thread + "n" + i;
                byte[] msg = TestStore.message("crash " + token, ("line of body " + i + "\n").repeat(1 + i % 50));
                AppendResult r = store.deliver(CrashRecoveryTest.ACCOUNT, "INBOX", TestStore.stream(msg), Set.of());
                String ack = "ACK " + r.uid() + " " + HexFormat.of().formatHex(sha.digest(msg)) + " " + token;
                synchronized (System.out) {
                    System.out.println(ack);
                    System.out.flush();
                }
            }
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
    }
}
