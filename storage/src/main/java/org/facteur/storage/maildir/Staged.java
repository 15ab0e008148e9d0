package org.facteur.storage.maildir;

import java.nio.file.Path;
import java.util.Set;

import org.facteur.storage.mime.IndexFields;

/**
 * A message written and fsynced in a folder's {@code tmp/}, parsed, waiting to be moved into place under the
 * folder's lock.
 */
record Staged(Path tmpFile, String base, long size, long vsize, Set<String> flags, long internalDate,
              byte[] structure, IndexFields fields) {
}
