package org.facteur.filters.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.facteur.filters.ParsedMessage;
import org.facteur.filters.bayes.Tokenizer;

/** Where the time goes: parse and tokenize the corpus, single-threaded. */
public final class SpeedProbe {
    public static void main(String[] args) throws Exception {
        List<byte[]> messages = new ArrayList<>();
        for (String d : new String[] {"ham", "spam"}) {
            try (Stream<Path> s = Files.list((args.length > 0 ? Path.of(args[0]) : org.facteur.filters.testing.Corpus.location()).resolve(d))) {
                for (Path p : s.toList()) {
                    messages.add(Files.readAllBytes(p));
                }
            }
        }
        for (int round = 0; round < 3; round++) {
            long t0 = System.nanoTime();
            List<ParsedMessage> parsed = new ArrayList<>();
            for (byte[] m : messages) {
                parsed.add(ParsedMessage.parse(m));
            }
            long t1 = System.nanoTime();
            Tokenizer tokenizer = new Tokenizer(2000);
            long n = 0;
            for (ParsedMessage p : parsed) {
                n += tokenizer.tokens(p).size();
            }
            long t2 = System.nanoTime();
            System.out.printf("parse %.0f msgs/s, tokenize %.0f msgs/s (%d tokens)%n",
                    messages.size() / ((t1 - t0) / 1e9), messages.size() / ((t2 - t1) / 1e9), n);
        }
    }
}
