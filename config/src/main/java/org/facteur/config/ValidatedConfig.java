package org.facteur.config;

import java.util.List;

/**
 * A configuration record with rules that involve more than one key (AUTH offered without TLS, a relay open to
 * the world, a port used twice). The binder calls {@link #problems()} once the record is built and reports each
 * problem at the line of the key it names, alongside every other error in the file.
 *
 * <p>Write each problem as {@code "key.path: what is wrong; fix: what to do"}. The key path is relative to this
 * record, in the file's spelling or the component's name ({@code submission.tls} or {@code maxSize}); it may be
 * left out, and then the first component named in the text, or the record itself, is used for the location.
 * A compact constructor may also throw {@link IllegalArgumentException} with a message in the same form.
 */
public interface ValidatedConfig {

    /** Problems with this record as a whole; empty when it is fine. */
    List<String> problems();
}
