package org.facteur.webmail.web;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Serves message bodies (sanitised HTML for the reading frame) and attachments to the logged-in user only. */
public class ContentServlet extends HttpServlet {

    public static final String PATH = "/content";

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (WebSession.account(request.getSession(false)).isEmpty()) {
            response.sendError(HttpServletResponse.SC_FORBIDDEN);
            return;
        }
        response.sendError(HttpServletResponse.SC_NOT_FOUND);
    }
}
