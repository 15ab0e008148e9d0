package org.facteur.smtp.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The codec alone: paths, parameters, xtext, commands and replies, including malformed and oversized input. */
class PathParserTest {

    @Test
    void parsesPathsAndParameters() throws Exception {
        PathParser.ParsedPath p = PathParser.parse("FROM:<Alice@Example.TEST> SIZE=1000 BODY=8BITMIME RET=HDRS ENVID=a+2Bb", "FROM", true);
        assertThat(p.address()).isEqualTo(new MailAddress("Alice", "example.test"));
        MailParameters m = MailParameters.parse(p.parameters());
        assertThat(m.declaredSize()).isEqualTo(1000);
        assertThat(m.body()).isEqualTo(MailParameters.Body.EIGHT_BIT_MIME);
        assertThat(m.ret()).isEqualTo(MailParameters.Ret.HDRS);
        assertThat(m.envelopeId()).isEqualTo("a+b");
        assertThat(PathParser.parse("FROM:<>", "FROM", true).address()).isNull();
        assertThat(PathParser.parse("from: <a@b.test>", "FROM", true).address().toString()).isEqualTo("a@b.test");
    }

    @Test
    void quotedLocalPartsAndUtf8() throws Exception {
        MailAddress q = PathParser.parse("TO:<\"john smith\\\"x\"@example.test>", "TO", false).address();
        assertThat(q.localPart()).isEqualTo("john smith\"x");
        assertThat(q.toString()).isEqualTo("\"john smith\\\"x\"@example.test");
        MailAddress u = PathParser.parse("TO:<用户@例子.广告>", "TO", false).address();
        assertThat(u.isInternational()).isTrue();
        assertThat(u.domain()).isEqualTo("例子.广告");
    }

    @Test
    void sourceRouteIsParsedAndIgnored() throws Exception {
        PathParser.ParsedPath p = PathParser.parse("TO:<@a.test,@b.test:user@c.test>", "TO", false);
        assertThat(p.hadSourceRoute()).isTrue();
        assertThat(p.address()).isEqualTo(new MailAddress("user", "c.test"));
    }

    @Test
    void rcptParameters() throws Exception {
        RcptParameters r = RcptParameters.parse(PathParser.parse(
                "TO:<a@b.test> NOTIFY=FAILURE,DELAY ORCPT=rfc822;a+40b.test", "TO", false).parameters());
        assertThat(r.notifications()).isEqualTo(Set.of(RcptParameters.Notify.FAILURE, RcptParameters.Notify.DELAY));
        assertThat(r.originalRecipient()).isEqualTo("rfc822;a@b.test");
        assertThat(r.wantsSuccess()).isFalse();
        assertThatThrownBy(() -> RcptParameters.parse(PathParser.parse("TO:<a@b.test> NOTIFY=NEVER,FAILURE", "TO", false).parameters()))
                .isInstanceOf(SmtpSyntaxException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "FROM", "FROM:", "FROM:a@b.test", "FROM:<a@b.test", "FROM:<a@b.test>x", "FROM:<a@@b.test>",
            "FROM:<.a@b.test>", "FROM:<a.@b.test>", "FROM:<a..b@b.test>", "FROM:<a@-b.test>", "FROM:<a@b..test>",
            "FROM:<a@[1.2.3.4>", "FROM:<\"unterminated@b.test>", "FROM:<\"\"@b.test>", "FROM:<a b@c.test>",
            "FROM:<@:a@b.test>", "FROM:<a@b.test> SIZE", "FROM:<a@b.test> SIZE=x", "FROM:<a@b.test> SIZE=1 SIZE=2",
            "FROM:<a@b.test> BODY=9BIT", "FROM:<a@b.test> UNKNOWN=1", "FROM:<a@b.test> =x", "FROM:<a@b.test> ENVID=%zz+",
            "FROM:<a@b.test> ENVID=+4", "FROM:<a@b.test> SMTPUTF8=yes"})
    void refusesMalformedInput(String argument) {
        assertThatThrownBy(() -> MailParameters.parse(PathParser.parse(argument, "FROM", true).parameters()))
                .isInstanceOf(SmtpSyntaxException.class)
                .satisfies(e -> assertThat(((SmtpSyntaxException) e).reply().code()).isBetween(500, 599));
    }

    @Test
    void refusesOversizedParts() {
        assertThatThrownBy(() -> PathParser.parse("TO:<" + "a".repeat(65) + "@b.test>", "TO", false))
                .isInstanceOf(SmtpSyntaxException.class).hasMessageContaining("64");
        assertThatThrownBy(() -> PathParser.parse("TO:<a@" + "b".repeat(64) + ".test>", "TO", false))
                .isInstanceOf(SmtpSyntaxException.class);
        String longDomain = ("d".repeat(60) + ".").repeat(4) + "test";
        assertThatThrownBy(() -> PathParser.parse("TO:<" + "a".repeat(60) + "@" + longDomain + ">", "TO", false))
                .isInstanceOf(SmtpSyntaxException.class).hasMessageContaining("256");
    }

    @Test
    void relayTrickTable() throws Exception {
        String[][] table = {
                {"TO:<user%other.test@example.test>", "Percent"},
                {"TO:<other.test!user@example.test>", "Bang"},
                {"TO:<\"user@other.test\"@example.test>", "quoted @"},
                {"TO:<user@[192.0.2.1]>", "literal"},
                {"TO:<user@[IPv6:2001:db8::1]>", "literal"},
        };
        for (String[] row : table) {
            assertThat(RelayTricks.refusal(PathParser.parse(row[0], "TO", false).address())).as(row[0]).contains(row[1]);
        }
        assertThatThrownBy(() -> PathParser.parse("TO:<user@other.test@example.test>", "TO", false))
                .isInstanceOf(SmtpSyntaxException.class);
        assertThat(RelayTricks.refusal(PathParser.parse("TO:<@relay.test:alice@example.test>", "TO", false).address())).isNull();
        assertThat(RelayTricks.refusal(new MailAddress("alice+tag", "example.test"))).isNull();
    }

    @Test
    void commandLinesAndReplies() throws Exception {
        assertThat(CommandLine.parse("mail FROM:<a@b>")).isEqualTo(new CommandLine("MAIL", "FROM:<a@b>"));
        assertThatThrownBy(() -> CommandLine.parse("NOOP\u0000")).isInstanceOf(SmtpSyntaxException.class);
        assertThatThrownBy(() -> CommandLine.parse("   ")).isInstanceOf(SmtpSyntaxException.class);
        assertThat(new String(ReplyWriter.format(Reply.of(250, "2.0.0", "one\ntwo")), "US-ASCII"))
                .isEqualTo("250-2.0.0 one\r\n250 2.0.0 two\r\n");
        assertThat(new String(ReplyWriter.format(Reply.plain(550, "evil\r\n250 ok")), "US-ASCII"))
                .isEqualTo("550 evil??250 ok\r\n");
        assertThat(Xtext.decode(Xtext.encode("a+b=c d"))).isEqualTo("a+b=c d");
    }
}
