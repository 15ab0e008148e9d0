package org.facteur.storage.contract;

import java.nio.file.Path;

import org.facteur.storage.MailStore;
import org.facteur.storage.QuotaLimits;
import org.facteur.storage.maildir.MaildirStore;
import org.facteur.storage.testing.TestStore;

/** The contract over a real maildir, a real H2 index and a real Lucene index in a temporary folder. */
class MaildirStoreContractTest extends MailStoreContract {

    @Override
    protected MailStore newStore(Path dir, long quotaBytes, long quotaMessages) {
        return TestStore.create(dir, c -> TestStore.withQuota(c, quotaBytes, quotaMessages));
    }

    @Override
    protected void setQuotaLimits(MailStore store, QuotaLimits.Source source) {
        ((MaildirStore) store).setQuotaLimits(source);
    }
}
