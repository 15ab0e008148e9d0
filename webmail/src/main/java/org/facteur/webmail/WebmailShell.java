package org.facteur.webmail;

import com.vaadin.flow.component.page.AppShellConfigurator;
import com.vaadin.flow.component.page.Push;
import com.vaadin.flow.shared.communication.PushMode;
import com.vaadin.flow.shared.ui.Transport;

/**
 * The page shell of every webmail view. Server push carries changes made elsewhere (a delivery, another IMAP
 * session) to open tabs without user action ({@code ui.LiveUpdates}).
 *
 * <p>{@link Transport#WEBSOCKET_XHR}: the server pushes over a WebSocket (RFC 6455, Jetty's ee10 Jakarta
 * WebSocket container, Atmosphere's client from {@code flow-push}, no npm), while the browser's own requests stay
 * ordinary XHR POSTs. Those carry the session cookie and the CSRF token as before, and only they count as the
 * user's activity: a tab left open still logs out after the idle timeout, since pushes are not requests.
 */
@Push(value = PushMode.AUTOMATIC, transport = Transport.WEBSOCKET_XHR)
public class WebmailShell implements AppShellConfigurator {
}
