package org.facteur.smtp.command;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.facteur.smtp.protocol.DataReader;
import org.facteur.smtp.protocol.MailParameters;
import org.facteur.smtp.protocol.Reply;
import org.facteur.smtp.session.CommandHandler;
import org.facteur.smtp.session.SmtpSession;
import org.facteur.smtp.session.Transaction;

/**
 * DATA (RFC 5321 §4.1.1.4): the message is spooled to a file as it arrives (never held whole in memory),
 * with our Received header first, and judged once the terminating {@code CRLF.CRLF} arrives.
 */
public final class DataCommand implements CommandHandler {

    @Override
    public void handle(SmtpSession session, String argument) throws IOException {
        Transaction transaction = session.transaction();
        if (!argument.isEmpty()) {
            session.reply(501, "5.5.4", "DATA takes no argument");
            session.error();
            return;
        }
        if (transaction == null) {
            session.reply(503, "5.5.1", "Need MAIL before DATA");
            session.error();
            return;
        }
        if (transaction.bdat() != null) {
            session.reply(503, "5.5.1", "DATA not allowed after BDAT");
            session.error();
            return;
        }
        if (transaction.recipients().isEmpty()) {
            session.reply(554, "5.5.1", "No valid recipients");
            session.error();
            return;
        }
        if (transaction.parameters().body() == MailParameters.Body.BINARY_MIME) {
            // RFC 3030 §3: BINARYMIME messages must be sent with BDAT.
            session.reply(503, "5.5.1", "BODY=BINARYMIME requires BDAT");
            session.error();
            return;
        }
        long max = session.config().limits().maxMessageSize().bytes();
        int maxLine = session.config().limits().maxDataLineLength().toIntBytes();
        Path file = session.newSpoolFile();
        session.reply(354, null, "End data with <CR><LF>.<CR><LF>");
        session.connection().flush();
        DataReader.Result result;
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024)) {
                out.write(session.receivedHeader());
                result = DataReader.read(session.connection(), out, max, maxLine);
            }
        } catch (IOException e) {
            // Disconnect or timeout in the middle of the data: nothing is delivered (RFC 5321 §4.1.1.4).
            Files.deleteIfExists(file);
            session.resetTransaction();
            throw e;
        }
        if (result.problem() != DataReader.Problem.NONE) {
            Files.deleteIfExists(file);
            session.resetTransaction();
            Reply reply = DataReader.replyFor(result.problem(), max, maxLine);
            session.reply(reply);
            if (result.problem() == DataReader.Problem.LINE_TOO_LONG) {
                session.close();
            } else {
                session.error();
            }
            return;
        }
        session.finishMessage(file);
    }
}
