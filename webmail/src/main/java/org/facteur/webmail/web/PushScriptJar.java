package org.facteur.webmail.web;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.util.Map;
import java.util.Optional;

/**
 * Makes the push client script ({@code VAADIN/static/push/vaadinPush-min.js}, in the {@code flow-push} jar)
 * servable. Vaadin's static file server turns the resource's {@code jar:} URL into a {@link java.nio.file.Path},
 * which needs the jar's zip file system to be open: Jetty 12 does not open it, so without this the script
 * answers 500 and push never starts. Opened once at server start, closed at stop.
 */
public final class PushScriptJar {

    static final String SCRIPT = "META-INF/resources/VAADIN/static/push/vaadinPush-min.js";

    private PushScriptJar() {
    }

    /** The jar's file system, opened here; empty when the script is a plain file or already reachable. */
    public static Optional<FileSystem> open() throws IOException {
        URL script = PushScriptJar.class.getClassLoader().getResource(SCRIPT);
        if (script == null || !"jar".equals(script.getProtocol())) {
            return Optional.empty();
        }
        try {
            String uri = script.toURI().toString();
            return Optional.of(FileSystems.newFileSystem(URI.create(uri.substring(0, uri.indexOf("!/"))), Map.of()));
        } catch (FileSystemAlreadyExistsException e) {
            return Optional.empty();
        } catch (URISyntaxException e) {
            throw new IOException("push script at an odd URL: " + script, e);
        }
    }
}
