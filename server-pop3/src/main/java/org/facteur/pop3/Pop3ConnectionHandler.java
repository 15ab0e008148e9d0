package org.facteur.pop3;

import java.io.IOException;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.util.Optional;
import java.util.function.Supplier;
import org.facteur.net.Connection;
import org.facteur.net.ConnectionHandler;
import org.facteur.net.Line;
import org.facteur.net.LineTooLongException;
import org.facteur.net.TlsMode;
import org.facteur.pop3.command.CommandHandler;
import org.facteur.pop3.command.CommandHandlers;
import org.facteur.pop3.protocol.Command;
import org.facteur.pop3.protocol.CommandParser;
import org.facteur.pop3.protocol.CommandSyntaxException;
import org.facteur.pop3.protocol.ResponseCode;
import org.facteur.pop3.protocol.ResponseWriter;
import org.facteur.pop3.session.Pop3Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The POP3 command loop of one connection: read a line, parse it, check the state, run the command. Every
 * problem with the input becomes a {@code -ERR}; only a closed or silent connection ends the loop early.
 */
final class Pop3ConnectionHandler implements ConnectionHandler {

    private static final Logger log = LoggerFactory.getLogger(Pop3ConnectionHandler.class);

    private final Supplier<Pop3Config> config;
    private final Pop3Session.Services services;
    private final TlsMode mode;

    Pop3ConnectionHandler(Supplier<Pop3Config> config, Pop3Session.Services services, TlsMode mode) {
        this.config = config;
        this.services = services;
        this.mode = mode;
    }

    @Override
    public void handle(Connection connection) throws IOException {
        Pop3Config current = config.get();
        Pop3Session session = new Pop3Session(connection, current, services, mode == TlsMode.STARTTLS);
        try {
            // RFC 1939 §3: an inactivity timer of at least 10 minutes; expiry closes without UPDATE.
            connection.setReadTimeout(current.limits().idleTimeout());
            session.reply().ok(session.hostname() + " Facteur POP3 server ready");
            while (!session.closing()) {
                Optional<Command> command = next(session);
                if (command.isEmpty()) {
                    continue;
                }
                run(session, command.get());
            }
        } catch (SocketTimeoutException e) {
            // RFC 1939 §3: on autologout the server closes "without removing any messages or sending any
            // response to the client"; end() below takes back this session's deletion marks.
            log.debug("pop3: closing idle connection from {}", connection.remoteAddress().getAddress().getHostAddress());
        } finally {
            session.end();
            try {
                connection.flush();
            } catch (IOException ignored) {
                // the client is gone
            }
        }
    }

    /** Reads and parses the next command; answers -ERR and returns empty when the line is not one. */
    private static Optional<Command> next(Pop3Session session) throws IOException {
        ResponseWriter reply = session.reply();
        Line line;
        try {
            line = session.connection().readLine(session.config().limits().commandLength());
        } catch (LineTooLongException e) {
            // RFC 2449 §4: commands are at most 255 octets; the rest of the line was consumed.
            bad(session, "Line too long (limit " + e.limit() + " octets)");
            return Optional.empty();
        } catch (ProtocolException e) {
            // The net layer gave up on a line with no end in sight (megabytes without LF): garbage, not a command.
            reply.err("Line too long and never ends; closing connection");
            session.close();
            return Optional.empty();
        }
        try {
            return Optional.of(CommandParser.parse(line.bytes()));
        } catch (CommandSyntaxException e) {
            bad(session, e.getMessage());
            return Optional.empty();
        }
    }

    private static void run(Pop3Session session, Command command) throws IOException {
        Optional<CommandHandler> handler = CommandHandlers.forKeyword(command.keyword());
        if (handler.isEmpty()) {
            bad(session, "Unknown command " + command.keyword());
            return;
        }
        if (!command.regularSpacing() && !command.keyword().equals("PASS")) {
            bad(session, "Arguments must be separated by single spaces");
            return;
        }
        if (!handler.get().states().contains(session.state())) {
            bad(session, command.keyword() + " is not valid in the " + session.state().name() + " state");
            return;
        }
        try {
            handler.get().execute(session, command);
        } catch (RuntimeException e) {
            // A bug must not take the connection down mid-protocol without a word.
            log.error("pop3: {} failed", command.keyword(), e);
            session.reply().err(ResponseCode.SYS_TEMP, "Internal error");
        }
    }

    private static void bad(Pop3Session session, String message) throws IOException {
        session.reply().err(message);
        if (session.badCommand()) {
            session.reply().err("Too many bad commands, closing connection");
            session.close();
        }
    }

    @Override
    public void refuse(Connection connection, String reason) throws IOException {
        // RFC 3206 §4: a temporary condition; the client should try again later.
        connection.writeLine("-ERR [" + ResponseCode.SYS_TEMP.text() + "] " + reason);
        connection.flush();
    }
}
