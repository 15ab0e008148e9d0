package org.facteur.storage.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An admin command run beside the server must not take the server's locked index for a damaged one: it is
 * refused with a clear message and the index file stays where it is.
 */
class IndexInUseTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void anIndexHeldByAnotherProcessIsRefusedNotMovedAside() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process holder = new ProcessBuilder(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                IndexHolder.class.getName(), dir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(in.readLine()).isEqualTo("OPEN");

            assertThatThrownBy(() -> IndexDatabase.open(dir))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("in use by another process");
            try (Stream<Path> files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains("broken"));
            }
            assertThat(dir.resolve("index.mv.db")).exists();
        } finally {
            holder.destroyForcibly();
            holder.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
