package org.facteur.pop3.command;

import java.io.IOException;
import java.io.InputStream;
import org.facteur.pop3.protocol.ResponseCode;
import org.facteur.pop3.session.Maildrop;
import org.facteur.pop3.session.Pop3Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Opens a message for RETR and TOP before any +OK is sent, so a failure can still be a clean -ERR. */
final class MessageContent {

    private static final Logger log = LoggerFactory.getLogger(MessageContent.class);

    private MessageContent() {
    }

    /** The message's stream, or null after answering -ERR (expunged by an IMAP session, or a storage fault). */
    static InputStream open(Pop3Session session, int number) throws IOException {
        Maildrop maildrop = session.maildrop();
        if (maildrop.removedElsewhere(number)) {
            session.reply().err("Message " + number + " was removed by another session");
            return null;
        }
        try {
            return maildrop.open(number);
        } catch (IOException e) {
            if (maildrop.removedElsewhere(number)) {
                session.reply().err("Message " + number + " was removed by another session");
            } else {
                log.warn("pop3 session of {}: cannot read message uid {}", session.account().orElse("?"),
                        maildrop.entry(number).uid(), e);
                session.reply().err(ResponseCode.SYS_TEMP, "Cannot read message " + number + " now");
            }
            return null;
        }
    }
}
