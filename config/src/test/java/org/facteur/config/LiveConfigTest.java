package org.facteur.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LiveConfigTest {

    @TempDir
    Path dir;

    @Test
    void reloadAppliesAValidFileAndRefusesABadOne() throws Exception {
        Path file = dir.resolve("facteur.yaml");
        Files.writeString(file, "server: {hostname: one.example}\n");
        try (LiveConfig<SampleConfig> live = LiveConfig.ofFile(file, SampleConfig.class)) {
            Supplier<String> hostname = live.section(c -> c.server().hostname());
            List<String> changes = new CopyOnWriteArrayList<>();
            live.onChange((old, now) -> changes.add(old.server().hostname() + "->" + now.server().hostname()));
            assertThat(hostname.get()).isEqualTo("one.example");

            assertThat(live.reload()).isInstanceOf(LiveConfig.Outcome.Unchanged.class);

            Files.writeString(file, "server: {hostname: two.example}\n");
            assertThat(live.reload()).isInstanceOf(LiveConfig.Outcome.Applied.class);
            assertThat(hostname.get()).isEqualTo("two.example");

            Files.writeString(file, "server: {hostname: three.example, idle: never}\n");
            LiveConfig.Outcome refused = live.reload();
            assertThat(refused).isInstanceOf(LiveConfig.Outcome.Refused.class);
            assertThat(((LiveConfig.Outcome.Refused) refused).problems()).singleElement()
                    .extracting(ConfigProblem::keyPath).isEqualTo("server.idle");
            assertThat(hostname.get()).isEqualTo("two.example"); // the old one stays in force
            assertThat(changes).containsExactly("one.example->two.example");
        }
    }

    @Test
    void aChangedFileIsReloadedByTheWatcher() throws Exception {
        Path file = dir.resolve("facteur.yaml");
        Files.writeString(file, "server: {hostname: one.example}\n");
        try (LiveConfig<SampleConfig> live = LiveConfig.ofFile(file, SampleConfig.class).watch(file)) {
            // Saved the way editors do: a new file renamed over the old one.
            Path temp = dir.resolve(".facteur.yaml.swp");
            Files.writeString(temp, "server: {hostname: two.example}\n");
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            long deadline = System.nanoTime() + 20_000_000_000L; // the JDK's polling watcher may take ~10s
            while (!live.get().server().hostname().equals("two.example") && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(live.get().server().hostname()).isEqualTo("two.example");
        }
    }
}
