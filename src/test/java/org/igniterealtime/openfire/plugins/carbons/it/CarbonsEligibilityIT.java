package org.igniterealtime.openfire.plugins.carbons.it;

import org.jivesoftware.smack.packet.ExtensionElement;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.MessageBuilder;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Which messages are carbon-copied (XEP-0280 §6.1, urn:xmpp:carbons:rules:0), judged on both sides at once:
 * alice/A1 writes to bob/B1 while alice/A2 and bob/B2 have carbons enabled.
 */
class CarbonsEligibilityIT extends CarbonsTestBase {

    static Stream<Arguments> messages() {
        return Stream.of(
            rule("chat with body", true, m -> m.ofType(Message.Type.chat).setBody("hi")),
            rule("chat state in a chat", true, m -> m.ofType(Message.Type.chat).addExtension(element("composing", "http://jabber.org/protocol/chatstates"))),
            rule("normal with body", true, m -> m.ofType(Message.Type.normal).setBody("hi")),
            rule("receipt request without body", true, m -> m.ofType(Message.Type.normal).addExtension(element("request", "urn:xmpp:receipts"))),
            rule("receipt without body", true, m -> m.ofType(Message.Type.normal).addExtension(withId("received", "urn:xmpp:receipts"))),
            rule("chat state in a normal message", true, m -> m.ofType(Message.Type.normal).addExtension(element("active", "http://jabber.org/protocol/chatstates"))),
            rule("chat marker", true, m -> m.ofType(Message.Type.normal).addExtension(withId("displayed", "urn:xmpp:chat-markers:0"))),
            rule("direct MUC invitation", true, m -> m.ofType(Message.Type.normal).addExtension(
                StandardExtensionElement.builder("x", "jabber:x:conference").addAttribute("jid", "lounge@conference.localhost").build())),
            rule("normal without body or IM payload", false, m -> m.ofType(Message.Type.normal).addExtension(element("x", "jabber:x:oob"))),
            rule("headline", false, m -> m.ofType(Message.Type.headline).setBody("news")),
            rule("groupchat", false, m -> m.ofType(Message.Type.groupchat).setBody("to all")),
            rule("error", false, m -> m.ofType(Message.Type.error).setBody("bounced")),
            rule("private", false, m -> m.ofType(Message.Type.chat).setBody("hi").addExtension(element("private", CARBONS))),
            rule("no-copy hint", false, m -> m.ofType(Message.Type.chat).setBody("hi").addExtension(element("no-copy", "urn:xmpp:hints"))),
            rule("already a carbon", false, m -> m.ofType(Message.Type.chat).addExtension(
                StandardExtensionElement.builder("received", CARBONS).addElement(
                    StandardExtensionElement.builder("forwarded", "urn:xmpp:forward:0").addElement(
                        StandardExtensionElement.builder("message", "jabber:client")
                            .addAttribute("from", "carol@localhost/C1").addAttribute("to", "alice@localhost/A1")
                            .addAttribute("type", "chat").addElement("body", "earlier").build()).build()).build())));
    }

    @ParameterizedTest(name = "{0}: copied = {1}")
    @MethodSource("messages")
    void copiedToBothSidesExactlyWhenEligible(String what, boolean eligible, Consumer<MessageBuilder> shape) throws Exception {
        a2.enableCarbons();
        b2.enableCarbons();

        final MessageBuilder message = message(a1, "bob@localhost/B1");
        shape.accept(message);
        a1.send(message.build());
        flush(a1, b1, a2, b2);

        final List<Message> sentCopies = sent(a2);
        final List<Message> receivedCopies = received(b2);
        assertEquals(eligible ? 1 : 0, sentCopies.size(), what + ": sent carbons for alice/A2");
        assertEquals(eligible ? 1 : 0, receivedCopies.size(), what + ": received carbons for bob/B2");
        assertTrue(received(a2).isEmpty() && sent(b2).isEmpty(), "no carbon of the wrong kind");
        if (eligible) {
            assertEquals(Message.Type.fromString(message.build().getType().name()), sentCopies.get(0).getType());
        }
    }

    private static Arguments rule(String what, boolean eligible, Consumer<MessageBuilder> shape) {
        return Arguments.of(what, eligible, shape);
    }

    private static ExtensionElement withId(String name, String namespace) {
        return StandardExtensionElement.builder(name, namespace).addAttribute("id", "m1").build();
    }
}
