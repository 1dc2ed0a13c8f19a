package org.igniterealtime.openfire.plugins.carbons.openfire;

import org.igniterealtime.openfire.plugins.carbons.engine.RuleSettings;
import org.jivesoftware.openfire.SessionManager;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.Mockito.mock;

/**
 * Finding the carbons row on Openfire's session details page. The markup is the "Features &amp; Functionality" row as
 * Openfire 5.1.1's session-details.jsp writes it (label cell with class c1 and a colon, value cell with the text
 * between scriptlet line breaks); the texts are 5.1.1's English and French ones. AdminPagesIT shows the whole filter
 * in a browser.
 */
class SessionDetailsNoteTest {

    private static final String ROW = """
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
        """;

    private static SessionDetailsNote note(Map<String, String> texts) {
        return new SessionDetailsNote(new CarbonsState(new ConcurrentHashMap<>()), mock(SessionManager.class),
            () -> RuleSettings.DEFAULTS, texts::get);
    }

    private static final Map<String, String> ENGLISH = Map.of("session.details.cc-status", "Message Carbons",
        "session.details.cc-disabled", "Disabled");

    @Test
    void theValueOfTheCarbonsRowIsReplaced() {
        final String page = "<table>" + ROW.formatted("Stream Management", "Disabled") + ROW.formatted("Message Carbons", "Disabled") + "</table>";

        final String corrected = note(ENGLISH).withCarbonsValue(page, () -> "<b>Enabled by the plugin</b>");

        assertEquals("<table>" + ROW.formatted("Stream Management", "Disabled")
            + ROW.formatted("Message Carbons", "Disabled").replaceFirst("(?s)<td>\\s*Disabled\\s*</td>", "<td><b>Enabled by the plugin</b></td>")
            + "</table>", corrected, "only the carbons row changes, not another row saying Disabled");
    }

    @Test
    void theRowIsFoundInTheServersLanguage() {
        final Map<String, String> french = Map.of("session.details.cc-status", "Message Carbones", "session.details.cc-disabled", "Désactivé");
        final String corrected = note(french).withCarbonsValue(ROW.formatted("Message Carbones", "Désactivé"), () -> "X");
        assertEquals(1, corrected.split("<td>X</td>", -1).length - 1);
    }

    @Test
    void anUnknownPageIsLeftAsItIs() {
        final String enabled = ROW.formatted("Message Carbons", "Enabled");
        assertEquals(enabled, note(ENGLISH).withCarbonsValue(enabled, () -> "X"), "Openfire already says Enabled");
        final String other = "<p>Message Carbons: Disabled</p>";
        assertEquals(other, note(ENGLISH).withCarbonsValue(other, () -> "X"), "markup it does not recognise");
    }
}
