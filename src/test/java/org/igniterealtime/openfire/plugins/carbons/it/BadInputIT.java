package org.igniterealtime.openfire.plugins.carbons.it;

import org.igniterealtime.openfire.plugins.carbons.testserver.RawXmppClient;
import org.igniterealtime.openfire.plugins.carbons.testserver.RealServer;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 10,000 generated stanzas, written raw by two clients, that stretch what the plugin reads: carbons elements in
 * odd places and shapes, forwarded without a message, enable/disable with extra children or text, odd types,
 * missing or odd addresses, huge attributes, deep nesting. (Stanzas that are not XML, or invalid JIDs, are
 * Openfire's to refuse before the plugin sees them, so they are not generated.) The plugin never throws, every IQ is answered, and
 * carbons still work afterwards.
 */
class BadInputIT extends CarbonsTestBase {

    private static final int STANZAS = 10_000;
    private static final String[] ADDRESSES = {"alice@localhost/A1", "alice@localhost", "bob@localhost/B1", "localhost",
        "conference.localhost", "nobody@localhost/x", "room@conference.localhost/nick", "alice@localhost/gone", "alice@localhost/A1/extra"};
    private static final String[] TYPES = {null, "chat", "normal", "groupchat", "headline", "error"};
    private static final String C = "urn:xmpp:carbons:2";
    private static final String F = "urn:xmpp:forward:0";

    @Test
    void generatedStanzasNeverBreakThePlugin() throws Exception {
        a2.enableCarbons();
        final Path log = Path.of("target/openfire-it.log");
        final long logBefore = Files.size(log);
        final Random random = new Random(280);
        final List<String> iqIds = new ArrayList<>();
        final java.util.Map<String, String> sentIqs = new java.util.HashMap<>();
        try (RawXmppClient mallory = RawXmppClient.login(server.clientPort(), "carol", RealServer.PASSWORD, "fuzz1");
             RawXmppClient bobby = RawXmppClient.login(server.clientPort(), "bob", RealServer.PASSWORD, "fuzz2")) {
            final List<RawXmppClient> senders = List.of(mallory, bobby);
            final List<List<String>> idsBySender = List.of(new ArrayList<>(), new ArrayList<>());
            for (int i = 0; i < STANZAS; i++) {
                final int who = random.nextInt(2);
                if (random.nextInt(4) == 0) {
                    final String id = "fz-" + i;
                    final String stanza = iq(random, id);
                    sentIqs.put(id, stanza);
                    senders.get(who).write(stanza);
                    idsBySender.get(who).add(id);
                    iqIds.add(id);
                } else {
                    senders.get(who).write(message(random));
                }
            }
            for (int who = 0; who < 2; who++) {
                for (String id : idsBySender.get(who)) {
                    try {
                        senders.get(who).awaitAnswer(id, Duration.ofSeconds(20));
                    } catch (IllegalStateException e) {
                        throw new AssertionError("no answer to " + sentIqs.get(id).substring(0, Math.min(300, sentIqs.get(id).length())), e);
                    }
                }
                assertTrue(senders.get(who).isConnected(), "the server kept the connection");
            }
        }
        assertTrue(iqIds.size() > 2000, "enough IQs: " + iqIds.size());

        final String written = Files.readString(log).substring((int) logBefore);
        assertTrue(!written.contains("could not be processed") && !written.contains("could not be followed"),
            "the plugin never failed on a stanza");
        assertTrue(written.lines().noneMatch(line -> line.contains(" ERROR ")), "nothing in the Openfire log at ERROR");

        a1.clearInbox();
        a2.clearInbox();
        b1.chat("alice@localhost/A1", "still working");
        flush(b1, a1, a2);
        assertEquals(1, received(a2).size(), "carbons still work");
    }

    private static String message(Random random) {
        final StringBuilder xml = new StringBuilder("<message");
        if (random.nextInt(8) != 0) {
            xml.append(" to='").append(ADDRESSES[random.nextInt(ADDRESSES.length)]).append('\'');
        }
        final String type = TYPES[random.nextInt(TYPES.length)];
        if (type != null) {
            xml.append(" type='").append(type).append('\'');
        }
        xml.append(" id='m").append(random.nextInt()).append("'>");
        if (random.nextBoolean()) {
            xml.append("<body>fuzz</body>");
        }
        for (int i = random.nextInt(3); i > 0; i--) {
            xml.append(shape(random));
        }
        return xml.append("</message>").toString();
    }

    private static String shape(Random random) {
        return switch (random.nextInt(12)) {
            case 0 -> "<received xmlns='" + C + "'/>";
            case 1 -> "<sent xmlns='" + C + "'><forwarded xmlns='" + F + "'/></sent>";
            case 2 -> "<received xmlns='" + C + "'><forwarded xmlns='" + F + "'><message xmlns='jabber:client'><received xmlns='" + C
                + "'/></message></forwarded></received>";
            case 3 -> "<received xmlns='" + C + "'><forwarded xmlns='" + F + "'><iq type='get'/></forwarded></received>";
            case 4 -> "<private xmlns='" + C + "' junk='" + "x".repeat(random.nextInt(50) == 0 ? 200_000 : random.nextInt(5_000)) + "'/>";
            case 5 -> "<no-copy xmlns='urn:xmpp:hints'/>";
            case 6 -> "<x xmlns='http://jabber.org/protocol/muc#user'><invite/></x>";
            case 7 -> "<x xmlns='jabber:x:conference'/>";
            case 8 -> "<request xmlns='urn:xmpp:receipts'/>";
            case 9 -> deep(random.nextInt(200));
            case 10 -> "<enable xmlns='" + C + "'>text where none belongs</enable>";
            default -> "<received xmlns='" + C + "'>text<forwarded xmlns='" + F + "'>text</forwarded></received>";
        };
    }

    private static String deep(int depth) {
        return (("<received xmlns='" + C + "'><forwarded xmlns='" + F + "'>").repeat(depth)) + "<leaf/>"
            + ("</forwarded></received>".repeat(depth));
    }

    private static String iq(Random random, String id) {
        final String[] children = {"enable", "disable", "private", "received", "enable", "disable"};
        final String type = random.nextBoolean() ? "set" : "get";
        // Addressed to the server or a bare JID (which the server answers for); full JIDs are clients' to answer.
        final String[] servers = {"localhost", "alice@localhost", "bob@localhost", "carol@localhost"};
        final String to = random.nextInt(3) == 0 ? " to='" + servers[random.nextInt(servers.length)] + "'" : "";
        final String inner = switch (random.nextInt(4)) {
            case 0 -> "<extra xmlns='urn:example'/>";
            case 1 -> "some text";
            case 2 -> deep(random.nextInt(50));
            default -> "";
        };
        final String child = children[random.nextInt(children.length)];
        return "<iq type='" + type + "' id='" + id + "'" + to + "><" + child + " xmlns='" + C + "'>" + inner + "</" + child + "></iq>";
    }
}
