package org.igniterealtime.openfire.plugins.carbons.bench;

import org.igniterealtime.openfire.plugins.carbons.testserver.XmppClient;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smackx.carbons.packet.CarbonExtension;
import org.jivesoftware.smackx.csi.ClientStateIndicationManager;
import org.jxmpp.jid.impl.JidCreate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A check by hand of carbons to an inactive phone (XEP-0352) on a running Openfire 5.x on the loopback, as issue 16
 * describes it: alice's laptop and phone enable carbons, the phone says {@code <inactive/>}, bob writes to the laptop
 * and alice answers from it. Prints, per case, after how many milliseconds the phone had the stanza, or that it was
 * held back; then the phone says {@code <active/>} and the list of what it got, in order. Run it with and without the
 * plugin loaded (Openfire's own carbons) to compare.
 * <p>
 * {@code java -cp target/test-classes:target/classes:<test class path> ...bench.CsiCheck host:port domain alicePassword bobPassword [phoneHost:port]}
 * (users alice and bob must exist; the phone connects to the last address when given, another node of a cluster). The server's certificate is trusted whatever it is: only for a server on the
 * loopback that the person running this started.
 */
public final class CsiCheck {

    private static final Logger Log = LoggerFactory.getLogger(CsiCheck.class);
    private static final long HELD_AFTER_MS = 3_000;

    private final String domain;

    private CsiCheck(String domain) {
        this.domain = domain;
    }

    public static void main(String[] args) throws Exception {
        final CsiCheck check = new CsiCheck(args[1]);
        final String phoneServer = args.length > 4 ? args[4] : args[0];
        try (XmppClient laptop = check.login(args[0], "alice", args[2], "laptop");
             XmppClient phone = check.login(phoneServer, "alice", args[2], "phone");
             XmppClient bob = check.login(args[0], "bob", args[3], "desk")) {
            check.run(laptop, phone, bob);
        }
    }

    private XmppClient login(String server, String user, String password, String resource) throws Exception {
        return ExternalOpenfire.loginOverStartTls(server, domain, user, password, resource);
    }

    private void run(XmppClient laptop, XmppClient phone, XmppClient bob) throws Exception {
        for (XmppClient client : List.of(laptop, phone, bob)) {
            client.available(0);
        }
        laptop.enableCarbons();
        phone.enableCarbons();
        Log.info("CSI offered by the server: {}", ClientStateIndicationManager.isSupported(phone.connection()));
        Thread.sleep(500);
        phone.clearInbox();
        // No IQ may reach the phone from here on: Openfire never holds an IQ back, so it would flush the queue.
        ClientStateIndicationManager.inactive(phone.connection());
        Thread.sleep(300);

        final String alice = laptop.bareJid().toString();
        final String bobJid = bob.bareJid().toString();
        final List<String> report = new ArrayList<>();
        report.add(timed("bob -> phone itself, with a body (baseline)", phone, bob, chat(bob, alice + "/phone", "direct", null), "direct"));
        report.add(timed("bob -> laptop, with a body: <received/> carbon", phone, bob, chat(bob, alice + "/laptop", "hello", null), "hello"));
        report.add(timed("laptop -> bob, the answer: <sent/> carbon", phone, laptop, chat(laptop, bobJid + "/desk", "answer", null), "answer"));
        report.add(timed("bob -> laptop, OMEMO-encrypted, no body", phone, bob,
            chat(bob, alice + "/laptop", null, new StandardExtensionElement("encrypted", "eu.siacs.conversations.axolotl")), "encrypted"));
        report.add(timed("bob -> laptop, <composing/> only", phone, bob,
            chat(bob, alice + "/laptop", null, new StandardExtensionElement("composing", "http://jabber.org/protocol/chatstates")), "composing"));

        final List<String> beforeActive = describeAll(phone.drain(m -> true));
        ClientStateIndicationManager.active(phone.connection());
        Thread.sleep(1_000);
        final List<String> afterActive = describeAll(phone.drain(m -> true));
        report.forEach(line -> Log.info("{}", line));
        Log.info("held back until <active/>, then delivered in this order: {}", afterActive);
        Log.info("left over before <active/> (should be empty): {}", beforeActive);
    }

    private static Message chat(XmppClient from, String to, String body, StandardExtensionElement extension) throws Exception {
        final var builder = from.connection().getStanzaFactory().buildMessageStanza().to(JidCreate.from(to)).ofType(Message.Type.chat);
        if (body != null) {
            builder.setBody(body);
        }
        if (extension != null) {
            builder.addExtension(extension);
        }
        return builder.build();
    }

    /** Sends and measures until the phone has a message in which the word appears (its body or an element's name). */
    private static String timed(String label, XmppClient phone, XmppClient sender, Stanza stanza, String word) throws Exception {
        final long start = System.nanoTime();
        sender.send(stanza);
        final Predicate<Message> about = message -> describe(message).contains(word);
        final Message got = phone.await(about, HELD_AFTER_MS);
        return String.format("%-55s %s", label, got == null ? "held back (none within " + HELD_AFTER_MS + " ms)"
            : "at once: " + (System.nanoTime() - start) / 1_000_000 + " ms (" + describe(got) + ")");
    }

    private static List<String> describeAll(List<Message> messages) {
        return messages.stream().map(CsiCheck::describe).toList();
    }

    /** "received hello", "sent answer", "direct", "received encrypted", ... */
    private static String describe(Message message) {
        final CarbonExtension carbon = CarbonExtension.from(message);
        final Message inner = carbon == null ? message : (Message) carbon.getForwarded().getForwardedStanza();
        final String content = inner.getBody() != null ? inner.getBody()
            : inner.getExtensions().isEmpty() ? "(empty)" : inner.getExtensions().get(0).getElementName();
        return carbon == null ? content : carbon.getDirection().name().toLowerCase() + " " + content;
    }
}
