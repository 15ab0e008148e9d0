package org.facteur.auth.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import org.facteur.auth.DirectoryException;
import org.facteur.auth.H2Directory;
import org.facteur.auth.testing.TestDirectory;
import org.facteur.auth.totp.Totp;
import org.facteur.auth.totp.TotpStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2SettingsStoreTest {

    @TempDir
    Path temp;

    @Test
    void settingsSurviveARestartOfTheDirectory() {
        UserSettings mine = new UserSettings("Alice Liddell", "Alice\nWonderland Ltd", "fr", Optional.of(3.5),
                UserSettings.SpamPlacement.INBOX);
        try (TestDirectory auth = TestDirectory.create(temp)) {
            assertThat(auth.directory().settings().settings(TestDirectory.ALICE)).isEqualTo(UserSettings.DEFAULT);
            auth.directory().settings().save(TestDirectory.ALICE, mine);
            auth.directory().settings().saveVacation(TestDirectory.ALICE,
                    new Vacation(true, "Away", "Back on Monday.", LocalDate.of(2026, 1, 1), null));
        }
        try (H2Directory again = H2Directory.openInDataDirectory(temp, TestDirectory::testConfig)) {
            assertThat(again.settings().settings("ALICE@example.test")).isEqualTo(mine);
            assertThat(again.settings().settings(TestDirectory.BOB)).isEqualTo(UserSettings.DEFAULT);
            Vacation v = again.settings().vacation(TestDirectory.ALICE);
            assertThat(v.subject()).isEqualTo("Away");
            assertThat(v.activeOn(LocalDate.of(2025, 12, 31))).isFalse();
            assertThat(v.activeOn(LocalDate.of(2026, 1, 1))).isTrue();
            assertThat(again.settings().vacation(TestDirectory.BOB)).isEqualTo(Vacation.OFF);
        }
    }

    @Test
    void identitiesAreTheOwnAddressesThenTheAliasesReachingThem() {
        try (TestDirectory auth = TestDirectory.create(temp)) {
            assertThat(auth.directory().identities("ALICE@example.test")).containsExactly(TestDirectory.ALICE_ALIAS_ADDRESS,
                    TestDirectory.ALICE, TestDirectory.POSTMASTER, TestDirectory.TEAM);
            assertThat(auth.directory().identities(TestDirectory.BOB)).containsExactly(TestDirectory.BOB, TestDirectory.TEAM);
            assertThat(auth.directory().identities("nobody@example.test")).isEmpty();
            assertThat(auth.directory().identities(TestDirectory.BOB)).allMatch(a -> auth.directory().maySendAs(TestDirectory.BOB, a));
        }
    }

    @Test
    void refusesWhatDoesNotFit() {
        assertThatThrownBy(() -> new UserSettings("two\nlines", "", "", Optional.empty(), null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UserSettings("", "x".repeat(UserSettings.MAX_SIGNATURE + 1), "", Optional.empty(), null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new UserSettings("", "", "", Optional.of(-1.0), null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Vacation(true, "", "", LocalDate.of(2026, 2, 2), LocalDate.of(2026, 2, 1)))
                .isInstanceOf(IllegalArgumentException.class);
        try (TestDirectory auth = TestDirectory.create(temp)) {
            assertThatThrownBy(() -> auth.directory().settings().save("nobody@example.test", UserSettings.DEFAULT))
                    .isInstanceOf(DirectoryException.class);
        }
    }

    @Test
    void oneVacationReplyPerSenderPerPeriodAndANewTextStartsAfresh() {
        try (TestDirectory auth = TestDirectory.create(temp)) {
            SettingsStore s = auth.directory().settings();
            Instant t0 = Instant.parse("2026-03-01T10:00:00Z");
            Duration week = Duration.ofDays(7);
            assertThat(s.claimVacationReply(TestDirectory.ALICE, "Carol@Remote.test", t0, week)).isTrue();
            assertThat(s.claimVacationReply(TestDirectory.ALICE, "carol@remote.test", t0.plus(Duration.ofDays(6)), week)).isFalse();
            assertThat(s.claimVacationReply(TestDirectory.ALICE, "dave@remote.test", t0, week)).isTrue();
            assertThat(s.claimVacationReply(TestDirectory.BOB, "carol@remote.test", t0, week)).isTrue();
            assertThat(s.claimVacationReply(TestDirectory.ALICE, "carol@remote.test", t0.plus(Duration.ofDays(8)), week)).isTrue();
            s.saveVacation(TestDirectory.ALICE, new Vacation(true, "", "New text", null, null));
            assertThat(s.claimVacationReply(TestDirectory.ALICE, "carol@remote.test", t0.plus(Duration.ofDays(9)), week)).isTrue();
        }
    }

    @Test
    void totpIsOnOnlyOnceConfirmedAndEachStepWorksOnce() {
        try (TestDirectory auth = TestDirectory.create(temp)) {
            H2Directory d = auth.directory();
            TotpStore totp = d.settings();
            totp.enrol(TestDirectory.ALICE, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
            assertThat(d.totpSecret(TestDirectory.ALICE)).isEmpty();
            assertThat(auth.authenticator().hasSecondFactor(TestDirectory.ALICE)).isFalse();
            assertThat(totp.confirm(TestDirectory.ALICE, 100)).isTrue();
            assertThat(auth.authenticator().hasSecondFactor(TestDirectory.ALICE)).isTrue();
            assertThatThrownBy(() -> totp.enrol(TestDirectory.ALICE, "AAAA")).isInstanceOf(DirectoryException.class);
            assertThat(d.useTotpStep(TestDirectory.ALICE, 100)).isFalse();
            assertThat(d.useTotpStep(TestDirectory.ALICE, 101)).isTrue();
            assertThat(d.useTotpStep(TestDirectory.ALICE, 101)).isFalse();
            assertThat(d.useTotpStep(TestDirectory.ALICE, 99)).isFalse();
            totp.disable(TestDirectory.ALICE);
            assertThat(auth.authenticator().hasSecondFactor(TestDirectory.ALICE)).isFalse();
            assertThat(Totp.SECRET_BYTES).isEqualTo(20);
        }
    }

    @Test
    void imageSendersAreKeptPerAccountAcrossARestartAndRemovable() {
        try (TestDirectory auth = TestDirectory.create(temp)) {
            SettingsStore store = auth.directory().settings();
            store.allowImagesFrom(TestDirectory.ALICE, "News@Example.ORG");
            store.allowImagesFrom(TestDirectory.ALICE, "news@example.org");
            store.allowImagesFrom(TestDirectory.ALICE, "art@example.net");
            assertThatThrownBy(() -> store.allowImagesFrom(TestDirectory.ALICE, "not an address"))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(store.imageSenders(TestDirectory.BOB)).isEmpty();
        }
        try (H2Directory again = H2Directory.openInDataDirectory(temp, TestDirectory::testConfig)) {
            SettingsStore store = again.settings();
            assertThat(store.imageSenders("ALICE@example.test")).containsExactly("art@example.net", "news@example.org");
            store.forgetImageSender(TestDirectory.ALICE, "NEWS@example.org");
            assertThat(store.imageSenders(TestDirectory.ALICE)).containsExactly("art@example.net");
        }
    }
}
