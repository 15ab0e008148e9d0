package org.facteur.config;

import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Node;

/**
 * Reads a YAML configuration file into an immutable record tree, and writes one back with comments.
 *
 * <p>Keys are the record components' names in lower case with dashes ({@code max-connections-per-ip}); the
 * camelCase name is accepted too. Values are read by {@link ValueConverter}, so a value in the file and a
 * {@link Default} are read the same way. YAML's own typing is not used: {@code yes} in a string key is the text
 * "yes", and {@code 010} in a number key is ten.
 */
public final class YamlConfig {

    /** Configuration files are small; a bigger one is a mistake (or an attack on the parser). */
    static final int MAX_FILE_CODE_POINTS = 1 << 20;

    private YamlConfig() {
    }

    /**
     * Reads and validates {@code file}; a missing file is a problem like any other. Relative paths written in the
     * file are taken relative to the file's folder.
     */
    public static <R extends Record> R load(Path file, Class<R> type) throws ConfigException {
        String text;
        try {
            byte[] bytes = Files.readAllBytes(file);
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (NoSuchFileException e) {
            throw new ConfigException(List.of(new ConfigProblem(file.toString(), 0, 0, "", "file not found",
                    "check the path, or run 'facteur start' once without a configuration to generate one")));
        } catch (CharacterCodingException e) {
            throw new ConfigException(List.of(new ConfigProblem(file.toString(), 0, 0, "",
                    "is not valid UTF-8", "save the file as UTF-8")));
        } catch (IOException e) {
            throw new ConfigException(List.of(new ConfigProblem(file.toString(), 0, 0, "",
                    "cannot be read: " + e.getMessage(), "check the file's permissions")));
        }
        Path folder = file.toAbsolutePath().getParent();
        return type.cast(parse(text, file.toString(), type, null, folder));
    }

    /** Reads configuration text; {@code fileName} labels the errors. */
    public static <R extends Record> R parse(String text, String fileName, Class<R> type) throws ConfigException {
        return type.cast(parse(text, fileName, type, null, null));
    }

    /** Binds text as any configuration type, over {@code base} (what missing keys are), or over the defaults. */
    static Object parse(String text, String fileName, Type type, Object base, Path baseDir) throws ConfigException {
        Node root;
        try {
            LoadSettings settings = LoadSettings.builder()
                    .setLabel(fileName)
                    .setAllowDuplicateKeys(true) // the binder reports duplicates itself, with both lines
                    .setCodePointLimit(MAX_FILE_CODE_POINTS)
                    .setMaxAliasesForCollections(50)
                    .build();
            Optional<Node> composed = new Compose(settings).composeString(text);
            root = composed.orElse(null);
        } catch (MarkedYamlEngineException e) {
            Mark at = e.getProblemMark().orElse(null);
            throw new ConfigException(List.of(new ConfigProblem(fileName,
                    at == null ? 0 : at.getLine() + 1, at == null ? 0 : at.getColumn() + 1, "",
                    "is not valid YAML: " + e.getProblem()
                            + (e.getContext() == null ? "" : " (" + e.getContext() + ")"),
                    "check the indentation (spaces only) and that every 'key: value' has a space after the colon")));
        } catch (YamlEngineException e) {
            throw new ConfigException(List.of(new ConfigProblem(fileName, 0, 0, "",
                    "is not valid YAML: " + e.getMessage(), null)));
        }
        RecordBinder binder = new RecordBinder(fileName, baseDir);
        Object value = binder.bind(root, type, "", base);
        if (!binder.problems().isEmpty()) {
            throw new ConfigException(binder.problems());
        }
        return value;
    }

    /** The commented YAML text of {@code config}: every key, its {@link Doc} as a comment, its value. */
    public static String write(Record config, String header) {
        return ConfigWriter.write(config, header);
    }
}
