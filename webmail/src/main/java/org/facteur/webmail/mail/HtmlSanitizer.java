package org.facteur.webmail.mail;

import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.safety.Cleaner;
import org.jsoup.safety.Safelist;

/**
 * Makes the HTML of a received message safe to show: an allow-list of tags and attributes (jsoup's
 * {@link Safelist}), so scripts, forms, frames, objects, {@code <base>}, {@code <meta>} refreshes and every
 * {@code on*} handler are dropped whatever their spelling; links and images keep only http(s)/mailto/cid URLs
 * (no {@code javascript:}, no {@code data:}); inline CSS keeps a short list of harmless properties with values that
 * cannot load anything. This is the first wall; the frame's sandbox and Content-Security-Policy are the second.
 */
public final class HtmlSanitizer {

    /** What was made of a message's HTML. */
    public record Result(String html, int blockedImages) {
    }

    private static final Safelist SAFELIST = new Safelist()
            .addTags("a", "abbr", "address", "b", "bdi", "bdo", "blockquote", "br", "caption", "center", "cite",
                    "code", "col", "colgroup", "dd", "del", "dfn", "div", "dl", "dt", "em", "font", "h1", "h2", "h3",
                    "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp",
                    "small", "span", "strike", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
                    "tr", "tt", "u", "ul", "var", "wbr")
            .addAttributes(":all", "style", "align", "valign", "dir", "lang", "title", "width", "height", "bgcolor")
            .addAttributes("a", "href")
            .addAttributes("img", "src", "alt")
            .addAttributes("font", "color", "face", "size")
            .addAttributes("table", "border", "cellpadding", "cellspacing", "summary")
            .addAttributes("td", "colspan", "rowspan", "nowrap")
            .addAttributes("th", "colspan", "rowspan", "scope")
            .addAttributes("col", "span")
            .addAttributes("colgroup", "span")
            .addAttributes("ol", "start", "type")
            .addAttributes("ul", "type")
            .addProtocols("a", "href", "http", "https", "mailto")
            .addProtocols("img", "src", "http", "https", "cid");

    /** CSS properties kept in {@code style} attributes: layout and typography, nothing positioned or fetched. */
    private static final Set<String> CSS_PROPERTIES = Set.of(
            "color", "background-color", "font", "font-family", "font-size", "font-weight", "font-style",
            "font-variant", "text-align", "text-decoration", "text-indent", "text-transform", "line-height",
            "letter-spacing", "word-spacing", "white-space", "vertical-align", "list-style-type",
            "margin", "margin-top", "margin-right", "margin-bottom", "margin-left",
            "padding", "padding-top", "padding-right", "padding-bottom", "padding-left",
            "border", "border-top", "border-right", "border-bottom", "border-left", "border-color", "border-style",
            "border-width", "border-collapse", "border-spacing", "border-radius",
            "width", "height", "max-width", "min-width", "max-height", "min-height", "display", "direction");

    /** A CSS value made of plain tokens: no functions that fetch or evaluate, no escapes, no comments. */
    private static final Pattern SAFE_CSS_VALUE = Pattern.compile("[#(),.%\\w\\s'\"/!+-]*");
    private static final Pattern FORBIDDEN_CSS = Pattern.compile(
            "url|expression|javascript|vbscript|import|behavior|binding|image|attr|var\\(|env\\(", Pattern.CASE_INSENSITIVE);

    private HtmlSanitizer() {
    }

    /**
     * @param remoteImages whether http(s) images are kept; when not, they are removed and counted
     * @param cidResolver  maps a {@code cid:} URL to the webmail's URL of that part, or null to drop it
     */
    public static Result sanitize(String html, boolean remoteImages, UnaryOperator<String> cidResolver) {
        Document dirty = Jsoup.parse(html == null ? "" : html);
        // jsoup applies a <base href> while parsing, which would turn relative links into links to wherever the
        // sender's <base> points; forget it, so relative URLs fail the protocol check instead.
        dirty.select("base").remove();
        dirty.setBaseUri("");
        Document clean = new Cleaner(SAFELIST).clean(dirty);
        int blocked = 0;
        for (Element img : clean.select("img")) {
            String src = img.attr("src");
            String scheme = src.contains(":") ? src.substring(0, src.indexOf(':')).toLowerCase(Locale.ROOT).strip() : "";
            if (scheme.equals("cid")) {
                String resolved = cidResolver.apply(src.substring(4));
                if (resolved == null) {
                    img.removeAttr("src");
                } else {
                    img.attr("src", resolved);
                }
            } else if (!remoteImages || !(scheme.equals("http") || scheme.equals("https"))) {
                if (img.hasAttr("src")) {
                    blocked++;
                }
                img.removeAttr("src");
                img.attr("data-blocked", "remote image");
            }
        }
        for (Element a : clean.select("a[href]")) {
            // Links open outside the frame, tell the target nothing about us, and pass no referrer.
            a.attr("target", "_blank");
            a.attr("rel", "noopener noreferrer nofollow");
        }
        for (Element styled : clean.select("[style]")) {
            String css = filterCss(styled.attr("style"));
            if (css.isEmpty()) {
                styled.removeAttr("style");
            } else {
                styled.attr("style", css);
            }
        }
        // Sizes and colours given as attributes cannot carry URLs once the tag and protocol filters ran, but a
        // bgcolor is read as CSS by some engines: keep only plain tokens.
        for (Element el : clean.select("[bgcolor],[color],[width],[height],[face]")) {
            for (String attribute : new String[] {"bgcolor", "color", "width", "height", "face"}) {
                if (el.hasAttr(attribute) && !SAFE_CSS_VALUE.matcher(el.attr(attribute)).matches()) {
                    el.removeAttr(attribute);
                }
            }
        }
        clean.outputSettings().prettyPrint(false);
        return new Result(clean.body().html(), blocked);
    }

    /** Keeps {@code property: value} pairs whose property is listed and whose value is plain. */
    static String filterCss(String style) {
        StringBuilder out = new StringBuilder();
        if (style.contains("\\") || style.contains("/*") || style.contains("<") || style.contains("&")) {
            return ""; // escapes and comments are how filters get fooled (OWASP XSS cheat sheet)
        }
        for (String declaration : style.split(";")) {
            int colon = declaration.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String property = declaration.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = declaration.substring(colon + 1).strip();
            if (CSS_PROPERTIES.contains(property) && SAFE_CSS_VALUE.matcher(value).matches()
                    && !FORBIDDEN_CSS.matcher(value).find()) {
                if (!out.isEmpty()) {
                    out.append("; ");
                }
                out.append(property).append(": ").append(value);
            }
        }
        return out.toString();
    }
}
