package org.facteur.webmail.mail;

import java.io.IOException;
import java.util.List;

/**
 * What it takes to revert one action of the user on one or many messages: exactly the messages it changed,
 * no others (a message already read stays read when "mark read" is undone).
 */
public sealed interface Undo {

    /** How many messages the action changed (for the notification). */
    int count();

    /** Reverts the action through the user's own store. */
    void revert(MailSession mail) throws IOException;

    /** {@code flag} was set (or cleared) on {@code uids} of {@code folder}, which had it cleared (or set). */
    record FlagChanged(String folder, List<Long> uids, String flag, boolean set) implements Undo {
        public FlagChanged {
            uids = List.copyOf(uids);
        }

        @Override
        public int count() {
            return uids.size();
        }

        @Override
        public void revert(MailSession mail) throws IOException {
            mail.flagIn(folder, uids, flag, !set);
        }
    }

    /**
     * Messages moved from {@code from} to {@code to}, where they got {@code movedUids}; reverting moves them back
     * (they get new UIDs there, as after any IMAP MOVE, RFC 6851 §4.3).
     */
    record Moved(String from, String to, List<Long> movedUids) implements Undo {
        public Moved {
            movedUids = List.copyOf(movedUids);
        }

        @Override
        public int count() {
            return movedUids.size();
        }

        @Override
        public void revert(MailSession mail) throws IOException {
            mail.moveFrom(to, movedUids, from);
        }
    }
}
