package org.facteur.storage.maildir;

import java.nio.file.Path;
import java.util.Set;

import org.facteur.storage.mime.IndexFields;
import org.facteur.storage.mime.TextExtractor;

/**
 * A message written and fsynced in a folder's {@code tmp/}, parsed, waiting to be moved into place under the
 * folder's lock. {@code text} is its searchable text, extracted from the same parse, or null (full-text index
 * off, a copy, or extraction failed): the full-text index then reads the file.
 */
record Staged(Path tmpFile, String base, long size, long vsize, Set<String> flags, long internalDate,
              byte[] structure, IndexFields fields, TextExtractor.Extracted text) {
}
