package org.facteur.webmail.mail;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import java.util.stream.Stream;
import org.facteur.webmail.HostileHtml;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Attribute;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class HtmlSanitizerTest {

    static Stream<HostileHtml.Case> hostile() {
        return HostileHtml.CASES.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void hostileHtmlLosesEverythingActive(HostileHtml.Case c) {
        String out = HtmlSanitizer.sanitize(c.html(), false, cid -> "/content/cid?x=" + cid).html();
        Document doc = Jsoup.parse(out);
        assertThat(doc.select("script, style, iframe, object, embed, form, input, button, base, meta, link, svg, math, template"))
                .as(out).isEmpty();
        for (Element el : doc.getAllElements()) {
            for (Attribute a : el.attributes()) {
                String name = a.getKey().toLowerCase(Locale.ROOT);
                String value = a.getValue().toLowerCase(Locale.ROOT).replaceAll("\\s", "");
                assertThat(name).as(out).doesNotStartWith("on").isNotEqualTo("srcdoc").isNotEqualTo("formaction");
                assertThat(value).as(out).doesNotContain("javascript:").doesNotContain("vbscript:")
                        .doesNotContain("data:").doesNotContain("expression(").doesNotContain("url(");
            }
        }
        assertThat(out.toLowerCase(Locale.ROOT)).doesNotContain("evil.example").doesNotContain("tracker.example");
    }

    @Test
    void keepsOrdinaryFormatting() {
        String html = "<h1>Report</h1><p style=\"color: #333; font-weight: bold; position: fixed\">Revenue <b>up</b></p>"
                + "<table border=1><tr><td bgcolor=\"#eeeeee\">1</td></tr></table><a href=\"https://example.org/x\">link</a>";
        String out = HtmlSanitizer.sanitize(html, false, cid -> null).html();
        assertThat(out).contains("<h1>Report</h1>").contains("color: #333; font-weight: bold")
                .doesNotContain("position").contains("<b>up</b>").contains("bgcolor=\"#eeeeee\"")
                .contains("href=\"https://example.org/x\"").contains("rel=\"noopener noreferrer nofollow\"");
    }

    @Test
    void remoteImagesAreBlockedUntilAllowedAndCidImagesResolved() {
        String html = "<img src=\"https://example.org/a.png\"><img src=\"http://example.org/b.png\"><img src=\"cid:logo@x\">";
        HtmlSanitizer.Result blocked = HtmlSanitizer.sanitize(html, false, cid -> "/content/cid?cid=" + cid);
        assertThat(blocked.blockedImages()).isEqualTo(2);
        assertThat(blocked.html()).doesNotContain("example.org").contains("/content/cid?cid=logo@x");
        HtmlSanitizer.Result allowed = HtmlSanitizer.sanitize(html, true, cid -> null);
        assertThat(allowed.blockedImages()).isZero();
        assertThat(allowed.html()).contains("https://example.org/a.png").contains("http://example.org/b.png");
    }

    @Test
    void cssFilterKeepsOnlyPlainValues() {
        assertThat(HtmlSanitizer.filterCss("color: red; background: url(x)")).isEqualTo("color: red");
        assertThat(HtmlSanitizer.filterCss("color: red /* x */")).isEmpty();
        assertThat(HtmlSanitizer.filterCss("width: expression(alert(1))")).isEmpty();
        assertThat(HtmlSanitizer.filterCss("font-family: 'Arial', sans-serif; margin: 0 auto")).isEqualTo("font-family: 'Arial', sans-serif; margin: 0 auto");
    }
}
