package org.facteur.config;

/**
 * One thing wrong with a configuration file, located precisely enough to fix it without searching:
 * {@code facteur.yaml:12:5: smtp.max-message-size: '10XB' is not a size; fix: write a number with an optional
 * unit, like 512, 64KB, 10MB or 2GB}.
 *
 * @param file    the file name as given (or a label such as {@code <defaults>})
 * @param line    1-based line, 0 when unknown
 * @param column  1-based column, 0 when unknown
 * @param keyPath dotted path of the key, with list indexes ({@code listeners.imap.port}, {@code domains[2]});
 *                empty for the whole file
 * @param message what is wrong
 * @param fix     what to do about it, or null when the message already says it
 */
public record ConfigProblem(String file, int line, int column, String keyPath, String message, String fix) {

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(file);
        if (line > 0) {
            s.append(':').append(line).append(':').append(column);
        }
        s.append(": ");
        if (!keyPath.isEmpty()) {
            s.append(keyPath).append(": ");
        }
        s.append(message);
        if (fix != null && !fix.isEmpty()) {
            s.append("; fix: ").append(fix);
        }
        return s.toString();
    }
}
