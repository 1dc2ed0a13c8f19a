package org.igniterealtime.openfire.plugins.carbons.testserver;

import org.jivesoftware.openfire.session.ClientSession;
import org.jivesoftware.util.LocaleUtils;
import org.jivesoftware.util.StringUtils;
import org.xmpp.packet.JID;

import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * Stands in for Openfire 5.1.1's own session details page (xmppserver/src/main/webapp/session-details.jsp), which
 * is not on Maven Central: the parts an administrator checks carbons with, in the same markup and from the same
 * sources. The "Features &amp; Functionality" table's carbons row reads {@code ClientSession.isMessageCarbonsEnabled()}
 * and shows session.details.cc-enabled or cc-disabled after the label session.details.cc-status, each cell laid out
 * as the JSP writes it; an unknown session redirects to session-summary.jsp. Texts come from Openfire's bundle
 * through LocaleUtils, as fmt:message does there (src/test/resources/openfire_i18n*.properties hold 5.1.1's texts).
 */
public final class SessionDetailsPage extends HttpServlet {

    /**
     * One row of the "Features &amp; Functionality" table as 5.1.1's JSP writes it: the label cell (class c1, a colon
     * after the text) and the value cell, whose text stands between the line breaks of the scriptlet that chose it.
     */
    public static String featuresRow(String label, String value) {
        return """
                            <tr>
                                <td class="c1">
                                    %s:
                                </td>
                                <td>
                                   \s
                                    %s
                                   \s
                                </td>
                            </tr>
            """.formatted(label, value);
    }

    private final EmbeddedOpenfire openfire;

    SessionDetailsPage(EmbeddedOpenfire openfire) {
        this.openfire = openfire;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        final String jid = request.getParameter("jid");
        final ClientSession session = jid == null ? null : openfire.server().getSessionManager().getSession(new JID(jid));
        if (session == null) {
            response.sendRedirect("session-summary.jsp");
            return;
        }
        response.setContentType("text/html; charset=UTF-8");
        final PrintWriter out = response.getWriter();
        out.println("<html>\n    <head>\n        <title>" + LocaleUtils.getLocalizedString("session.details.title") + "</title>"
            + "\n        <meta name=\"pageID\" content=\"session-summary\"/>\n    </head>\n    <body>");
        out.println("<p>Session details for <b>" + StringUtils.escapeHTMLTags(jid) + "</b></p>");
        out.println("""
                <div class="jive-table">
                    <table style="width: 100%%" id="features">
                        <thead>
                            <tr>
                                <th colspan="2">
                                    %s
                                </th>
                            </tr>
                        </thead>
                        <tbody>
                %s        </tbody>
                    </table>
                </div>
                    </body>
                </html>""".formatted(LocaleUtils.getLocalizedString("session.details.features"),
            featuresRow(LocaleUtils.getLocalizedString("session.details.cc-status"),
                LocaleUtils.getLocalizedString(session.isMessageCarbonsEnabled() ? "session.details.cc-enabled" : "session.details.cc-disabled"))));
    }
}
