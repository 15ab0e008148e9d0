package org.facteur.smtp.command;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.facteur.smtp.session.BdatState;
import org.facteur.smtp.session.CommandHandler;
import org.facteur.smtp.session.SmtpSession;
import org.facteur.smtp.session.Transaction;

/**
 * BDAT (RFC 3030 CHUNKING): {@code BDAT size [LAST]} followed by exactly {@code size} octets. The octets are
 * always read, even when the command is refused, or they would be taken for commands.
 */
public final class BdatCommand implements CommandHandler {

    private static final int CHUNK = 64 * 1024;

    @Override
    public void handle(SmtpSession session, String argument) throws IOException {
        String[] parts = argument.strip().split(" +");
        long size;
        boolean last = parts.length == 2 && parts[1].toUpperCase(Locale.ROOT).equals("LAST");
        try {
            size = Long.parseLong(parts[0]);
            if (size < 0 || parts.length > 2 || (parts.length == 2 && !last)) {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            // Without a valid size we cannot know where the chunk ends: the session cannot continue safely.
            session.reply(501, "5.5.4", "Syntax: BDAT size [LAST]; closing");
            session.close();
            return;
        }
        Transaction transaction = session.transaction();
        if (transaction == null || transaction.recipients().isEmpty()) {
            skip(session, size);
            session.reply(transaction == null ? 503 : 554, "5.5.1", transaction == null ? "Need MAIL before BDAT" : "No valid recipients");
            session.error();
            return;
        }
        BdatState state = transaction.bdat();
        if (state == null) {
            Path file = session.newSpoolFile();
            OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), CHUNK);
            byte[] received = session.receivedHeader();
            out.write(received);
            state = new BdatState(file, out, 0);
            transaction.bdat(state);
        }
        long max = session.config().limits().maxMessageSize().bytes();
        try {
            copy(session, state, size, max);
        } catch (IOException e) {
            session.resetTransaction();
            throw e;
        }
        if (state.tooBig()) {
            session.resetTransaction();
            session.reply(552, "5.3.4", "Message too big: the limit is " + max + " octets");
            return;
        }
        if (!last) {
            session.reply(250, "2.0.0", size + " octets received");
            return;
        }
        state.out().close();
        session.finishMessage(state.file());
    }

    private static void copy(SmtpSession session, BdatState state, long size, long max) throws IOException {
        byte[] buffer = new byte[CHUNK];
        long remaining = size;
        while (remaining > 0) {
            int n = session.connection().read(buffer, 0, (int) Math.min(buffer.length, remaining));
            if (n < 0) {
                throw new java.io.EOFException("connection closed in a BDAT chunk");
            }
            remaining -= n;
            if (state.size() + n > max) {
                state.markTooBig();
            }
            if (!state.tooBig()) {
                state.out().write(buffer, 0, n);
            }
            state.add(n);
        }
    }

    private static void skip(SmtpSession session, long size) throws IOException {
        byte[] buffer = new byte[CHUNK];
        long remaining = size;
        while (remaining > 0) {
            int n = session.connection().read(buffer, 0, (int) Math.min(buffer.length, remaining));
            if (n < 0) {
                throw new java.io.EOFException("connection closed in a BDAT chunk");
            }
            remaining -= n;
        }
    }
}
