package org.facteur.webmail.web;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.facteur.storage.InvalidMailboxNameException;
import org.facteur.storage.Mailbox;
import org.facteur.storage.MailboxNotFoundException;
import org.facteur.webmail.WebmailServices;
import org.facteur.webmail.mail.HtmlSanitizer;
import org.facteur.webmail.mail.MessageReader;
import org.facteur.webmail.mail.ReadMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Message content outside Vaadin: the sanitised HTML shown in the reader's sandboxed frame, inline images
 * ({@code cid:}) and attachment downloads.
 *
 * <p>Requests name a folder, a UID and a part, never an account: the account is the session's, so changing an
 * id in a URL can only reach the user's own mail (no IDOR). Responses are never cached by shared caches.
 */
public class ContentServlet extends HttpServlet {

    public static final String PATH = "/content";
    private static final Logger LOG = LoggerFactory.getLogger(ContentServlet.class);

    /**
     * The frame's policy: nothing may run or load except inline styles and (when allowed) images. {@code sandbox}
     * repeats the iframe's attribute for a frame opened on its own.
     */
    static String framePolicy(boolean remoteImages) {
        return "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'" + (remoteImages ? " https: http:" : "")
                + "; font-src 'none'; form-action 'none'; base-uri 'none'; frame-ancestors 'self'; "
                + "sandbox allow-popups allow-popups-to-escape-sandbox";
    }

    /** Types a browser could run or render as a page: served as downloads only, never inline. */
    private static final Set<String> INLINE_IMAGES = Set.of("image/png", "image/jpeg", "image/gif", "image/webp");

    public static String htmlUrl(String folder, long uid, boolean images) {
        return PATH + "/html?folder=" + enc(folder) + "&uid=" + uid + (images ? "&images=1" : "");
    }

    public static String rawUrl(String folder, long uid) {
        return PATH + "/raw?folder=" + enc(folder) + "&uid=" + uid;
    }

    public static String partUrl(String folder, long uid, String part) {
        return PATH + "/part?folder=" + enc(folder) + "&uid=" + uid + "&part=" + enc(part);
    }

    static String cidUrl(String folder, long uid, String cid) {
        return PATH + "/cid?folder=" + enc(folder) + "&uid=" + uid + "&cid=" + enc(cid);
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Cache-Control", "private, no-store");
        Optional<String> account = WebSession.account(request.getSession(false));
        if (account.isEmpty()) {
            response.sendError(HttpServletResponse.SC_FORBIDDEN);
            return;
        }
        String folder = request.getParameter("folder");
        long uid;
        try {
            uid = Long.parseLong(request.getParameter("uid"));
        } catch (NumberFormatException | NullPointerException e) {
            response.sendError(HttpServletResponse.SC_BAD_REQUEST);
            return;
        }
        if (folder == null) {
            response.sendError(HttpServletResponse.SC_BAD_REQUEST);
            return;
        }
        WebmailServices services = WebmailServices.of(getServletContext());
        try (Mailbox mailbox = services.store().account(account.get()).open(folder, true, event -> { })) {
            var meta = mailbox.message(uid);
            if (meta.isEmpty()) {
                response.sendError(HttpServletResponse.SC_NOT_FOUND);
                return;
            }
            String what = request.getPathInfo() == null ? "" : request.getPathInfo();
            if (!what.equals("/raw") && meta.get().size() > services.config().get().maxDisplaySize().bytes()) {
                // Too big to parse for display: only the whole message may be downloaded.
                response.sendError(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
                return;
            }
            switch (what) {
                case "/raw" -> raw(mailbox, uid, response);
                case "/html" -> html(mailbox, folder, uid, "1".equals(request.getParameter("images")), response);
                case "/part" -> part(mailbox, uid, request.getParameter("part"), response);
                case "/cid" -> cid(mailbox, uid, request.getParameter("cid"), response);
                default -> response.sendError(HttpServletResponse.SC_NOT_FOUND);
            }
        } catch (MailboxNotFoundException | InvalidMailboxNameException e) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
        } catch (IOException e) {
            LOG.warn("serving {} uid {} failed", folder, uid, e);
            if (!response.isCommitted()) {
                response.sendError(HttpServletResponse.SC_INTERNAL_SERVER_ERROR);
            }
        }
    }

    private static void html(Mailbox mailbox, String folder, long uid, boolean images, HttpServletResponse response)
            throws IOException {
        ReadMessage message;
        try (InputStream in = mailbox.open(uid)) {
            message = MessageReader.read(in);
        }
        String body = message.html() == null ? "" : HtmlSanitizer.sanitize(message.html(), images,
                cid -> cidUrl(folder, uid, cid)).html();
        response.setHeader("Content-Security-Policy", framePolicy(images));
        response.setHeader("X-Frame-Options", "SAMEORIGIN");
        response.setContentType("text/html; charset=utf-8");
        response.getWriter().write("<!DOCTYPE html><html><head><meta charset=\"utf-8\">"
                + "<meta name=\"referrer\" content=\"no-referrer\"><style>body{font-family:sans-serif;margin:8px;"
                + "overflow-wrap:anywhere}img{max-width:100%;height:auto}</style></head><body>" + body + "</body></html>");
    }

    private static void part(Mailbox mailbox, long uid, String part, HttpServletResponse response) throws IOException {
        if (part == null || !part.matches("\\d{1,4}(\\.\\d{1,4}){0,31}")) {
            response.sendError(HttpServletResponse.SC_BAD_REQUEST);
            return;
        }
        Optional<MessageReader.PartContent> content;
        try (InputStream in = mailbox.open(uid)) {
            content = MessageReader.part(in, part);
        }
        if (content.isEmpty()) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        MessageReader.PartContent c = content.get();
        String type = c.mimeType() == null || !c.mimeType().matches("[\\w.+-]+/[\\w.+-]+")
                ? "application/octet-stream" : c.mimeType().toLowerCase(Locale.ROOT);
        response.setContentType(type);
        response.setHeader("Content-Disposition", contentDisposition(c.filename() == null ? "part-" + part : c.filename()));
        // Even if a browser ignored the disposition, nothing in it could run.
        response.setHeader("Content-Security-Policy", "default-src 'none'; sandbox");
        response.setContentLength(c.data().length);
        response.getOutputStream().write(c.data());
    }

    /** The message as stored, as a download (RFC 2046 §5.2.1 message/rfc822). */
    private static void raw(Mailbox mailbox, long uid, HttpServletResponse response) throws IOException {
        response.setContentType("message/rfc822");
        response.setHeader("Content-Disposition", contentDisposition("message-" + uid + ".eml"));
        response.setHeader("Content-Security-Policy", "default-src 'none'; sandbox");
        try (InputStream in = mailbox.open(uid)) {
            in.transferTo(response.getOutputStream());
        }
    }

    private static void cid(Mailbox mailbox, long uid, String cid, HttpServletResponse response) throws IOException {
        if (cid == null) {
            response.sendError(HttpServletResponse.SC_BAD_REQUEST);
            return;
        }
        Optional<MessageReader.PartContent> content;
        try (InputStream in = mailbox.open(uid)) {
            content = MessageReader.byContentId(in, cid);
        }
        if (content.isEmpty() || content.get().mimeType() == null
                || !INLINE_IMAGES.contains(content.get().mimeType().toLowerCase(Locale.ROOT))) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND); // SVG and anything else: download only
            return;
        }
        response.setContentType(content.get().mimeType().toLowerCase(Locale.ROOT));
        response.setHeader("Content-Security-Policy", "default-src 'none'; sandbox");
        response.getOutputStream().write(content.get().data());
    }

    /** RFC 6266 with an RFC 8187 UTF-8 name and an ASCII fallback. */
    static String contentDisposition(String filename) {
        String ascii = filename.replaceAll("[^\\x20-\\x7e]", "_").replace("\"", "_").replace("\\", "_");
        String utf8 = URLEncoder.encode(filename, StandardCharsets.UTF_8).replace("+", "%20");
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + utf8;
    }
}
