package org.facteur.webmail.ui;

import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import java.io.IOException;
import org.facteur.storage.MailboxInfo;
import org.facteur.webmail.WebmailServices;
import org.facteur.webmail.web.WebSession;

@Route("")
@PageTitle("Facteur webmail")
public class MailView extends VerticalLayout implements BeforeEnterObserver {

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        var account = WebSession.current();
        if (account.isEmpty()) {
            event.forwardTo(LoginView.class);
            return;
        }
        removeAll();
        Span who = new Span(account.get());
        who.setId("account");
        add(who);
        try {
            for (MailboxInfo info : WebmailServices.current().store().account(account.get()).mailboxes()) {
                Div folder = new Div(info.name());
                folder.addClassName("folder");
                add(folder);
            }
        } catch (IOException e) {
            add(new Span("Mail is unavailable: " + e.getMessage()));
        }
    }
}
