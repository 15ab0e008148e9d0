package org.facteur.imap.session;

import java.util.ArrayList;
import java.util.List;

/**
 * The one list of what the server announces (RFC 9051 §7.2.2). Every command that reports capabilities (the
 * greeting, CAPABILITY, the OK after login and STARTTLS) asks here, and each entry names what implements it.
 */
public final class Capabilities {

    /** Extensions offered in every state, in the order they are announced. */
    public static final List<String> EXTENSIONS = List.of(
            "IMAP4rev1", "IMAP4rev2",
            "SASL-IR",              // RFC 4959, command.Authenticate
            "LITERAL+",             // RFC 7888, protocol.CommandReader (implies LITERAL- handling)
            "ID",                   // RFC 2971, command.Id
            "ENABLE",               // RFC 5161, command.Enable
            "IDLE",                 // RFC 2177, command.Idle
            "NAMESPACE",            // RFC 2342, command.Namespace
            "UNSELECT",             // RFC 3691, command.Unselect
            "CHILDREN",             // RFC 3348, command.ListCommand
            "UIDPLUS",              // RFC 4315, command.Append, CopyMove, Expunge
            "MOVE",                 // RFC 6851, command.CopyMove
            "CONDSTORE",            // RFC 7162, command.Fetch, Store, Search, Select
            "QRESYNC",              // RFC 7162, command.Select, Fetch
            "SPECIAL-USE",          // RFC 6154, command.ListCommand
            "CREATE-SPECIAL-USE",   // RFC 6154, command.Create
            "LIST-EXTENDED",        // RFC 5258, command.ListCommand
            "LIST-STATUS",          // RFC 5819, command.ListCommand
            "ESEARCH",              // RFC 4731, command.Search
            "SEARCHRES",            // RFC 5182, command.Search and the "$" sequence set
            "MULTIAPPEND",          // RFC 3502, command.Append
            "BINARY",               // RFC 3516, command.Fetch
            "SORT",                 // RFC 5256, command.Sort
            "THREAD=ORDEREDSUBJECT", // RFC 5256, command.ThreadCommand
            "THREAD=REFERENCES",    // RFC 5256, command.ThreadCommand
            "QUOTA", "QUOTA=RES-STORAGE", "QUOTA=RES-MESSAGE", // RFC 9208, command.Quota
            "STATUS=SIZE",          // RFC 8438, command.Status
            "SAVEDATE",             // RFC 8514, command.Fetch
            "UTF8=ACCEPT");         // RFC 6855, command.Enable

    private Capabilities() {
    }

    /**
     * @param mechanisms SASL mechanisms for this connection (empty after login)
     */
    public static List<String> list(boolean secure, boolean startTlsPossible, boolean authenticated,
                                    List<String> mechanisms, long appendLimit, boolean compression, boolean compressed) {
        List<String> caps = new ArrayList<>(EXTENSIONS);
        if (!authenticated) {
            if (!secure && startTlsPossible) {
                caps.add("STARTTLS");
            }
            if (!secure) {
                caps.add("LOGINDISABLED"); // RFC 9051 §6.2.3: no cleartext passwords
            }
            for (String m : mechanisms) {
                caps.add("AUTH=" + m);
            }
        }
        caps.add("APPENDLIMIT=" + appendLimit); // RFC 7889
        if (compression && !compressed) {
            caps.add("COMPRESS=DEFLATE"); // RFC 4978, command.Compress
        }
        return caps;
    }
}
