package org.igniterealtime.openfire.plugins.carbons.console;

import org.igniterealtime.openfire.plugins.carbons.cluster.CarbonsState;
import org.igniterealtime.openfire.plugins.carbons.engine.RuleSettings;
import org.jivesoftware.openfire.SessionManager;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.igniterealtime.openfire.plugins.carbons.testserver.SessionDetailsPage.featuresRow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.Mockito.mock;

/**
 * Finding the carbons row on Openfire's session details page, in the markup of 5.1.1's session-details.jsp
 * ({@link org.igniterealtime.openfire.plugins.carbons.testserver.SessionDetailsPage#featuresRow}) with 5.1.1's
 * English and French texts. AdminPagesIT shows the whole filter
 * in a browser.
 */
class SessionDetailsNoteTest {

    private static SessionDetailsNote note(Map<String, String> texts) {
        return new SessionDetailsNote(new CarbonsState(new ConcurrentHashMap<>()), mock(SessionManager.class),
            () -> RuleSettings.DEFAULTS, texts::get);
    }

    private static final Map<String, String> ENGLISH = Map.of("session.details.cc-status", "Message Carbons",
        "session.details.cc-disabled", "Disabled");

    @Test
    void theValueOfTheCarbonsRowIsReplaced() {
        final String page = "<table>" + featuresRow("Stream Management", "Disabled") + featuresRow("Message Carbons", "Disabled") + "</table>";

        final String corrected = note(ENGLISH).withCarbonsValue(page, () -> "<b>Enabled by the plugin</b>");

        assertEquals("<table>" + featuresRow("Stream Management", "Disabled")
            + featuresRow("Message Carbons", "Disabled").replaceFirst("(?s)<td>\\s*Disabled\\s*</td>", "<td><b>Enabled by the plugin</b></td>")
            + "</table>", corrected, "only the carbons row changes, not another row saying Disabled");
    }

    @Test
    void theRowIsFoundInTheServersLanguage() {
        final Map<String, String> french = Map.of("session.details.cc-status", "Message Carbones", "session.details.cc-disabled", "Désactivé");
        final String corrected = note(french).withCarbonsValue(featuresRow("Message Carbones", "Désactivé"), () -> "X");
        assertEquals(1, corrected.split("<td>X</td>", -1).length - 1);
    }

    @Test
    void anUnknownPageIsLeftAsItIs() {
        final String enabled = featuresRow("Message Carbons", "Enabled");
        assertEquals(enabled, note(ENGLISH).withCarbonsValue(enabled, () -> "X"), "Openfire already says Enabled");
        final String other = "<p>Message Carbons: Disabled</p>";
        assertEquals(other, note(ENGLISH).withCarbonsValue(other, () -> "X"), "markup it does not recognise");
    }
}
