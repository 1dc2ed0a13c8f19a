package org.igniterealtime.openfire.plugins.carbons.engine;

import org.dom4j.Element;
import org.dom4j.tree.DefaultElement;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.function.Consumer;

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
    void whatTheClientReadsIsTheWrapperOfTheSpecification() {
        final Message original = bobToAlice("chat", "<body>hi</body>");
        final Message carbon = CarbonWrapper.wrap(original, Direction.SENT, new JID("alice@example.org/A1"))
            .addressedTo(new JID("alice@example.org/A2"));
        final String xml = carbon.getElement().asXML();
        assertTrue(xml.matches("<message type=\"chat\" from=\"alice@example.org\" id=\"carbon-[0-9a-z]+\" to=\"alice@example.org/A2\">"
            + "<sent xmlns=\"urn:xmpp:carbons:2\"><forwarded xmlns=\"urn:xmpp:forward:0\"><message xmlns=\"jabber:client\" .*"
            + "</message></forwarded></sent></message>"), xml);
        final Message normal = CarbonWrapper.wrap(bobToAlice("normal", "<body>hi</body>"), Direction.RECEIVED,
            new JID("alice@example.org/A1")).addressedTo(new JID("alice@example.org/A2"));
        assertEquals(Message.Type.normal, normal.getType());
        assertEquals("alice@example.org", normal.getFrom().toString());
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

    /** What dom4j itself writes for this copy: the reference every shared serialisation must match. */
    private static String plainXml(Message copy) {
        final Element plain = copy.getElement().createCopy();
        assertEquals(DefaultElement.class, plain.getClass());
        return plain.asXML();
    }

    @Test
    void copiesShareTheSerialisedWrapperAndWriteExactlyWhatDom4jWrites() {
        final Message original = bobToAlice("chat", "<body>a &amp; b &lt;c&gt; \"q\" \u00e9\u20ac</body><thread>t1</thread>"
            + "<x xmlns='jabber:x:oob' a='1&amp;2'><url>http://x/?a=1&amp;b=2</url></x><!-- c --><![CDATA[d]]>");
        final CarbonWrapper wrapper = CarbonWrapper.wrap(original, Direction.RECEIVED, new JID("alice@example.org/A1"));
        for (String resource : List.of("A2", "A3", "phone.x1", "a&b", "r\u00e9sum\u00e9", "x\"y", "l<t>g")) {
            final Message copy = wrapper.addressedTo(new JID("alice@example.org/" + resource));
            assertEquals(plainXml(copy), copy.getElement().asXML(), resource);
            assertEquals(plainXml(copy), copy.toXML(), resource);
            assertEquals(CarbonCopyElement.plain(resource), ((CarbonCopyElement) copy.getElement()).sharesText(),
                "shared unless 'to' needs escaping: " + resource);
        }
        final Message normal = bobToAlice(null, "<body>x</body>");
        final Message copy = CarbonWrapper.wrap(normal, Direction.SENT, new JID("bob@example.org/B1"))
            .addressedTo(new JID("bob@example.org/B2"));
        assertEquals(plainXml(copy), copy.toXML());
    }

    @Test
    void bothSidesShareOneForwardedMessageAndStillWriteExactlyWhatDom4jWrites() {
        final List<Message> originals = List.of(
            bobToAlice("chat", "<body>x</body>"),
            bobToAlice("chat", "<body xml:lang='de'>x</body><forwarded xmlns='urn:xmpp:forward:0'><message xmlns='jabber:client'"
                + " from='c@example.org'><body>quoted</body></message></forwarded>"),
            bobToAlice("chat", "<p:x xmlns:p='urn:example:p' p:a='1'><p:y/><z xmlns=''/></p:x><received xmlns='urn:example:other'/>"),
            bobToAlice("normal", "<body>x</body><sent xmlns='urn:xmpp:carbons:1'/><forwarded xmlns='urn:xmpp:forward:0'/>"));
        for (Message original : originals) {
            final CarbonWrapper.Forwarded forwarded = CarbonWrapper.forward(original);
            final CarbonWrapper sent = CarbonWrapper.wrap(forwarded, Direction.SENT, new JID("bob@example.org"));
            final CarbonWrapper received = CarbonWrapper.wrap(forwarded, Direction.RECEIVED, new JID("alice@example.org"));
            for (Message copy : List.of(sent.addressedTo(new JID("bob@example.org/B2")), received.addressedTo(new JID("alice@example.org/A2")),
                sent.addressedTo(new JID("bob@example.org/B3")), received.addressedTo(new JID("alice@example.org/A3")))) {
                assertTrue(((CarbonCopyElement) copy.getElement()).sharesText());
                assertEquals(plainXml(copy), copy.toXML(), original.toXML());
            }
            assertEquals(CarbonWrapper.wrap(original, Direction.SENT, new JID("bob@example.org")).addressedTo(new JID("bob@example.org/B2"))
                .toXML().replaceAll(" id=\"carbon-[^\"]*\"", ""), sent.addressedTo(new JID("bob@example.org/B2")).toXML()
                .replaceAll(" id=\"carbon-[^\"]*\"", ""), "the same wrapper as one made on its own");
        }
    }

    @Test
    void theWrapperAroundTheForwardedMessageIsWrittenAsDom4jWritesIt() {
        for (String type : java.util.Arrays.asList(null, "chat", "normal", "headline", "error")) {
            for (Direction direction : Direction.values()) {
                final Element template = CarbonWrapper.wrap(bobToAlice(type, "<body>x</body>"), direction,
                    new JID("alice@example.org")).template();
                assertEquals(List.of(CarbonCopyElement.Shape.split(template)),
                    List.of(CarbonCopyElement.Shape.plainSplit(template)), type + " " + direction);
            }
        }
        final Element odd = CarbonWrapper.wrap(bobToAlice("chat", "<body>x</body>"), Direction.SENT,
            new JID("alice@example.org")).template();
        odd.addAttribute("xml:lang", "en");
        assertEquals(List.of(CarbonCopyElement.Shape.split(odd)), List.of(CarbonCopyElement.Shape.plainSplit(odd)));
        odd.addAttribute(org.dom4j.QName.get("a", "p", "urn:example:p"), "1");
        assertEquals(null, CarbonCopyElement.Shape.plainSplit(odd), "an attribute in a namespace is left to dom4j");
        odd.remove(odd.attribute(odd.attributeCount() - 1));
        odd.addAttribute("x", "a&b");
        assertEquals(null, CarbonCopyElement.Shape.plainSplit(odd), "a value that needs escaping is left to dom4j");
    }

    @Test
    void aCopyChangedByAnotherInterceptorIsWrittenAsChanged() {
        final CarbonWrapper wrapper = CarbonWrapper.wrap(bobToAlice("chat", "<body>x</body><thread>t</thread>"),
            Direction.RECEIVED, new JID("alice@example.org"));
        final List<Consumer<Message>> changes = List.of(
            m -> m.getElement().addAttribute("xml:lang", "en"),
            m -> m.setFrom("mallory@example.org"),
            m -> m.setType(Message.Type.normal),
            m -> m.setID("other"),
            m -> inner(m).element("body").setText("changed"),
            m -> inner(m).element("body").addAttribute("xml:lang", "de"),
            m -> inner(m).remove(inner(m).element("thread")),
            m -> inner(m).addElement("active", "http://jabber.org/protocol/chatstates"),
            m -> inner(m).addAttribute("id", "other"),
            m -> m.getElement().addElement("store", "urn:xmpp:hints"),
            m -> m.getElement().element("received").element("forwarded").addElement("delay", "urn:xmpp:delay"),
            m -> ((org.dom4j.Text) inner(m).element("body").node(0)).setText("in place"),
            m -> inner(m).element("body").attributes().add(org.dom4j.DocumentHelper.createAttribute(null, "a", "b")),
            m -> m.getElement().remove(m.getElement().attribute("to")));
        for (int i = 0; i < changes.size(); i++) {
            final Message copy = wrapper.addressedTo(new JID("alice@example.org/A2"));
            final String before = copy.toXML();
            changes.get(i).accept(copy);
            assertTrue(!((CarbonCopyElement) copy.getElement()).sharesText(), "change " + i + " noticed");
            assertEquals(plainXml(copy), copy.toXML(), "change " + i);
            assertTrue(!before.equals(copy.toXML()), "change " + i + " shows");
        }
        final Message untouched = wrapper.addressedTo(new JID("alice@example.org/A3"));
        assertEquals(plainXml(untouched), untouched.toXML(), "other copies keep the shared text");
        assertTrue(((CarbonCopyElement) untouched.getElement()).sharesText());
    }

    @Test
    void storedAndSerialisedCopiesArePlainDom4jTrees() throws Exception {
        final Message copy = CarbonWrapper.wrap(bobToAlice("chat", "<body>x</body>"), Direction.RECEIVED,
            new JID("alice@example.org")).addressedTo(new JID("alice@example.org/A2"));
        assertEquals(DefaultElement.class, copy.createCopy().getElement().getClass(), "stream management keeps createCopy()");
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(copy.getElement()); // what a cluster task does with the stanza's element
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            final Object read = in.readObject();
            assertEquals(DefaultElement.class, read.getClass(), "another node needs nothing of this plugin");
            assertEquals(copy.toXML(), ((Element) read).asXML());
        }
    }

    private static Element inner(Message copy) {
        return copy.getElement().element("received").element("forwarded").element("message");
    }
}
