package org.facteur.imap.command;

import java.util.Map;
import java.util.Set;

/** The command table: name to behaviour, and which commands take the UID prefix (RFC 9051 §6.4.9). */
public final class Commands {

    private static final Map<String, ImapCommand> COMMANDS = Map.ofEntries(
            Map.entry("CAPABILITY", new Capability()),
            Map.entry("NOOP", new Noop()),
            Map.entry("CHECK", new Noop()),
            Map.entry("LOGOUT", new Logout()),
            Map.entry("STARTTLS", new StartTls()),
            Map.entry("LOGIN", new Login()),
            Map.entry("AUTHENTICATE", new Authenticate()),
            Map.entry("ENABLE", new Enable()),
            Map.entry("ID", new Id()),
            Map.entry("NAMESPACE", new Namespace()),
            Map.entry("COMPRESS", new Compress()),
            Map.entry("SELECT", new Select(false)),
            Map.entry("EXAMINE", new Select(true)),
            Map.entry("CREATE", new Create()),
            Map.entry("DELETE", new Delete()),
            Map.entry("RENAME", new Rename()),
            Map.entry("SUBSCRIBE", new Subscribe(true)),
            Map.entry("UNSUBSCRIBE", new Subscribe(false)),
            Map.entry("LIST", new ListCommand(false)),
            Map.entry("LSUB", new ListCommand(true)),
            Map.entry("STATUS", new Status()),
            Map.entry("APPEND", new Append()),
            Map.entry("CLOSE", new Close(true)),
            Map.entry("UNSELECT", new Close(false)),
            Map.entry("EXPUNGE", new Expunge()),
            Map.entry("SEARCH", new Search()),
            Map.entry("FETCH", new Fetch()),
            Map.entry("STORE", new Store()),
            Map.entry("COPY", new CopyMove(false)),
            Map.entry("MOVE", new CopyMove(true)),
            Map.entry("IDLE", new Idle()),
            Map.entry("SORT", new Sort()),
            Map.entry("THREAD", new ThreadCommand()),
            Map.entry("GETQUOTA", new Quota(Quota.Kind.GET)),
            Map.entry("GETQUOTAROOT", new Quota(Quota.Kind.ROOT)),
            Map.entry("SETQUOTA", new Quota(Quota.Kind.SET)));

    private static final Set<String> UID_COMMANDS = Set.of("FETCH", "STORE", "SEARCH", "COPY", "MOVE", "EXPUNGE", "SORT", "THREAD");

    private Commands() {
    }

    /** The command, or null when unknown (or not one that takes the UID prefix). */
    public static ImapCommand get(String name, boolean uid) {
        if (uid && !UID_COMMANDS.contains(name)) {
            return null;
        }
        return COMMANDS.get(name);
    }
}
