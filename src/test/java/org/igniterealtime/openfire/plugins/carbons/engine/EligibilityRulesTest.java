package org.igniterealtime.openfire.plugins.carbons.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xmpp.packet.Message;

import java.util.Map;

import static org.igniterealtime.openfire.plugins.carbons.engine.Stanzas.BODY;
import static org.igniterealtime.openfire.plugins.carbons.engine.Stanzas.CHAT_STATE;
import static org.igniterealtime.openfire.plugins.carbons.engine.Stanzas.DIRECT_INVITE;
import static org.igniterealtime.openfire.plugins.carbons.engine.Stanzas.MARKER;
import static org.igniterealtime.openfire.plugins.carbons.engine.Stanzas.MEDIATED_INVITE;
import static org.igniterealtime.openfire.plugins.carbons.engine.Stanzas.MUC_USER;
import static org.igniterealtime.openfire.plugins.carbons.engine.Stanzas.RECEIPT;
import static org.igniterealtime.openfire.plugins.carbons.engine.Stanzas.bobToAlice;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * XEP-0280 §6.1 (urn:xmpp:carbons:rules:0) as a table: each row is a message and the verdict with its reason.
 */
class EligibilityRulesTest {

    private static final String RECEIPT_REQUEST = "<request xmlns='urn:xmpp:receipts'/>";
    private static final String PRIVATE = "<private xmlns='urn:xmpp:carbons:2'/>";
    private static final String NO_COPY = "<no-copy xmlns='urn:xmpp:hints'/>";
    private static final String CARBON = "<sent xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'/></sent>";
    private static final Map<String, String> CHILDREN = Map.ofEntries(
        Map.entry("BODY", BODY),
        Map.entry("RECEIPT_REQUEST", RECEIPT_REQUEST),
        Map.entry("RECEIPT", RECEIPT),
        Map.entry("CHAT_STATE", CHAT_STATE),
        Map.entry("MARKER", MARKER),
        Map.entry("PRIVATE", PRIVATE),
        Map.entry("NO_COPY", NO_COPY),
        Map.entry("DIRECT_INVITE", DIRECT_INVITE),
        Map.entry("MEDIATED_INVITE", MEDIATED_INVITE),
        Map.entry("CARBON", CARBON));

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
        chat      | BODY                 | CHAT
        chat      | CHAT_STATE           | CHAT
        chat      |                      | CHAT
        normal    | BODY                 | NORMAL_WITH_BODY
        <none>    | BODY                 | NORMAL_WITH_BODY
        normal    | RECEIPT_REQUEST      | IM_PAYLOAD
        normal    | RECEIPT              | IM_PAYLOAD
        normal    | CHAT_STATE           | IM_PAYLOAD
        normal    | MARKER               | IM_PAYLOAD
        normal    |                      | NOT_IM
        headline  | BODY                 | HEADLINE
        headline  | RECEIPT              | HEADLINE
        groupchat | BODY                 | GROUPCHAT
        groupchat | CHAT_STATE           | GROUPCHAT
        error     | BODY                 | ERROR
        error     | RECEIPT              | ERROR
        chat      | BODY PRIVATE         | PRIVATE
        chat      | BODY PRIVATE NO_COPY | PRIVATE
        chat      | BODY NO_COPY         | NO_COPY
        normal    | DIRECT_INVITE        | MUC_INVITATION
        normal    | MEDIATED_INVITE      | MUC_INVITATION
        chat      | BODY CARBON          | ALREADY_CARBON
        groupchat | CARBON               | ALREADY_CARBON
        """)
    void recommendedRules(String type, String children, Eligibility expected) {
        final Message message = bobToAlice("<none>".equals(type) ? null : type, expand(children));
        assertEquals(expected, EligibilityRules.decide(message, Direction.RECEIVED, false, false, RuleSettings.DEFAULTS));
        assertEquals(expected, EligibilityRules.decide(message, Direction.SENT, false, false, RuleSettings.DEFAULTS),
            "the same verdict for the sender's side");
    }

    @Test
    void mucPrivateMessagesAreCopiedWhenSentButNeverWhenReceived() {
        final Message pm = bobToAlice("chat", BODY);
        assertEquals(Eligibility.MUC_PRIVATE_INCOMING, EligibilityRules.decide(pm, Direction.RECEIVED, true, false, RuleSettings.DEFAULTS));
        assertEquals(Eligibility.MUC_PRIVATE_OUTGOING, EligibilityRules.decide(pm, Direction.SENT, true, false, RuleSettings.DEFAULTS));
        final Message tagged = bobToAlice("chat", BODY + MUC_USER);
        assertEquals(Eligibility.MUC_PRIVATE_INCOMING, EligibilityRules.decide(tagged, Direction.RECEIVED, false, false, RuleSettings.DEFAULTS),
            "the muc#user element marks a private message even from an unknown service");
        assertEquals(Eligibility.MUC_INVITATION, EligibilityRules.decide(bobToAlice("normal", MEDIATED_INVITE), Direction.RECEIVED, true, false, RuleSettings.DEFAULTS),
            "invitations from a room are copied");
    }

    @Test
    void settingsShapeTheRules() {
        final RuleSettings off = RuleSettings.DEFAULTS.withCarbonsEnabled(false);
        assertEquals(Eligibility.CARBONS_OFF, EligibilityRules.decide(bobToAlice("chat", BODY), Direction.RECEIVED, false, false, off));

        final RuleSettings basic = RuleSettings.DEFAULTS.withRules0(false);
        assertEquals(Eligibility.NOT_IM, EligibilityRules.decide(bobToAlice("normal", RECEIPT), Direction.RECEIVED, false, false, basic));
        assertEquals(Eligibility.CHAT, EligibilityRules.decide(bobToAlice("chat", BODY), Direction.RECEIVED, true, false, basic),
            "without rules:0 a MUC private chat message is an ordinary chat");

        final RuleSettings noPayloads = RuleSettings.DEFAULTS.withCopyImPayloads(false);
        assertEquals(Eligibility.NOT_IM, EligibilityRules.decide(bobToAlice("normal", CHAT_STATE), Direction.RECEIVED, false, false, noPayloads));
        assertEquals(Eligibility.CHAT, EligibilityRules.decide(bobToAlice("chat", CHAT_STATE), Direction.RECEIVED, false, false, noPayloads));

        final RuleSettings ignoreHint = RuleSettings.DEFAULTS.withHonourNoCopy(false);
        assertEquals(Eligibility.CHAT, EligibilityRules.decide(bobToAlice("chat", BODY + NO_COPY), Direction.RECEIVED, false, false, ignoreHint));
        assertEquals(Eligibility.PRIVATE, EligibilityRules.decide(bobToAlice("chat", BODY + PRIVATE + NO_COPY), Direction.RECEIVED, false, false, ignoreHint));
    }

    @Test
    void errorsAreCopiedOnlyWhenTheyAnswerACopiedMessage() {
        final Message error = bobToAlice("error", BODY);
        assertEquals(Eligibility.ERROR_REPLY, EligibilityRules.decide(error, Direction.RECEIVED, false, true, RuleSettings.DEFAULTS));
        assertEquals(Eligibility.ERROR, EligibilityRules.decide(error, Direction.RECEIVED, false, false, RuleSettings.DEFAULTS));
        assertEquals(Eligibility.ERROR, EligibilityRules.decide(error, Direction.RECEIVED, false, true,
            RuleSettings.DEFAULTS.withErrorReplies(false)));
        assertEquals(Eligibility.GROUPCHAT, EligibilityRules.decide(bobToAlice("groupchat", BODY), Direction.RECEIVED, false, true, RuleSettings.DEFAULTS),
            "only errors look at the copied ids");
    }

    @Test
    void unqualifiedBodyOfAServerBuiltMessageCounts() {
        final Message message = new Message();
        message.setType(Message.Type.normal);
        message.setBody("built in the server");
        assertEquals(Eligibility.NORMAL_WITH_BODY, EligibilityRules.decide(message, Direction.RECEIVED, false, false, RuleSettings.DEFAULTS));
    }

    @Test
    void everyReasonHasADescription() {
        for (Eligibility eligibility : Eligibility.values()) {
            assertEquals(false, eligibility.description().isBlank(), eligibility.name());
        }
    }

    private static String expand(String children) {
        return Stanzas.children(children, CHILDREN);
    }
}
