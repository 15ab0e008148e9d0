package org.facteur.webmail;

import com.vaadin.flow.server.InitParameters;
import com.vaadin.flow.server.VaadinServlet;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.Objects;
import java.util.function.Supplier;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.webapp.Configuration;
import org.eclipse.jetty.ee10.webapp.MetaInfConfiguration;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.resource.ResourceFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.facteur.auth.Directory;
import org.facteur.auth.sasl.Authenticator;
import org.facteur.net.ClientAuth;
import org.facteur.net.TlsContextProvider;
import org.facteur.storage.MailStore;
import org.facteur.webmail.contacts.ContactBook;
import org.facteur.webmail.web.ContentServlet;
import org.facteur.webmail.web.SessionRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The webmail: Vaadin Flow on an embedded Jetty 12 (ee10) over HTTPS, in the same JVM as the mail servers, so
 * it reads the storage index directly instead of speaking IMAP.
 *
 * <p>Vaadin finds its routes and start-up hooks through the servlet container's annotation scan; the scan is
 * narrowed to Vaadin's jars and the webmail's own classes, which keeps start-up near a second instead of
 * scanning every jar of the server.
 */
public final class WebmailServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WebmailServer.class);

    /**
     * Jars and class folders the annotation scan looks at: Vaadin's (flow-*, vaadin-*) and the webmail's own
     * (its jar, or its classes folder when run from the build).
     */
    static final String SCAN_PATTERN =
            ".*/(flow-|vaadin-)[^/]*\\.jar$|.*/webmail[^/]*\\.jar$|.*/webmail/target/classes/?$";

    private final Supplier<WebmailConfig> config;
    private final TlsContextProvider tls;
    private final WebmailServices services;
    /** How often the listener looks for a certificate replaced in the {@link TlsContextProvider} (renewal, reload). */
    static final java.time.Duration CERTIFICATE_CHECK = java.time.Duration.ofSeconds(5);

    private org.facteur.webmail.settings.SettingsServices settings;
    private Server server;
    private ServerConnector connector;
    private java.util.concurrent.ScheduledExecutorService certificateWatch;
    private java.util.Optional<java.nio.file.FileSystem> pushScriptJar = java.util.Optional.empty();

    public WebmailServer(Supplier<WebmailConfig> config, TlsContextProvider tls, Authenticator authenticator,
                         Directory directory, MailStore store, MailSubmitter submitter, ContactBook contacts) {
        this.config = Objects.requireNonNull(config);
        this.tls = Objects.requireNonNull(tls);
        this.services = new WebmailServices(config, authenticator, directory, store, submitter, contacts,
                new SessionRegistry());
    }

    /** Users' settings, TOTP secrets and sender lists for the settings screens; call before {@link #start()}. */
    public WebmailServer settings(org.facteur.webmail.settings.SettingsServices settingsServices) {
        this.settings = settingsServices;
        return this;
    }

    public org.facteur.webmail.settings.SettingsServices settingsServices() {
        return settings;
    }

    public synchronized void start() throws Exception {
        if (server != null) {
            throw new IllegalStateException("already started");
        }
        WebmailConfig cfg = config.get();
        long t0 = System.nanoTime();
        QueuedThreadPool threads = new QueuedThreadPool(cfg.maxThreads(), Math.min(4, cfg.maxThreads()));
        threads.setName("webmail");
        Server s = new Server(threads);

        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        // One certificate for all names; browsers on an IP literal send no SNI.
        secure.setSniHostCheck(false);
        if (cfg.hstsMaxAge() > 0) {
            secure.setStsMaxAge(cfg.hstsMaxAge()); // RFC 6797
        }
        http.addCustomizer(secure);

        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setSslContext(tls.context());
        ssl.setIncludeProtocols(TlsContextProvider.PROTOCOLS.toArray(String[]::new));
        // The same policy as TlsContextProvider: TLS 1.3 suites and ECDHE with AEAD only.
        ssl.setIncludeCipherSuites("TLS_AES_.*", "TLS_CHACHA20_.*", "TLS_ECDHE_.*_GCM_.*",
                "TLS_ECDHE_.*_CHACHA20_POLY1305.*");
        ssl.setExcludeCipherSuites();
        ssl.setWantClientAuth(cfg.clientAuth() == ClientAuth.WANT);
        ssl.setNeedClientAuth(cfg.clientAuth() == ClientAuth.NEED);
        ssl.setEndpointIdentificationAlgorithm(null);

        connector = new ServerConnector(s, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(http));
        connector.setHost(cfg.address());
        connector.setPort(cfg.port());
        s.addConnector(connector);

        WebAppContext context = new WebAppContext();
        context.setContextPath("/");
        context.setBaseResource(ResourceFactory.of(context).newClassLoaderResource("org/facteur/webmail/webapp/"));
        context.setAttribute(MetaInfConfiguration.CONTAINER_JAR_PATTERN, SCAN_PATTERN);
        context.getConfigurations(); // loads the discovered ones, then ours takes MetaInfConfiguration's place
        context.removeConfiguration(MetaInfConfiguration.class);
        context.addConfiguration(new ClassPathScan());
        LOG.debug("configurations: {}", context.getConfigurations());
        context.setConfigurationDiscovered(true);
        context.setParentLoaderPriority(true);
        context.setThrowUnavailableOnStartupException(true);
        context.setAttribute(WebmailServices.ATTRIBUTE, services);
        if (settings != null) {
            context.setAttribute(org.facteur.webmail.settings.SettingsServices.ATTRIBUTE, settings);
        }

        // Sessions: cookies only over HTTPS, out of reach of scripts, not sent on cross-site requests.
        var sessions = context.getSessionHandler();
        sessions.setSecureCookies(true);
        sessions.setHttpOnly(true);
        sessions.setSameSite(HttpCookie.SameSite.STRICT);
        sessions.setMaxInactiveInterval((int) cfg.sessionIdleTimeout().toSeconds());
        sessions.setSessionCookie("FACTEUR_SESSION");
        sessions.setUsingUriParameters(false);
        sessions.addEventListener(services.sessions());

        ServletHolder vaadin = new ServletHolder("vaadin", VaadinServlet.class);
        vaadin.setInitParameter(InitParameters.SERVLET_PARAMETER_PRODUCTION_MODE, Boolean.toString(cfg.productionMode()));
        // Heartbeats keep a tab's UI alive but must not keep an idle session logged in.
        vaadin.setInitParameter(InitParameters.SERVLET_PARAMETER_CLOSE_IDLE_SESSIONS, "true");
        vaadin.setAsyncSupported(true);
        context.addServlet(vaadin, "/*");
        context.addServlet(new ServletHolder("content", new ContentServlet()), ContentServlet.PATH + "/*");

        pushScriptJar = org.facteur.webmail.web.PushScriptJar.open();
        s.setHandler(new SecurityHeaders(context));
        s.setStopAtShutdown(false);
        s.start();
        server = s;
        watchCertificate(ssl);
        LOG.info("webmail listening on https://{}:{}/ ({} ms)", cfg.address(), port(),
                (System.nanoTime() - t0) / 1_000_000);
    }

    /**
     * Jetty keeps the SSLContext it started with; when the provider's context is replaced (certificate renewal,
     * config reload), new connections get the new one. Connections already open keep theirs.
     */
    private void watchCertificate(SslContextFactory.Server ssl) {
        java.util.concurrent.atomic.AtomicReference<javax.net.ssl.SSLContext> current =
                new java.util.concurrent.atomic.AtomicReference<>(tls.context());
        certificateWatch = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                Thread.ofVirtual().name("webmail-certificate-watch").factory());
        certificateWatch.scheduleWithFixedDelay(() -> {
            javax.net.ssl.SSLContext now = tls.context();
            if (now != current.get()) {
                try {
                    ssl.reload(f -> f.setSslContext(now));
                    current.set(now);
                    LOG.info("webmail certificate reloaded");
                } catch (Exception e) {
                    LOG.warn("reloading the webmail certificate failed", e);
                }
            }
        }, CERTIFICATE_CHECK.toMillis(), CERTIFICATE_CHECK.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return connector == null ? -1 : connector.getLocalPort();
    }

    public WebmailServices services() {
        return services;
    }

    @Override
    public synchronized void close() throws IOException {
        if (certificateWatch != null) {
            certificateWatch.shutdownNow();
            certificateWatch = null;
        }
        if (server != null) {
            try {
                server.stop();
            } catch (Exception e) {
                throw new IOException("stopping the webmail failed", e);
            } finally {
                server = null;
                if (pushScriptJar.isPresent()) {
                    pushScriptJar.get().close();
                    pushScriptJar = java.util.Optional.empty();
                }
            }
        }
    }

    /**
     * Finds the jars to scan from the class loader rather than from {@code java.class.path} alone, which names
     * only one jar when the server runs from a jar whose manifest lists the others ({@code facteur.jar} and
     * {@code lib/}), or from Surefire's manifest-only jar.
     */
    static final class ClassPathScan extends MetaInfConfiguration {

        @Override
        public Class<? extends Configuration> replaces() {
            return MetaInfConfiguration.class;
        }

        @Override
        protected List<URI> getAllContainerJars(WebAppContext context) {
            Set<URI> uris = new LinkedHashSet<>();
            super.getAllContainerJars(context).forEach(uri -> uris.add(normalise(uri)));
            try {
                Enumeration<URL> manifests = WebmailServer.class.getClassLoader().getResources("META-INF/MANIFEST.MF");
                while (manifests.hasMoreElements()) {
                    String url = manifests.nextElement().toString();
                    if (url.startsWith("jar:") && url.contains("!/")) {
                        uris.add(normalise(URI.create(url.substring(4, url.indexOf("!/")))));
                    }
                }
                uris.add(normalise(WebmailServer.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
            } catch (IOException | URISyntaxException e) {
                LOG.warn("could not list the class path for the annotation scan", e);
            }
            // Jetty adds java.class.path's entries itself; listing them twice would scan them twice.
            for (String entry : System.getProperty("java.class.path", "").split(java.io.File.pathSeparator)) {
                if (!entry.isEmpty()) {
                    uris.remove(normalise(java.nio.file.Path.of(entry).toAbsolutePath().toUri()));
                }
            }
            return new ArrayList<>(uris);
        }

        /** One spelling per file ({@code file:/a} and {@code file:///a} are the same jar). */
        private static URI normalise(URI uri) {
            return "file".equals(uri.getScheme()) ? java.nio.file.Path.of(uri).toUri() : uri;
        }
    }

    /**
     * Headers every response carries. The message frame sets its own stricter policy (see {@link ContentServlet}).
     */
    static final class SecurityHeaders extends Handler.Wrapper {

        SecurityHeaders(Handler handler) {
            super(handler);
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            var headers = response.getHeaders();
            headers.put("X-Content-Type-Options", "nosniff");
            headers.put("Referrer-Policy", "no-referrer");
            headers.put("X-Frame-Options", "SAMEORIGIN");
            headers.put("Cross-Origin-Opener-Policy", "same-origin");
            return super.handle(request, response, callback);
        }
    }
}
