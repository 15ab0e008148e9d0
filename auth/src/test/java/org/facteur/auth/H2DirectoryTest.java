package org.facteur.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.facteur.auth.testing.TestDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2DirectoryTest {

    @TempDir
    Path temp;
    TestDirectory fixture;
    H2Directory dir;

    @BeforeEach
    void open() {
        fixture = TestDirectory.create(temp);
        dir = fixture.directory();
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Test
    void storesItsOwnDatabaseFileInTheDataFolderWithAPrivatePassword() throws Exception {
        assertThat(Files.exists(temp.resolve("directory.mv.db"))).isTrue();
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(temp.resolve("directory.secret"))))
                .isEqualTo("rw-------");
        assertThat(System.getProperty("h2.bindAddress")).isEqualTo("127.0.0.1");
        String url = "jdbc:h2:file:" + temp.resolve("directory").toAbsolutePath() + ";AUTO_SERVER=TRUE";
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> java.sql.DriverManager.getConnection(url, "facteur", "").close())
                .as("no way in without the secret").isInstanceOf(java.sql.SQLException.class);
    }

    @Test
    void domainsAreCaseInsensitiveAndListed() {
        assertThat(dir.isLocalDomain("Example.TEST")).isTrue();
        assertThat(dir.isLocalDomain("example.test.")).isTrue();
        assertThat(dir.isLocalDomain("other.test")).isFalse();
        assertThat(dir.isLocalDomain("not a domain")).isFalse();
        dir.addDomain("Other.Test");
        assertThat(dir.domains()).containsExactly("example.test", "other.test");
        assertThatThrownBy(() -> dir.addDomain("other.test")).isInstanceOf(DirectoryException.class).hasMessageContaining("exists already");
        dir.removeDomain("other.test");
        assertThat(dir.domains()).containsExactly("example.test");
    }

    @Test
    void aDomainInUseCannotBeRemoved() {
        assertThatThrownBy(() -> dir.removeDomain("example.test")).isInstanceOf(DirectoryException.class)
                .hasMessageContaining("remove them first");
        assertThatThrownBy(() -> dir.removeDomain("nowhere.test")).hasMessageContaining("not local");
    }

    @Test
    void accountsAreFoundByAnyAddressIgnoringCase() {
        Account alice = dir.account("ALICE@Example.Test").orElseThrow();
        assertThat(alice.name()).isEqualTo(TestDirectory.ALICE);
        assertThat(alice.admin()).isTrue();
        assertThat(alice.addresses()).containsExactlyInAnyOrder(TestDirectory.ALICE, TestDirectory.ALICE_ALIAS_ADDRESS);
        assertThat(dir.account(TestDirectory.ALICE_ALIAS_ADDRESS).orElseThrow().name()).isEqualTo(TestDirectory.ALICE);
        assertThat(dir.account("nobody@example.test")).isEmpty();
        assertThat(dir.account("garbage")).isEmpty();
        assertThat(dir.account(TestDirectory.POSTMASTER)).as("an alias is not a login").isEmpty();
        assertThat(dir.accounts()).extracting(Account::name).containsExactly(TestDirectory.ALICE, TestDirectory.BOB);
    }

    @Test
    void anAccountKeepsItsOwnQuotaUntilResetToTheDefault() {
        assertThat(dir.quota(TestDirectory.BOB)).isEqualTo(AccountQuota.DEFAULT);
        dir.setQuota(TestDirectory.BOB, new AccountQuota(OptionalLong.of(10L << 20), OptionalLong.of(-1)));
        assertThat(dir.quota("BOB@Example.Test"))
                .isEqualTo(new AccountQuota(OptionalLong.of(10L << 20), OptionalLong.of(-1)));
        assertThat(dir.quota(TestDirectory.ALICE)).isEqualTo(AccountQuota.DEFAULT);
        dir.setQuota(TestDirectory.BOB, AccountQuota.DEFAULT);
        assertThat(dir.quota(TestDirectory.BOB)).isEqualTo(AccountQuota.DEFAULT);
        assertThat(dir.quota("nobody@example.test")).isEqualTo(AccountQuota.DEFAULT);
        assertThatThrownBy(() -> dir.setQuota("nobody@example.test", AccountQuota.DEFAULT)).hasMessageContaining("no account");
        assertThatThrownBy(() -> new AccountQuota(OptionalLong.of(-5), OptionalLong.empty()))
                .isInstanceOf(DirectoryException.class);
    }

    @Test
    void accountsNeedALocalDomainAndAFreeAddress() {
        assertThatThrownBy(() -> dir.addAccount("carol@elsewhere.test", "pw-carol", false))
                .hasMessageContaining("domain elsewhere.test is not local");
        assertThatThrownBy(() -> dir.addAccount("Bob@example.test", "pw", false)).hasMessageContaining("already an account");
        assertThatThrownBy(() -> dir.addAccount(TestDirectory.ALICE_ALIAS_ADDRESS, "pw", false))
                .hasMessageContaining("already an address of " + TestDirectory.ALICE);
        assertThatThrownBy(() -> dir.addAccount(TestDirectory.POSTMASTER, "pw", false)).hasMessageContaining("already an alias");
        assertThatThrownBy(() -> dir.addAccount("carol@example.test", "", false)).hasMessageContaining("empty");
        assertThatThrownBy(() -> dir.addAccount("carol@example.test", "a\0b", false)).hasMessageContaining("NUL");
        assertThatThrownBy(() -> dir.addAccount("carol", "pw", false)).hasMessageContaining("not an address");
    }

    @Test
    void passwordsAreStoredAsArgon2idAndScramKeysNeverInClear() {
        Credentials c = dir.credentials(TestDirectory.BOB).orElseThrow();
        assertThat(c.passwordHash()).startsWith("$argon2id$v=19$m=1024,t=1,p=1$").doesNotContain(TestDirectory.BOB_PASSWORD);
        assertThat(c.scram()).startsWith("4096,");
        assertThat(c.cramMd5()).as("CRAM-MD5 is on in the test config").hasSize(64);
        assertThat(c.toString()).doesNotContain(c.passwordHash());
    }

    @Test
    void cramSecretIsStoredOnlyWhileCramIsEnabled() {
        AuthConfig d = fixture.config();
        fixture.reconfigure(new AuthConfig(List.of(AuthConfig.Mechanism.PLAIN), d.subaddressSeparator(), d.hashing(),
                d.throttling(), d.external(), d.senderPermissions(), d.passwordCache(), d.recipientCache()));
        dir.setPassword(TestDirectory.BOB, "new-password");
        Credentials c = dir.credentials(TestDirectory.BOB).orElseThrow();
        assertThat(c.cramMd5()).isNull();
    }

    @Test
    void adminFlagPasswordAndRemoval() {
        dir.setAdmin(TestDirectory.BOB, true);
        assertThat(dir.account(TestDirectory.BOB).orElseThrow().admin()).isTrue();
        String before = dir.credentials(TestDirectory.BOB).orElseThrow().passwordHash();
        dir.setPassword("BOB@example.test", "another one");
        assertThat(dir.credentials(TestDirectory.BOB).orElseThrow().passwordHash()).isNotEqualTo(before);
        assertThatThrownBy(() -> dir.setPassword(TestDirectory.ALICE_ALIAS_ADDRESS, "x"))
                .hasMessageContaining("name the account by " + TestDirectory.ALICE);
        dir.removeAccount(TestDirectory.BOB);
        assertThat(dir.account(TestDirectory.BOB)).isEmpty();
        assertThatThrownBy(() -> dir.removeAccount(TestDirectory.BOB)).hasMessageContaining("no account");
    }

    @Test
    void secondaryAddresses() {
        dir.addAddress(TestDirectory.BOB, "Robert@Example.test");
        assertThat(dir.account("robert@example.test").orElseThrow().name()).isEqualTo(TestDirectory.BOB);
        assertThatThrownBy(() -> dir.addAddress(TestDirectory.ALICE, "robert@example.test")).hasMessageContaining("already an address");
        assertThatThrownBy(() -> dir.removeAddress(TestDirectory.BOB)).hasMessageContaining("remove the account instead");
        dir.removeAddress("robert@example.test");
        assertThat(dir.account("robert@example.test")).isEmpty();
    }

    @Test
    void resolvesAccountsAliasesSubaddressesAndUnknowns() {
        assertThat(dir.resolve("Bob@Example.Test")).isEqualTo(new Recipient.Local(List.of(TestDirectory.BOB), null));
        assertThat(dir.resolve("bob+lists@example.test")).isEqualTo(new Recipient.Local(List.of(TestDirectory.BOB), "lists"));
        assertThat(dir.resolve(TestDirectory.ALICE_ALIAS_ADDRESS)).isEqualTo(new Recipient.Local(List.of(TestDirectory.ALICE), null));
        assertThat(dir.resolve("postmaster@EXAMPLE.test")).isEqualTo(new Recipient.Local(List.of(TestDirectory.ALICE), null));
        assertThat(dir.resolve(TestDirectory.TEAM)).isEqualTo(new Recipient.Local(List.of(TestDirectory.ALICE, TestDirectory.BOB), null));
        assertThat(dir.resolve(TestDirectory.FORWARD)).isEqualTo(new Recipient.Forward(List.of(TestDirectory.REMOTE_TARGET), List.of()));
        assertThat(dir.resolve("nobody@example.test")).isEqualTo(new Recipient.Unknown());
        assertThat(dir.resolve("someone@elsewhere.test")).isEqualTo(new Recipient.NotLocal());
        assertThat(dir.resolve("no-at-sign")).isEqualTo(new Recipient.Unknown());
    }

    @Test
    void aRememberedRecipientFollowsAChangeMadeBehindTheDirectorysBack() throws Exception {
        assertThat(dir.cachesRecipients()).as("this process runs the engine, so the triggers are live here").isTrue();
        assertThat(dir.resolve("bob@example.test")).isEqualTo(new Recipient.Local(List.of(TestDirectory.BOB), null));
        assertThat(dir.resolve("nobody@example.test")).isEqualTo(new Recipient.Unknown());
        // Plain SQL on a connection of its own, as another process's statements reach the engine: only the
        // database's triggers can tell the cache.
        String url = "jdbc:h2:file:" + temp.resolve("directory").toAbsolutePath() + ";AUTO_SERVER=TRUE";
        String secret = Files.readString(temp.resolve("directory.secret")).trim();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, "facteur", secret);
             java.sql.Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE addresses SET address = 'nobody@example.test' WHERE address = 'bob@example.test'");
        }
        assertThat(dir.resolve("bob@example.test")).isEqualTo(new Recipient.Unknown());
        assertThat(dir.resolve("nobody@example.test")).isEqualTo(new Recipient.Local(List.of(TestDirectory.BOB), null));
    }

    @Test
    void recipientsAreCachedAgainAfterTheDatabaseIsReopened() {
        fixture.close();
        // a restart: the triggers are in the file now, nothing is written before the first lookup
        try (H2Directory reopened = H2Directory.openInDataDirectory(temp, TestDirectory::testConfig)) {
            assertThat(reopened.cachesRecipients()).isTrue();
            assertThat(reopened.resolve("bob@example.test")).isEqualTo(new Recipient.Local(List.of(TestDirectory.BOB), null));
        }
        fixture = TestDirectory.create(temp.resolve("again"));
    }

    @Test
    void aliasesToLocalTargetsMustExistAndCanBeRemoved() {
        assertThatThrownBy(() -> dir.addAlias("x@example.test", "nobody@example.test")).hasMessageContaining("no account's address");
        assertThatThrownBy(() -> dir.addAlias("x@elsewhere.test", TestDirectory.BOB)).hasMessageContaining("not local");
        assertThatThrownBy(() -> dir.addAlias(TestDirectory.BOB, TestDirectory.ALICE)).hasMessageContaining("an account's address");
        assertThatThrownBy(() -> dir.addAlias(TestDirectory.TEAM, TestDirectory.BOB)).hasMessageContaining("already delivers");
        dir.removeAlias(TestDirectory.TEAM, TestDirectory.ALICE);
        assertThat(dir.resolve(TestDirectory.TEAM)).isEqualTo(new Recipient.Local(List.of(TestDirectory.BOB), null));
        dir.removeAlias(TestDirectory.TEAM, null);
        assertThat(dir.resolve(TestDirectory.TEAM)).isEqualTo(new Recipient.Unknown());
        assertThatThrownBy(() -> dir.removeAlias(TestDirectory.TEAM, null)).hasMessageContaining("no alias");
        assertThat(dir.aliases()).extracting(Alias::address)
                .containsExactly(TestDirectory.FORWARD, TestDirectory.POSTMASTER);
    }

    @Test
    void catchAllIsOffByDefault() {
        assertThat(dir.catchAll(TestDirectory.DOMAIN)).isEmpty();
        assertThat(dir.resolve("random@example.test")).isEqualTo(new Recipient.Unknown());
        dir.setCatchAll(TestDirectory.DOMAIN, TestDirectory.BOB);
        assertThat(dir.resolve("random@example.test")).isEqualTo(new Recipient.Local(List.of(TestDirectory.BOB), null));
        assertThat(dir.resolve(TestDirectory.ALICE)).isEqualTo(new Recipient.Local(List.of(TestDirectory.ALICE), null));
        dir.setCatchAll(TestDirectory.DOMAIN, null);
        assertThat(dir.resolve("random@example.test")).isEqualTo(new Recipient.Unknown());
    }

    @Test
    void subaddressSeparatorIsConfigurable() {
        AuthConfig d = fixture.config();
        fixture.reconfigure(new AuthConfig(d.mechanisms(), "-", d.hashing(), d.throttling(), d.external(), d.senderPermissions(), d.passwordCache(), d.recipientCache()));
        assertThat(dir.resolve("bob-x@example.test")).isEqualTo(new Recipient.Local(List.of(TestDirectory.BOB), "x"));
        assertThat(dir.resolve("bob+x@example.test")).isEqualTo(new Recipient.Unknown());
    }

    @Test
    void maySendAsOwnAddressesAliasesAndPermissions() {
        assertThat(dir.maySendAs(TestDirectory.BOB, "BOB@example.test")).isTrue();
        assertThat(dir.maySendAs(TestDirectory.BOB, "bob+tag@example.test")).isTrue();
        assertThat(dir.maySendAs(TestDirectory.BOB, TestDirectory.TEAM)).isTrue();
        assertThat(dir.maySendAs(TestDirectory.BOB, TestDirectory.ALICE)).isFalse();
        assertThat(dir.maySendAs(TestDirectory.BOB, TestDirectory.POSTMASTER)).isFalse();
        assertThat(dir.maySendAs(TestDirectory.ALICE, TestDirectory.POSTMASTER)).isTrue();
        assertThat(dir.maySendAs(TestDirectory.ALICE, TestDirectory.ALICE_ALIAS_ADDRESS)).isTrue();
        assertThat(dir.maySendAs(TestDirectory.BOB, "")).as("null reverse-path").isTrue();
        assertThat(dir.maySendAs("nobody@example.test", "nobody@example.test")).isFalse();
        AuthConfig d = fixture.config();
        fixture.reconfigure(new AuthConfig(d.mechanisms(), d.subaddressSeparator(), d.hashing(), d.throttling(), d.external(),
                List.of(new AuthConfig.SenderPermission(TestDirectory.BOB, "@lists.example.org"),
                        new AuthConfig.SenderPermission(TestDirectory.ALICE, "*")), d.passwordCache(), d.recipientCache()));
        assertThat(dir.maySendAs(TestDirectory.BOB, "news@Lists.Example.org")).isTrue();
        assertThat(dir.maySendAs(TestDirectory.BOB, "news@example.org")).isFalse();
        assertThat(dir.maySendAs(TestDirectory.ALICE, "anyone@anywhere.test")).isTrue();
    }

    @Test
    void aSecondOpenerSharesTheFileThroughAutoServer() {
        // As the CLI does while the server runs: a second pool on the same file sees and makes changes.
        try (H2Directory second = H2Directory.openInDataDirectory(temp, fixture::config)) {
            second.addDomain("cli.test");
            assertThat(second.account(TestDirectory.ALICE)).isPresent();
        }
        assertThat(dir.isLocalDomain("cli.test")).isTrue();
    }

    @Test
    void dataSurvivesReopening() {
        fixture.close();
        try (H2Directory again = H2Directory.openInDataDirectory(temp, TestDirectory::testConfig)) {
            assertThat(again.account(TestDirectory.BOB)).isPresent();
        }
        fixture = TestDirectory.create(temp.resolve("other"));
    }
}
