package org.facteur.app.cli;

import java.nio.file.Path;
import org.facteur.app.ConfigLocation;
import picocli.CommandLine.Option;

/** {@code --config FILE} and {@code --data DIR}, shared by every command that finds the server's files. */
public final class LocationOptions {

    @Option(names = {"-c", "--config"}, paramLabel = "FILE",
            description = "Configuration file (default: DIR/facteur.yaml, DIR being --data or ./facteur-data).")
    Path config;

    @Option(names = {"-d", "--data"}, paramLabel = "DIR",
            description = "Data folder; wins over server.data-dir in the file (default: ./facteur-data).")
    Path data;

    public ConfigLocation location() {
        return ConfigLocation.of(config, data);
    }
}
