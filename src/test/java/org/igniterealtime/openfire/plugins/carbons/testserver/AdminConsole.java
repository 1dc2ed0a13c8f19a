package org.igniterealtime.openfire.plugins.carbons.testserver;

import org.apache.jasper.runtime.JspFactoryImpl;
import org.apache.tomcat.InstanceManager;
import org.apache.tomcat.SimpleInstanceManager;
import org.eclipse.jetty.ee8.servlet.FilterHolder;
import org.eclipse.jetty.ee8.servlet.ServletContextHandler;
import org.eclipse.jetty.ee8.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.jivesoftware.admin.PluginFilter;
import org.jivesoftware.openfire.auth.AuthToken;
import org.jivesoftware.openfire.container.Plugin;
import org.jivesoftware.openfire.container.PluginServlet;
import org.jivesoftware.util.LocaleFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.servlet.DispatcherType;
import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.ServletConfig;
import javax.servlet.ServletContext;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServlet;
import javax.servlet.jsp.JspFactory;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import javax.servlet.http.HttpSession;
import javax.xml.parsers.DocumentBuilderFactory;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The part of Openfire 5.x's admin console that plugin pages meet, for the tests and the sandbox: Jetty 12 ee8
 * with Jasper 9 (what Openfire 5.x runs), Openfire's own LocaleFilter (the plugin's i18n bundle in the server's
 * locale), a logged-in administrator in the HTTP session (what Openfire's login leaves there, so the pages can
 * write the admin event log), and a servlet that serves /plugins/&lt;name&gt;/ the way Openfire's PluginServlet
 * does: the servlets named in the deployed plugin's web/WEB-INF/web.xml, loaded by the plugin's class loader,
 * and the other files of its web/ directory. Openfire's page decoration (header, tabs, sidebar) is not
 * reproduced; a small stylesheet gives the pages the admin console's look for screenshots.
 */
public final class AdminConsole implements AutoCloseable {

    private static final Logger Log = LoggerFactory.getLogger(AdminConsole.class);
    public static final String ADMIN = "admin";
    /** Openfire's session details page (a stand-in, see SessionDetailsPage), where the plugin's pages link to. */
    public static final String SESSION_DETAILS = "/session-details.jsp";

    private final Server jetty;
    private final int port;

    private AdminConsole(Server jetty, int port) {
        this.jetty = jetty;
        this.port = port;
    }

    /** Serves the deployed plugin's pages on 127.0.0.1 (port 0: any free port). */
    public static AdminConsole start(EmbeddedOpenfire openfire, int port) throws Exception {
        openfire.ensureUser(ADMIN, "admin");
        final Server jetty = new Server();
        final ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        jetty.addConnector(connector);

        installJspRuntime();
        final ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
        context.setContextPath("/");
        // Precompiled pages need no JSP compiler and no TLD scanning, only Jasper's runtime: tag handler instances.
        context.setAttribute(InstanceManager.class.getName(), new SimpleInstanceManager());
        final EnumSet<DispatcherType> requests = EnumSet.of(DispatcherType.REQUEST);
        context.addFilter(new FilterHolder(new LoggedInAdmin()), "/*", requests);
        // Openfire's own PluginFilter, mapped as in Openfire's web.xml (*.jsp, before the locale and the decoration):
        // it runs the filters plugins register for Openfire's pages.
        context.addFilter(new FilterHolder(new PluginFilter()), "*.jsp", requests);
        context.addFilter(new FilterHolder(new LocaleFilter()), "/plugins/*", requests);
        context.addFilter(new FilterHolder(new AdminLook(openfire)), "/plugins/*", requests);
        context.addFilter(new FilterHolder(new AdminLook(openfire)), SESSION_DETAILS, requests);
        context.addServlet(new ServletHolder(new PluginPages(openfire)), "/plugins/*");
        context.addServlet(new ServletHolder(new SessionDetailsPage(openfire)), SESSION_DETAILS);
        context.addServlet(new ServletHolder(new Index()), "/");
        jetty.setHandler(context);
        jetty.start();
        final AdminConsole console = new AdminConsole(jetty, connector.getLocalPort());
        Log.info("Admin pages served on {}", console.url(""));
        return console;
    }

    /**
     * Compiled pages take Jasper's JSP factory when their class is initialised, which happens when Openfire loads the
     * plugin (its PluginServlet instantiates the servlets of web.xml). Openfire 5.x installs the factory when its
     * admin console starts, before any plugin; the in-process server must do the same before it loads the plugin.
     */
    static synchronized void installJspRuntime() throws ServletException {
        if (JspFactory.getDefaultFactory() == null) {
            JspFactory.setDefaultFactory(new JspFactoryImpl());
            // Openfire's PluginServlet instantiates and initialises the servlets of a plugin's web.xml when the plugin
            // loads, with the configuration its own init() received from the admin console's Jetty. Without an admin
            // console nobody calls init() and every plugin load ends in a NullPointerException; a servlet context of
            // its own (Jasper's instance manager included, as in the pages' context below) lets it do its job.
            final ServletContextHandler context = new ServletContextHandler();
            context.setAttribute(InstanceManager.class.getName(), new SimpleInstanceManager());
            new PluginServlet().init(new Config("PluginServlet", context.getServletContext()));
        }
    }

    /** The address of a page of Openfire's own console (served here only where a stand-in exists). */
    public String openfireUrl(String page) {
        return "http://127.0.0.1:" + port + "/" + page;
    }

    /** The address of a page of the carbons plugin. */
    public String url(String page) {
        return "http://127.0.0.1:" + port + "/plugins/" + EmbeddedOpenfire.PLUGIN_NAME + "/" + page;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() throws Exception {
        jetty.stop();
    }

    /** What Openfire's login leaves in the HTTP session: the administrator's token. */
    private static final class LoggedInAdmin implements Filter {
        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
            final HttpSession session = ((HttpServletRequest) request).getSession(true);
            if (session.getAttribute("jive.admin.authToken") == null) {
                session.setAttribute("jive.admin.authToken", new AuthToken(ADMIN));
            }
            chain.doFilter(request, response);
        }
    }

    /**
     * Stands in for Openfire's page decoration: links a stylesheet with the admin console's table and box styles
     * into each page, so that a screenshot looks like the page in Openfire.
     */
    private static final class AdminLook implements Filter {
        /**
         * The plugin's own response buffer (console.BufferedResponse). The tests keep the plugin's classes off their
         * class path (failsafe's classesDirectory), so it is taken from the loaded plugin's class loader.
         */
        private static final String BUFFERED_RESPONSE = "org.igniterealtime.openfire.plugins.carbons.console.BufferedResponse";

        private final EmbeddedOpenfire openfire;

        AdminLook(EmbeddedOpenfire openfire) {
            this.openfire = openfire;
        }

        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
            final Plugin plugin = openfire.pluginManager().getPlugin(EmbeddedOpenfire.PLUGIN_NAME);
            if (plugin == null) {
                chain.doFilter(request, response); // Openfire's own pages without the plugin: undecorated
                return;
            }
            final HttpServletResponse buffered;
            final Method finish;
            try {
                final Class<?> type = openfire.pluginManager().getPluginClassloader(plugin).loadClass(BUFFERED_RESPONSE);
                buffered = (HttpServletResponse) type.getConstructor(HttpServletResponse.class).newInstance(response);
                finish = type.getMethod("finish", UnaryOperator.class);
            } catch (ReflectiveOperationException e) {
                throw new ServletException("The plugin has no " + BUFFERED_RESPONSE, e);
            }
            chain.doFilter(request, buffered);
            try {
                finish.invoke(buffered, (UnaryOperator<String>) AdminLook::decorate);
            } catch (ReflectiveOperationException e) {
                throw new ServletException("Could not decorate the page", e);
            }
        }

        /** The stylesheet, and the page title as a heading, as Openfire's decorator shows it above the page. */
        static String decorate(String page) {
            final Matcher title = Pattern.compile("(?is)<title>(.*?)</title>").matcher(page);
            final String heading = title.find() ? "<h1>" + title.group(1).trim() + "</h1>" : "";
            return page.replaceFirst("(?i)</head>", "<link rel=\"stylesheet\" href=\"/admin-look.css\"/></head>")
                .replaceFirst("(?i)<body>", "<body>" + Matcher.quoteReplacement(heading));
        }
    }

    /** The servlets of the deployed plugin's web.xml and the files of its web/ directory, under /plugins/name/. */
    private static final class PluginPages extends HttpServlet {
        private final EmbeddedOpenfire openfire;
        private Plugin loaded;
        private Map<String, HttpServlet> servlets = Collections.emptyMap();

        PluginPages(EmbeddedOpenfire openfire) {
            this.openfire = openfire;
        }

        @Override
        protected void service(HttpServletRequest request, HttpServletResponse response) throws ServletException, IOException {
            final String path = request.getPathInfo() == null ? "" : request.getPathInfo();
            final String prefix = "/" + EmbeddedOpenfire.PLUGIN_NAME;
            final Plugin plugin = openfire.pluginManager().getPlugin(EmbeddedOpenfire.PLUGIN_NAME);
            if (!path.startsWith(prefix + "/") || plugin == null) {
                response.sendError(HttpServletResponse.SC_NOT_FOUND);
                return;
            }
            final String page = path.substring(prefix.length());
            final HttpServlet servlet = servletsOf(plugin).get(page);
            if (servlet != null) {
                servlet.service(request, response);
                return;
            }
            final Path web = openfire.home().resolve("plugins").resolve(EmbeddedOpenfire.PLUGIN_NAME).resolve("web");
            final Path file = web.resolve(page.substring(1)).normalize();
            if (!page.endsWith(".jsp") && file.startsWith(web) && Files.isRegularFile(file) && !file.toString().contains("WEB-INF")) {
                response.setContentType(getServletContext().getMimeType(file.toString()));
                Files.copy(file, response.getOutputStream());
            } else {
                response.sendError(HttpServletResponse.SC_NOT_FOUND);
            }
        }

        /** The plugin's servlets by URL pattern; loaded again when the plugin was reloaded. */
        private synchronized Map<String, HttpServlet> servletsOf(Plugin plugin) throws ServletException {
            if (plugin == loaded) {
                return servlets;
            }
            servlets.values().forEach(HttpServlet::destroy);
            final Map<String, HttpServlet> fresh = new HashMap<>();
            try {
                final Path webXml = openfire.home().resolve("plugins").resolve(EmbeddedOpenfire.PLUGIN_NAME).resolve("web/WEB-INF/web.xml");
                final Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(webXml.toFile());
                final Map<String, String> classes = new HashMap<>();
                final NodeList declared = document.getElementsByTagName("servlet");
                for (int i = 0; i < declared.getLength(); i++) {
                    final Element servlet = (Element) declared.item(i);
                    classes.put(text(servlet, "servlet-name"), text(servlet, "servlet-class"));
                }
                final ClassLoader loader = openfire.pluginManager().getPluginClassloader(plugin);
                final NodeList mappings = document.getElementsByTagName("servlet-mapping");
                for (int i = 0; i < mappings.getLength(); i++) {
                    final Element mapping = (Element) mappings.item(i);
                    final String name = text(mapping, "servlet-name");
                    final HttpServlet servlet = (HttpServlet) loader.loadClass(classes.get(name)).getDeclaredConstructor().newInstance();
                    servlet.init(new Config(name, getServletContext()));
                    fresh.put(text(mapping, "url-pattern"), servlet);
                }
            } catch (Exception e) {
                throw new ServletException("Cannot load the pages of the deployed plugin", e);
            }
            loaded = plugin;
            servlets = fresh;
            return servlets;
        }

        private static String text(Element parent, String child) {
            return parent.getElementsByTagName(child).item(0).getTextContent().trim();
        }
    }

    private record Config(String name, ServletContext context) implements ServletConfig {
        @Override
        public String getServletName() {
            return name;
        }

        @Override
        public ServletContext getServletContext() {
            return context;
        }

        @Override
        public String getInitParameter(String parameter) {
            return null;
        }

        @Override
        public Enumeration<String> getInitParameterNames() {
            return Collections.emptyEnumeration();
        }
    }

    /** A landing page with the plugin's pages, and the stylesheet of {@link AdminLook}. */
    private static final class Index extends HttpServlet {
        @Override
        protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
            if ("/admin-look.css".equals(request.getServletPath())) {
                response.setContentType("text/css");
                try (var css = AdminConsole.class.getResourceAsStream("/admin-look.css")) {
                    css.transferTo(response.getOutputStream());
                }
                return;
            }
            response.setContentType("text/html; charset=UTF-8");
            response.getOutputStream().write(("""
                <html><head><title>Message Carbons admin pages</title><link rel="stylesheet" href="/admin-look.css"/></head>
                <body><h1>Message Carbons admin pages</h1><ul>
                <li><a href="/plugins/carbons/carbons-status.jsp">Carbons Status</a> (Openfire: Sessions &gt; Message Carbons)</li>
                <li><a href="/plugins/carbons/carbons-settings.jsp">Message Carbons settings</a> (Openfire: Server &gt; Server Settings)</li>
                </ul></body></html>""").getBytes(StandardCharsets.UTF_8));
        }
    }
}
