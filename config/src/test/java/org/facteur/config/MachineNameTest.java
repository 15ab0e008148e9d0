package org.facteur.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class MachineNameTest {

    @Test
    void isTheKernelsHostNameInLowerCaseWhenLinuxTellsIt() throws Exception {
        Path kernel = Path.of("/proc/sys/kernel/hostname");
        assumeTrue(Files.isReadable(kernel), "not Linux");
        assertEquals(Files.readString(kernel).trim().toLowerCase(Locale.ROOT), MachineName.get());
    }

    @Test
    void isNeverEmptyAndSameAtEveryCall() {
        assertFalse(MachineName.get().isEmpty());
        assertEquals(MachineName.get(), MachineName.get());
    }

    @Test
    void aConfiguredNameWinsUnlessItIsBlank() {
        assertEquals("mx.example.org", MachineName.unless("mx.example.org"));
        assertEquals(MachineName.get(), MachineName.unless(""));
        assertEquals(MachineName.get(), MachineName.unless("  "));
        assertEquals(MachineName.get(), MachineName.unless(null));
    }
}
