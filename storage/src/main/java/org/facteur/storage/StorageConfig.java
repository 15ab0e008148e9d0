package org.facteur.storage;

import java.nio.file.Path;
import java.time.Duration;

import org.facteur.config.Default;
import org.facteur.config.Doc;

/** Where and how mail is stored: the maildir tree, the index beside it, limits and quotas. */
@Doc("Mail storage: maildir files (the truth), an H2 index and a Lucene index (caches, rebuilt when missing).")
public record StorageConfig(
        @Doc("Root of the maildirs: one Maildir++ tree per account under ROOT/<domain>/<local>/ (or ROOT/<name>/).")
        @Default("data/mail") Path root,
        @Doc("Directory of the H2 index and the Lucene indexes. Deleting it loses nothing: it is rebuilt at start.")
        @Default("data/index") Path indexDir,
        @Doc("fsync each delivered file and its directory before acknowledging it. Turning this off risks losing "
                + "acknowledged mail on a power cut.")
        @Default("true") boolean fsync,
        @Doc("Default quota per account in bytes of stored messages; -1 means no limit.")
        @Default("-1") long quotaBytes,
        @Doc("Default quota per account in number of messages; -1 means no limit.")
        @Default("-1") long quotaMessages,
        @Doc("Deepest folder hierarchy accepted (segments separated by '/').")
        @Default("16") int maxFolderDepth,
        @Doc("Longest folder name accepted, in UTF-8 bytes, whole path included.")
        @Default("255") int maxFolderNameLength,
        @Doc("Most folders per account.")
        @Default("1000") int maxFolders,
        @Doc("Deepest MIME nesting parsed for BODYSTRUCTURE; deeper parts are shown as opaque application/octet-stream.")
        @Default("32") int maxMimeDepth,
        @Doc("Files in tmp/ older than this are left-overs of an interrupted delivery and are removed at start "
                + "(the maildir specification says 36 hours).")
        @Default("36h") Duration staleTmpAge,
        @Doc("How often open mailboxes look for files other programs dropped into new/ or cur/ (0 = only on open).")
        @Default("5s") Duration rescanInterval,
        @Doc("Keep a full-text (Lucene) index of each account for TEXT and BODY searches.")
        @Default("true") boolean fullTextIndex,
        @Doc("Text extracted per message into the full-text index, at most (bytes of decoded text).")
        @Default("1048576") int maxIndexedTextBytes) {

    public StorageConfig {
        if (maxFolderDepth < 1 || maxFolderNameLength < 1 || maxMimeDepth < 1) {
            throw new IllegalArgumentException("storage limits must be positive");
        }
    }

    /** The defaults with the two directories placed under {@code base} (tests, first start). */
    public static StorageConfig under(Path base) {
        StorageConfig d = org.facteur.config.ConfigDefaults.of(StorageConfig.class);
        return new StorageConfig(base.resolve("mail"), base.resolve("index"), d.fsync(), d.quotaBytes(),
                d.quotaMessages(), d.maxFolderDepth(), d.maxFolderNameLength(), d.maxFolders(), d.maxMimeDepth(),
                d.staleTmpAge(), d.rescanInterval(), d.fullTextIndex(), d.maxIndexedTextBytes());
    }
}
