package org.facteur.app;

import java.nio.file.Files;
import java.nio.file.Path;
import org.facteur.config.ConfigException;
import org.facteur.config.MachineName;
import org.facteur.config.YamlConfig;

/**
 * Where the configuration file is and how to read it with the command line's overrides: {@code --config FILE}
 * names the file; {@code --data DIR} names the data folder (its {@code facteur.yaml} is the file when no
 * {@code --config} is given, and it wins over {@code server.data-dir}); with neither, {@code ./facteur-data}.
 */
public record ConfigLocation(Path file, Path dataOverride) {

    public static final Path DEFAULT_DATA = Path.of("facteur-data");

    public ConfigLocation {
        file = file.toAbsolutePath().normalize();
        dataOverride = dataOverride == null ? null : dataOverride.toAbsolutePath().normalize();
    }

    public static ConfigLocation of(Path config, Path data) {
        if (config != null) {
            return new ConfigLocation(config, data);
        }
        Path dir = data != null ? data : DEFAULT_DATA;
        return new ConfigLocation(dir.resolve(DataLayout.CONFIG_FILE), data);
    }

    public boolean exists() {
        return Files.exists(file);
    }

    /** Reads the file, then applies the overrides and fills in what is left to the machine (the host name). */
    public FacteurConfig load() throws ConfigException {
        return complete(YamlConfig.load(file, FacteurConfig.class));
    }

    /** The data folder a configuration read from this file uses. */
    public Path dataDir(FacteurConfig config) {
        if (dataOverride != null) {
            return dataOverride;
        }
        return file.getParent().resolve(config.server().dataDir()).toAbsolutePath().normalize();
    }

    public DataLayout layout(FacteurConfig config) {
        return new DataLayout(dataDir(config));
    }

    /**
     * The configuration as the server uses it: the data folder from the command line or the file, relative paths
     * of every section inside the data folder, and the host name (the machine's when left empty) in each section
     * that leaves its own {@code hostname} empty.
     */
    FacteurConfig complete(FacteurConfig config) {
        ServerConfig s = config.server();
        String hostname = MachineName.unless(s.hostname());
        Path data = dataDir(config);
        FacteurConfig resolved = ConfigTrees.map(config, (path, component, value) -> {
            if (value instanceof Path p && !p.isAbsolute()) {
                return data.resolve(p).normalize();
            }
            if (component.getName().equals("hostname") && "".equals(value)) {
                return hostname;
            }
            return value;
        });
        return resolved.withServer(new ServerConfig(hostname, data, s.domains(), s.runAs()));
    }
}
