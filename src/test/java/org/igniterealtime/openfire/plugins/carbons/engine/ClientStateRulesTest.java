package org.igniterealtime.openfire.plugins.carbons.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.xmpp.packet.JID;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "Would Openfire hold this message back from an inactive session?" as a table: each row is a message and whether
 * Openfire 5.0.x/5.1.1 delivers it at once (CsiManager.canDelay returns false) or lets it wait. A carbon of the message
 * is exactly as urgent.
 */
class ClientStateRulesTest {

    private static final String EMPTY_BODY = "<body/>";
    private static final String OMEMO = "<encrypted xmlns='eu.siacs.conversations.axolotl'><header sid='1'/></encrypted>";
    private static final String OMEMO2 = "<encrypted xmlns='urn:xmpp:omemo:2'><header sid='1'/></encrypted>";
    private static final String JMI_PROPOSE = "<propose xmlns='urn:xmpp:jingle-message:0' id='c1'><description xmlns='urn:xmpp:jingle:apps:rtp:1' media='audio'/></propose>";
    private static final String JMI_RETRACT = "<retract xmlns='urn:xmpp:jingle-message:1' id='c1'/>";
    private static final String SUBJECT = "<subject/>";
    private static final String NESTED_BODY = "<x xmlns='urn:example'><body>not the message's</body></x>";
    private static final Map<String, String> CHILDREN = Map.ofEntries(
        Map.entry("BODY", BODY),
        Map.entry("EMPTY_BODY", EMPTY_BODY),
        Map.entry("OMEMO", OMEMO),
        Map.entry("OMEMO2", OMEMO2),
        Map.entry("JMI_PROPOSE", JMI_PROPOSE),
        Map.entry("JMI_RETRACT", JMI_RETRACT),
        Map.entry("MEDIATED_INVITE", MEDIATED_INVITE),
        Map.entry("MUC_USER", MUC_USER),
        Map.entry("DIRECT_INVITE", DIRECT_INVITE),
        Map.entry("SUBJECT", SUBJECT),
        Map.entry("CHAT_STATE", CHAT_STATE),
        Map.entry("RECEIPT", RECEIPT),
        Map.entry("MARKER", MARKER),
        Map.entry("NESTED_BODY", NESTED_BODY));

    @ParameterizedTest(name = "{0} {1} -> at once: {2}")
    @CsvSource(delimiter = '|', textBlock = """
        chat      | BODY            | true
        chat      | EMPTY_BODY      | true
        normal    | BODY            | true
        chat      | BODY CHAT_STATE | true
        chat      | OMEMO           | true
        chat      | OMEMO2          | true
        chat      | JMI_PROPOSE     | true
        chat      | JMI_RETRACT     | true
        normal    | MEDIATED_INVITE | true
        groupchat | SUBJECT         | true
        chat      | CHAT_STATE      | false
        chat      | RECEIPT         | false
        chat      | MARKER          | false
        chat      |                 | false
        normal    | DIRECT_INVITE   | false
        normal    | MUC_USER        | false
        chat      | SUBJECT         | false
        chat      | NESTED_BODY     | false
        error     | RECEIPT         | false
        error     | BODY            | true
        """)
    void openfireDeliversAtOnceWhatMattersToTheUserAndLetsTheRestWait(String type, String children, boolean atOnce) {
        final Message message = bobToAlice(type, expand(children));
        assertEquals(atOnce, ClientStateRules.deliveredAtOnce(message.getElement()));
    }

    @Test
    void theForwardedMessageIsFoundInsideEitherKindOfCarbon() {
        final Message original = bobToAlice("chat", BODY);
        for (Direction direction : Direction.values()) {
            final CarbonCopy copy = CarbonWrapper.wrap(original, direction, new JID("alice@example.org")).addressedTo(new JID("alice@example.org/A2"));
            assertEquals("hi", ClientStateRules.forwardedMessage(copy.getElement()).elementText("body"));
        }
        assertNull(ClientStateRules.forwardedMessage(original.getElement()), "not a carbon");
        assertNull(ClientStateRules.forwardedMessage(bobToAlice("chat", "<received xmlns='urn:xmpp:carbons:2'/>").getElement()),
            "a carbon without a forwarded message");
    }

    @Test
    void aCopyIsAsUrgentAsItsMessageAndAnswersOnlyTheServersDecision() {
        final boolean[] deciding = {false};
        final ClientStateDecision server = copy -> deciding[0];
        final CarbonWrapper wrapper = CarbonWrapper.wrap(bobToAlice("chat", BODY), Direction.RECEIVED, new JID("alice@example.org"));
        final CarbonCopy urgent = wrapper.addressedTo(new JID("alice@example.org/A2"), server);
        assertTrue(urgent.urgent());
        assertNull(urgent.getBody(), "everyone else reads the wrapper's own body: none");
        deciding[0] = true;
        assertEquals("", urgent.getBody(), "the server's decision reads a body, so it delivers the copy at once");
        assertFalse(urgent.toXML().contains("<body/>"), "nothing is added to the stanza");

        final CarbonCopy typing = CarbonWrapper.wrap(bobToAlice("chat", CHAT_STATE), Direction.RECEIVED, new JID("alice@example.org"))
            .addressedTo(new JID("alice@example.org/A2"), server);
        assertFalse(typing.urgent());
        assertNull(typing.getBody(), "a chat state may wait");

        final CarbonCopy off = wrapper.addressedTo(new JID("alice@example.org/A3"));
        assertNull(off.getBody(), "without a decision to answer (setting off, or no CSI), the wrapper answers for itself");
    }

    @Test
    void aCarbonThatArrivedAsAPlainMessageBecomesACopyOfTheSameStanza() {
        final CarbonCopy made = CarbonWrapper.wrap(bobToAlice("chat", OMEMO), Direction.SENT, new JID("bob@example.org"))
            .addressedTo(new JID("bob@example.org/B2"));
        final Message plain = made.createCopy();
        assertFalse(plain instanceof CarbonCopy, "what a cluster task or stream management keeps is a plain message");
        final CarbonCopy again = CarbonCopy.of(plain, copy -> true);
        assertSame(plain.getElement(), again.getElement());
        assertEquals(Direction.SENT, again.direction());
        assertTrue(again.urgent(), "an encrypted message is urgent");
        assertNull(CarbonCopy.of(bobToAlice("chat", BODY), copy -> true), "not a carbon");
    }

    private static String expand(String children) {
        return Stanzas.children(children, CHILDREN);
    }
}
