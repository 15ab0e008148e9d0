package org.facteur.storage.maildir;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Set;

import org.facteur.storage.AppendResult;
import org.facteur.storage.testing.TestStore;

/**
 * Run in a child JVM by {@link CrashRecoveryTest}: delivers messages in a loop and prints
 * {@code ACK <uid> <sha256>} once each delivery has returned (the moment SMTP would answer 250). It never
 * stops by itself; the test kills it.
 */
public final class CrashDeliverer {

    private CrashDeliverer() {
    }

    public static void main(String[] args) throws Exception {
        MaildirStore store = TestStore.create(Path.of(args[0]));
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (int i = 0; ; i++) {
            byte[] msg = TestStore.message("crash " + i, ("line of body " + i + "\n").repeat(1 + i % 50));
            AppendResult r = store.deliver(CrashRecoveryTest.ACCOUNT, "INBOX", TestStore.stream(msg), Set.of());
            System.out.println("ACK " + r.uid() + " " + HexFormat.of().formatHex(sha.digest(msg)));
            System.out.flush();
        }
    }
}
