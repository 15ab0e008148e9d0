import java.util.Arrays;
import org.facteur.auth.password.Argon2id;
import org.facteur.auth.password.CramMd5Secret;
import org.facteur.auth.password.ScramSha256;

/**
 * What one password check and one password change cost with the default parameters: Argon2id verify (every
 * PLAIN/LOGIN/IMAP LOGIN), SCRAM key derivation and CRAM secret (password change). Median of N runs after warm-up.
 * Run with bench/auth-hash-cost.sh.
 */
public class HashCost {
    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        Argon2id.Cost cost = new Argon2id.Cost(19456, 2, 1);
        String hash = Argon2id.hash("correct horse battery staple", cost);
        report("argon2id verify m=19456 t=2 p=1", n, () -> Argon2id.verify("correct horse battery staple", hash));
        report("argon2id verify m=1024 t=1 p=1 (test fixture)", n,
                () -> Argon2id.verify("x", Argon2id.hash("x", new Argon2id.Cost(1024, 1, 1))));
        report("scram-sha-256 keys, 4096 iterations", n, () -> ScramSha256.fromPassword("correct horse battery staple", 4096));
        report("cram-md5 secret", n, () -> CramMd5Secret.fromPassword("correct horse battery staple"));
    }

    static void report(String what, int n, Runnable r) {
        for (int i = 0; i < 3; i++) {
            r.run();
        }
        long[] t = new long[n];
        for (int i = 0; i < n; i++) {
            long s = System.nanoTime();
            r.run();
            t[i] = System.nanoTime() - s;
        }
        Arrays.sort(t);
        System.out.printf("%-48s median %7.2f ms   min %7.2f ms   max %7.2f ms%n", what, t[n / 2] / 1e6, t[0] / 1e6, t[n - 1] / 1e6);
    }
}
