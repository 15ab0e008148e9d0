import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.facteur.app.ConfigLocation;
import org.facteur.app.PortPolicy;
import org.facteur.app.Setup;

/**
 * Run with {@code java -cp app/target/facteur.jar bench/start/LoopbackConfig.java DATA [RUN_AS]}: a first start's
 * data folder and facteur.yaml, with every listener on 127.0.0.1 and a free port (the bench must not open ports to
 * the network or take the standard ones).
 */
public class LoopbackConfig {
    public static void main(String[] args) throws Exception {
        ConfigLocation location = ConfigLocation.of(null, Path.of(args[0]));
        Setup.prepare(location, PortPolicy::ephemeral, args.length > 1 ? Optional.of(args[1]) : Optional.empty());
        Files.writeString(location.file(), Files.readString(location.file())
                .replace("address: 0.0.0.0", "address: 127.0.0.1"));
    }
}
