package org.facteur.smtp.command;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.facteur.filters.Verdict;
import org.facteur.smtp.protocol.Reply;
import org.facteur.smtp.session.Capability;
import org.facteur.smtp.session.SmtpSession;

/**
 * EHLO and HELO (RFC 5321 §4.1.1.1): greeting, capability list and the chain's helo stage. HELO anti-spoofing
 * (a stranger claiming our name, domain or address) is the chain's HeloFilter, the one implementation.
 */
public final class EhloCommand {

    public void ehlo(SmtpSession session, String argument) throws IOException {
        greet(session, argument, true);
    }

    public void helo(SmtpSession session, String argument) throws IOException {
        greet(session, argument, false);
    }

    private void greet(SmtpSession session, String argument, boolean esmtp) throws IOException {
        String name = argument.strip();
        if (name.isEmpty() || name.contains(" ")) {
            session.reply(501, "5.5.4", "Syntax: " + (esmtp ? "EHLO" : "HELO") + " hostname");
            session.error();
            return;
        }
        // RFC 5321 §4.1.4: EHLO during a transaction resets it, as RSET would.
        session.resetTransaction();
        Verdict verdict = session.services().chain().helo(session.filterContext(), name);
        if (verdict.action() == Verdict.Action.REJECT) {
            session.reply(Reply.of(verdict.code() >= 500 ? verdict.code() : 550, or(verdict.enhancedCode(), "5.7.1"),
                    SmtpSession.text(verdict, "HELO refused")));
            session.error();
            return;
        }
        if (verdict.action() == Verdict.Action.TEMPFAIL) {
            session.reply(Reply.of(verdict.code() >= 400 && verdict.code() < 500 ? verdict.code() : 451,
                    or(verdict.enhancedCode(), "4.7.1"), SmtpSession.text(verdict, "Try again later")));
            return;
        }
        session.helo(name, esmtp);
        String first = session.hostname() + " greets " + name;
        if (!esmtp) {
            session.reply(Reply.plain(250, first));
            return;
        }
        List<String> lines = new ArrayList<>();
        lines.add(first);
        lines.addAll(Capability.advertised(session));
        session.reply(new Reply(250, null, lines));
    }

    static String or(String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value;
    }
}
