package org.facteur.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The cache alone, with a hand-turned change count and clock; {@code H2DirectoryTest} and {@code AutoServerTest} run it on H2. */
class RecipientCacheTest {

    private static final Recipient BOB = new Recipient.Local(List.of("bob@example.test"), null);

    private final AtomicLong generation = new AtomicLong(1);
    private final AtomicLong nanos = new AtomicLong();
    private final AtomicReference<AuthConfig.RecipientCache> config =
            new AtomicReference<>(new AuthConfig.RecipientCache(100, Duration.ofSeconds(60)));
    private final RecipientCache cache = new RecipientCache(config::get, generation::get, nanos::get);
    private final AtomicInteger lookups = new AtomicInteger();
    private final Function<String, Recipient> directory = a -> {
        lookups.incrementAndGet();
        return BOB;
    };

    @Test
    void aSecondLookupOfTheSameAddressIsAnsweredFromMemory() {
        assertThat(cache.resolve("bob@example.test", "+", directory)).isEqualTo(BOB);
        assertThat(cache.resolve("bob@example.test", "+", directory)).isEqualTo(BOB);
        assertThat(lookups).hasValue(1);
        cache.resolve("alice@example.test", "+", directory);
        assertThat(lookups).hasValue(2);
    }

    @Test
    void anyChangeToTheDirectoryMakesTheNextLookupReadItAgain() {
        cache.resolve("bob@example.test", "+", directory);
        generation.incrementAndGet();
        cache.resolve("bob@example.test", "+", directory);
        cache.resolve("bob@example.test", "+", directory);
        assertThat(lookups).hasValue(2);
    }

    @Test
    void anAnswerReadWhileTheDirectoryChangedIsNotKept() {
        Function<String, Recipient> changing = a -> {
            lookups.incrementAndGet();
            generation.incrementAndGet(); // another thread's change lands during the read
            return BOB;
        };
        cache.resolve("bob@example.test", "+", changing);
        cache.resolve("bob@example.test", "+", directory);
        assertThat(lookups).hasValue(2);
    }

    @Test
    void nothingIsCachedWhenTheChangesCannotBeSeen() {
        generation.set(-1); // this process reaches the database over TCP: the triggers run in the other one
        cache.resolve("bob@example.test", "+", directory);
        cache.resolve("bob@example.test", "+", directory);
        assertThat(lookups).hasValue(2);
    }

    @Test
    void anAnswerExpiresAfterItsTimeToLive() {
        cache.resolve("bob@example.test", "+", directory);
        nanos.addAndGet(Duration.ofSeconds(59).toNanos());
        cache.resolve("bob@example.test", "+", directory);
        assertThat(lookups).hasValue(1);
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        cache.resolve("bob@example.test", "+", directory);
        assertThat(lookups).hasValue(2);
    }

    @Test
    void anotherSubaddressSeparatorReadsAgain() {
        cache.resolve("bob-x@example.test", "+", directory);
        cache.resolve("bob-x@example.test", "-", directory);
        assertThat(lookups).hasValue(2);
    }

    @Test
    void aFullCacheStartsAgainAndZeroTurnsItOff() {
        config.set(new AuthConfig.RecipientCache(2, Duration.ofSeconds(60)));
        cache.resolve("a@example.test", "+", directory);
        cache.resolve("b@example.test", "+", directory);
        cache.resolve("c@example.test", "+", directory); // full: emptied, then c kept
        cache.resolve("c@example.test", "+", directory);
        cache.resolve("a@example.test", "+", directory);
        assertThat(lookups).hasValue(4);

        config.set(new AuthConfig.RecipientCache(0, Duration.ofSeconds(60)));
        cache.resolve("a@example.test", "+", directory);
        cache.resolve("a@example.test", "+", directory);
        assertThat(lookups).hasValue(6);
        config.set(new AuthConfig.RecipientCache(100, Duration.ZERO));
        cache.resolve("a@example.test", "+", directory);
        cache.resolve("a@example.test", "+", directory);
        assertThat(lookups).hasValue(8);
    }
}
