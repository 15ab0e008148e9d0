package org.facteur.pop3.command;

import java.util.Map;
import java.util.Optional;

/** Every command the server knows, by keyword. */
public final class CommandHandlers {

    private static final Map<String, CommandHandler> BY_KEYWORD = Map.ofEntries(
            Map.entry("CAPA", new CapaCommand()),
            Map.entry("STLS", new StlsCommand()),
            Map.entry("UTF8", new Utf8Command()),
            Map.entry("USER", new UserCommand()),
            Map.entry("PASS", new PassCommand()),
            Map.entry("AUTH", new AuthCommand()),
            Map.entry("STAT", new StatCommand()),
            Map.entry("LIST", new ListCommand()),
            Map.entry("UIDL", new UidlCommand()),
            Map.entry("RETR", new RetrCommand()),
            Map.entry("TOP", new TopCommand()),
            Map.entry("DELE", new DeleCommand()),
            Map.entry("RSET", new RsetCommand()),
            Map.entry("NOOP", new NoopCommand()),
            Map.entry("QUIT", new QuitCommand()));

    private CommandHandlers() {
    }

    public static Optional<CommandHandler> forKeyword(String keyword) {
        return Optional.ofNullable(BY_KEYWORD.get(keyword));
    }
}
