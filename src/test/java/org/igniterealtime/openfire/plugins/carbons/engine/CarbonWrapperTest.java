package org.igniterealtime.openfire.plugins.carbons.engine;

import org.dom4j.Element;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;

import static org.igniterealtime.openfire.plugins.carbons.engine.Stanzas.bobToAlice;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The wrapper exactly as XEP-0280 §7 and §8 show it. */
class CarbonWrapperTest {

    @Test
    void receivedWrapperMatchesTheSpecification() {
        final Message original = bobToAlice("chat", "<body>What man art thou?</body><thread>t1</thread>");
        final Message carbon = CarbonWrapper.wrap(original, Direction.RECEIVED, new JID("alice@example.org/A1"))
            .addressedTo(new JID("alice@example.org/A2"));

        assertEquals(Message.Type.chat, carbon.getType());
        assertEquals("alice@example.org", carbon.getFrom().toString(), "from the bare JID, never a full one");
        assertEquals("alice@example.org/A2", carbon.getTo().toString());
        final Element received = carbon.getChildElement("received", Namespaces.CARBONS);
        final Element forwarded = received.element("forwarded");
        assertEquals(Namespaces.FORWARD, forwarded.getNamespaceURI());
        final Element inner = forwarded.element("message");
        assertEquals(Namespaces.JABBER_CLIENT, inner.getNamespaceURI());
        assertEquals(original.getElement().asXML(), inner.asXML(), "the original, untouched");
        assertEquals(1, carbon.getElement().elements().size(), "nothing else in the wrapper");
    }

    @Test
    void sentWrapperKeepsTheType() {
        final Message original = bobToAlice("normal", "<body>x</body>");
        final Message carbon = CarbonWrapper.wrap(original, Direction.SENT, new JID("bob@example.org/B1"))
            .addressedTo(new JID("bob@example.org/B2"));
        assertEquals(Message.Type.normal, carbon.getType());
        assertEquals("bob@example.org", carbon.getFrom().toString());
        assertTrue(carbon.getChildElement("sent", Namespaces.CARBONS) != null);
    }

    @Test
    void eachRecipientGetsItsOwnCopyAndTheOriginalIsNotModified() {
        final Message original = bobToAlice("chat", "<body>x</body>");
        final String before = original.toXML();
        final CarbonWrapper wrapper = CarbonWrapper.wrap(original, Direction.RECEIVED, new JID("alice@example.org"));
        final Message first = wrapper.addressedTo(new JID("alice@example.org/A2"));
        final Message second = wrapper.addressedTo(new JID("alice@example.org/A3"));

        assertNotSame(first.getElement(), second.getElement());
        assertEquals("alice@example.org/A2", first.getTo().toString(), "addressing the second copy leaves the first alone");
        assertEquals(before, original.toXML());
    }

    @Test
    void messagesBuiltInsideTheServerAreForwardedInTheClientNamespace() {
        final Message built = new Message();
        built.setFrom("room@conference.example.org");
        built.setTo("alice@example.org");
        built.setBody("invitation");
        final Message carbon = CarbonWrapper.wrap(built, Direction.RECEIVED, new JID("alice@example.org"))
            .addressedTo(new JID("alice@example.org/A2"));
        final String xml = carbon.toXML();
        assertTrue(!xml.contains("xmlns=\"\""), "no element falls out of its namespace: " + xml);
        final Element inner = carbon.getChildElement("received", Namespaces.CARBONS).element("forwarded").element("message");
        assertEquals(Namespaces.JABBER_CLIENT, inner.element("body").getNamespaceURI());
    }
}
