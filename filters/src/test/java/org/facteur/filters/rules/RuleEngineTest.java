package org.facteur.filters.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.facteur.config.ConfigDefaults;
import org.facteur.filters.FilterConfig;
import org.facteur.filters.ParsedMessage;
import org.junit.jupiter.api.Test;

class RuleEngineTest {

    private static ParsedMessage parse(String text) {
        return ParsedMessage.parse(text.replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> hits(String rules, String message) throws Exception {
        RuleSet set = new RuleSet().parse(new StringReader(rules), "test.cf");
        assertThat(set.problems()).isEmpty();
        return new RuleEngine(set.rules(), 100_000).evaluate(parse(message)).stream().map(Rule::name).toList();
    }

    @Test
    void headerBodyRawbodyUriMimeheaderAndMeta() throws Exception {
        String rules = """
                header   SUBJ_WIN   Subject =~ /\\bwinner\\b/i
                header   NO_DATE_X  Date !~ /./
                header   HAS_XM     exists:X-Mailer
                header   FROM_ADDR  From:addr =~ /^bad@/
                header   ANY_HDR    ALL =~ /^X-Mailer: spamtool/m
                body     CASH       /\\bcash\\b/i
                rawbody  HTML_B     /<b>/
                uri      IP_LINK    m{^http://\\d+\\.\\d+\\.\\d+\\.\\d+/}
                mimeheader MIME_HTML Content-Type =~ /text\\/html/
                meta     COMBO      SUBJ_WIN && (CASH || IP_LINK) && !NOT_THERE
                meta     COUNT      (SUBJ_WIN + CASH + HTML_B) >= 3
                body     NOT_THERE  /zzzz/
                score    COMBO      2.5
                describe COMBO      winner and cash
                """;
        List<String> hit = hits(rules, """
                From: Mr Bad <bad@example.net>
                Subject: You are a WINNER
                X-Mailer: spamtool 1.0
                Content-Type: text/html

                <b>Cash</b> at <a href="http://10.0.0.1/x">here</a>
                """);
        assertThat(hit).containsExactlyInAnyOrder("SUBJ_WIN", "NO_DATE_X", "HAS_XM", "FROM_ADDR", "ANY_HDR", "CASH",
                "HTML_B", "IP_LINK", "MIME_HTML", "COMBO", "COUNT");
        RuleSet set = new RuleSet().parse(new StringReader(rules), "t");
        Rule combo = set.rules().stream().filter(r -> r.name().equals("COMBO")).findFirst().orElseThrow();
        assertThat(combo.score()).isEqualTo(2.5);
        assertThat(combo.description()).isEqualTo("winner and cash");
    }

    @Test
    void badLinesAreReportedWithTheirLineAndTheOthersStillWork() throws Exception {
        RuleSet set = new RuleSet().parse(new StringReader("""
                body GOOD /ok/
                body BAD /unclosed(/
                header NOOP Subject
                meta LOOSE GOOD &&
                body BADFLAG /x/q
                score GOOD many
                tflags GOOD multiple
                """), "admin.cf");
        assertThat(set.problems()).extracting(RuleSet.Problem::line).containsExactly(2, 3, 4, 5, 6);
        assertThat(set.rules()).extracting(Rule::name).containsExactly("GOOD");
    }

    @Test
    void metaExpressions() {
        Map<String, Boolean> h = Map.of("A", true, "B", false, "C", true);
        assertThat(Meta.parse("A && !B").eval(h)).isTrue();
        assertThat(Meta.parse("(A || B) && C").eval(h)).isTrue();
        assertThat(Meta.parse("A + B + C > 2").eval(h)).isFalse();
        assertThat(Meta.parse("A + B + C >= 2").eval(h)).isTrue();
        assertThat(Meta.parse("UNKNOWN || B").eval(h)).isFalse();
    }

    @Test
    void catastrophicBacktrackingGivesUpQuickly() throws Exception {
        long start = System.nanoTime();
        List<String> hit = hits("body EVIL /^(a+)+$/\n", "Subject: x\n\n" + "a".repeat(40) + "!\n");
        assertThat(hit).isEmpty();
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(20_000);
    }

    @Test
    void builtInRulesLoadWithoutProblems() throws Exception {
        FilterConfig.Rules config = ConfigDefaults.of(FilterConfig.class).rules();
        RuleSet set = RulesFilter.load(config);
        assertThat(set.problems()).isEmpty();
        assertThat(set.rules()).hasSizeGreaterThan(40);
    }
}
