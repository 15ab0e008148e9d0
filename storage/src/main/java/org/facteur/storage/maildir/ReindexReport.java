package org.facteur.storage.maildir;

import java.util.List;

/** What {@code facteur reindex} found: per mailbox, the messages the live index lacked, had too many, or had other flags for. */
public record ReindexReport(String account, List<Mailbox> mailboxes) {

    public ReindexReport {
        mailboxes = List.copyOf(mailboxes);
    }

    public boolean consistent() {
        return mailboxes.stream().allMatch(m -> m.missing().isEmpty() && m.extra().isEmpty() && m.flagsDiffer().isEmpty());
    }

    /**
     * @param missing     UIDs on disk the index did not have
     * @param extra       UIDs the index had but no file backs any more
     * @param flagsDiffer UIDs whose flags in the index were not those of the file name
     */
    public record Mailbox(String name, long messages, List<Long> missing, List<Long> extra, List<Long> flagsDiffer) {
        public Mailbox {
            missing = List.copyOf(missing);
            extra = List.copyOf(extra);
            flagsDiffer = List.copyOf(flagsDiffer);
        }
    }
}
