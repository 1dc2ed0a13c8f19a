package org.igniterealtime.openfire.plugins.carbons.console;

import org.igniterealtime.openfire.plugins.carbons.cluster.CarbonsState;
import org.igniterealtime.openfire.plugins.carbons.engine.RuleSettings;
import org.jivesoftware.admin.PluginFilter;
import org.jivesoftware.openfire.SessionManager;
import org.jivesoftware.openfire.session.ClientSession;
import org.jivesoftware.util.JiveGlobals;
import org.jivesoftware.util.LocaleUtils;
import org.jivesoftware.util.StringUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.JID;

import javax.servlet.Filter;
import javax.servlet.FilterChain;
import javax.servlet.FilterConfig;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.text.MessageFormat;
import java.util.Date;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes Openfire's own session details page (Sessions &gt; Client Sessions &gt; a session) tell the truth about
 * carbons while the plugin is loaded.
 * <p>
 * The page shows "Message Carbons: Enabled/Disabled" from {@code ClientSession.isMessageCarbonsEnabled()}
 * (session-details.jsp, "Features &amp; Functionality", Openfire 5.1.1). The plugin keeps that flag cleared, and it
 * must: in Openfire 5.1.1 the flag is not a display value but the switch of the built-in carbons.
 * <ul>
 * <li>MessageRouter.route sends its own {@code <sent/>} copies to every other resource whose flag is set;</li>
 * <li>RoutingTableImpl.routeToLocalDomain -&gt; ccMessage sends its own {@code <received/>} copies to them;</li>
 * <li>RoutingTableImpl.routeToBareJID (shouldCarbonCopyToResource) delivers the <em>original</em> of a bare-JID
 * message to every resource whose flag is set, not only to the highest-priority one;</li>
 * <li>ClientSessionInfo carries the flag to the other cluster nodes (RemoteClientSession.isMessageCarbonsEnabled),
 * whose built-in carbons then act on it too, also on a node that does not run the plugin.</li>
 * </ul>
 * Setting the flag for the page's sake would therefore bring back a second carbons implementation with rules of its
 * own (Forwarded.isEligibleForCarbonsDelivery), change who gets originals, and leave exactly-once delivery to the
 * plugin winning a race against every one of those paths on every node, including routings that began before
 * the plugin was loaded. The takeover and hand-back (CarbonsActivation) rest on the opposite: the flag cleared means
 * the built-in carbons are silent, the flag set means they are in charge, and at every moment exactly one of the two
 * covers a session.
 * <p>
 * So the flag stays cleared and the page is corrected where it is rendered: Openfire's admin console runs the
 * filters plugins register with {@link PluginFilter} in front of its pages (web.xml maps PluginFilter to *.jsp,
 * before sitemesh; 4.2 to 5.1.1). For a session whose carbons the plugin holds, this filter replaces the
 * "Disabled" in the carbons row with "Enabled by the Message Carbons plugin since ..." and a link to the plugin's
 * status page for that user. Other sessions, other pages and markup it does not recognise pass unchanged. After an
 * unload the filter is gone and the flag is set again for every session that had carbons (hand-back), so
 * Openfire's own "Enabled" is true again.
 */
public final class SessionDetailsNote implements Filter {

    private static final Logger Log = LoggerFactory.getLogger(SessionDetailsNote.class);

    /** Openfire's page, as PluginFilter matches it (context path + servlet path, prefix match). */
    static final String PAGE = "/session-details.jsp";

    private final CarbonsState state;
    private final SessionManager sessions;
    private final Supplier<RuleSettings> settings;
    /** Openfire's own texts (openfire_i18n), in the server's locale, as the page renders them. */
    private final Function<String, String> openfireTexts;

    public SessionDetailsNote(CarbonsState state, SessionManager sessions, Supplier<RuleSettings> settings) {
        this(state, sessions, settings, LocaleUtils::getLocalizedString);
    }

    public SessionDetailsNote(CarbonsState state, SessionManager sessions, Supplier<RuleSettings> settings,
                       Function<String, String> openfireTexts) {
        this.state = state;
        this.sessions = sessions;
        this.settings = settings;
        this.openfireTexts = openfireTexts;
    }

    public void start() {
        PluginFilter.addPluginFilter(PAGE, this);
    }

    public void stop() {
        PluginFilter.removePluginFilter(PAGE, SessionDetailsNote.class.getName());
    }

    @Override
    public void init(FilterConfig config) {
    }

    @Override
    public void destroy() {
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        final Long since = request instanceof HttpServletRequest && response instanceof HttpServletResponse
            ? enabledSince(request.getParameter("jid")) : null;
        if (since == null) {
            chain.doFilter(request, response);
            return;
        }
        final BufferedResponse buffered = new BufferedResponse((HttpServletResponse) response);
        chain.doFilter(request, buffered);
        final String username = new JID(request.getParameter("jid")).getNode();
        buffered.finish(page -> withCarbonsValue(page, () -> note(since, username)));
    }

    /** When the session at this address enabled carbons with the plugin; null when it did not or is unknown. */
    private Long enabledSince(String jid) {
        if (jid == null) {
            return null;
        }
        try {
            final JID address = new JID(jid);
            final ClientSession session = address.getResource() == null ? null : sessions.getSession(address);
            return session == null ? null : state.enabledSince(session);
        } catch (IllegalArgumentException e) {
            return null; // not a JID: Openfire's page answers it
        }
    }

    /**
     * The page with the carbons row's value replaced by the given HTML, or unchanged when the row is not found. The
     * row is found by Openfire's texts in the server's locale: its label (session.details.cc-status) in the first
     * cell, then session.details.cc-disabled as the value (session-details.jsp, 5.1.1).
     */
    String withCarbonsValue(String page, Supplier<String> html) {
        final Pattern row = Pattern.compile("(>\\s*" + Pattern.quote(openfireTexts.apply("session.details.cc-status"))
            + "\\s*:?\\s*</td>\\s*<td[^>]*>)\\s*" + Pattern.quote(openfireTexts.apply("session.details.cc-disabled")) + "\\s*(</td>)");
        final Matcher matcher = row.matcher(page);
        if (!matcher.find()) {
            Log.debug("No carbons row found on Openfire's session details page; left as it is");
            return page;
        }
        return page.substring(0, matcher.end(1)) + html.get() + page.substring(matcher.start(2));
    }

    private String note(long since, String username) {
        final Locale locale = JiveGlobals.getLocale();
        final ResourceBundle texts = ResourceBundle.getBundle("carbons_i18n", locale, SessionDetailsNote.class.getClassLoader());
        final String text = settings.get().carbonsEnabled()
            ? new MessageFormat(texts.getString("carbons.session-details.enabled"), locale).format(new Object[]{JiveGlobals.formatDateTime(new Date(since))})
            : texts.getString("carbons.session-details.switched-off");
        final String link = "plugins/carbons/carbons-status.jsp?username=" + URLEncoder.encode(username == null ? "" : username, StandardCharsets.UTF_8);
        return "<span id=\"carbons-plugin-note\"><strong>" + StringUtils.escapeHTMLTags(text) + "</strong> &ndash; <a href=\""
            + StringUtils.escapeForXML(link) + "\">" + StringUtils.escapeHTMLTags(texts.getString("carbons.session-details.status-link")) + "</a></span>";
    }
}
