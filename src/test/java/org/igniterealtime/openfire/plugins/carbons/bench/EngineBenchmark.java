package org.igniterealtime.openfire.plugins.carbons.bench;

import org.dom4j.DocumentHelper;
import org.igniterealtime.openfire.plugins.carbons.engine.CarbonsEngine;
import org.igniterealtime.openfire.plugins.carbons.engine.CarbonsStatistics;
import org.igniterealtime.openfire.plugins.carbons.engine.CopiedMessages;
import org.igniterealtime.openfire.plugins.carbons.engine.Direction;
import org.igniterealtime.openfire.plugins.carbons.engine.Eligibility;
import org.igniterealtime.openfire.plugins.carbons.engine.EligibilityRules;
import org.igniterealtime.openfire.plugins.carbons.engine.InFlightMessage;
import org.igniterealtime.openfire.plugins.carbons.engine.MapDirectory;
import org.igniterealtime.openfire.plugins.carbons.engine.MucOccupancy;
import org.igniterealtime.openfire.plugins.carbons.engine.RuleSettings;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The engine's hot work: the eligibility decision on typical messages, and judging, planning and building the
 * copies for 1, 3 and 10 other carbons-enabled resources.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EngineBenchmark {

    private static final JID ORIGINAL_RECIPIENT = new JID("alice@example.org/R0");

    /** Typical messages for the decision. */
    @State(Scope.Thread)
    public static class Messages {
        @Param({"chat", "receipt", "chatState", "groupchat", "private"})
        public String kind;

        Message message;

        @Setup
        public void setUp() throws Exception {
            final String children = switch (kind) {
                case "receipt" -> "<received xmlns='urn:xmpp:receipts' id='r1'/>";
                case "chatState" -> "<active xmlns='http://jabber.org/protocol/chatstates'/>";
                case "private" -> "<body>hi</body><private xmlns='urn:xmpp:carbons:2'/><no-copy xmlns='urn:xmpp:hints'/>";
                default -> "<body>Hello, how are you today?</body><active xmlns='http://jabber.org/protocol/chatstates'/>";
            };
            final String type = switch (kind) {
                case "receipt", "chatState" -> "normal";
                case "groupchat" -> "groupchat";
                default -> "chat";
            };
            message = parse("<message xmlns='jabber:client' from='bob@example.org/B1' to='alice@example.org/A1' type='" + type
                + "' id='m1'>" + children + "</message>");
        }
    }

    /** A chat message to a user with the given number of other carbons-enabled resources. */
    @State(Scope.Thread)
    public static class Recipients {
        @Param({"1", "3", "10"})
        public int resources;

        Message chat;
        CarbonsEngine engine;

        @Setup
        public void setUp() throws Exception {
            chat = parse("<message xmlns='jabber:client' from='bob@example.org/B1' to='alice@example.org/A1' type='chat' id='m1'>"
                + "<body>Hello, how are you today?</body><active xmlns='http://jabber.org/protocol/chatstates'/></message>");
            final List<JID> enabled = new ArrayList<>();
            for (int i = 0; i <= resources; i++) {
                enabled.add(new JID("alice@example.org/R" + i));
            }
            final MapDirectory directory = new MapDirectory();
            directory.enabled.put("alice@example.org", enabled);
            directory.online.put("alice@example.org", enabled);
            engine = new CarbonsEngine(directory, new MucOccupancy(new ConcurrentHashMap<>()), new CopiedMessages(new ConcurrentHashMap<>()), RuleSettings.DEFAULTS,
                new CarbonsStatistics());
        }
    }

    private static Message parse(String xml) throws Exception {
        return new Message(DocumentHelper.parseText(xml).getRootElement());
    }

    /** The decision alone. */
    @Benchmark
    public Eligibility decide(Messages state) {
        return EligibilityRules.decide(state.message, Direction.RECEIVED, false, false, RuleSettings.DEFAULTS);
    }

    /** Judge, plan and build the copies of a chat message (the original went to R0, the others get copies). */
    @Benchmark
    public List<Message> copies(Recipients state) {
        final InFlightMessage inFlight = state.engine.beforeRouting(state.chat);
        inFlight.deliveredTo(ORIGINAL_RECIPIENT);
        return state.engine.afterRouting(inFlight);
    }

    /**
     * The copies, each then written as Openfire's connection writes a stanza (asXML): since issue 12 the copies of a
     * message share the forwarded message's text.
     */
    @Benchmark
    public int copiesWritten(Recipients state) {
        int length = 0;
        for (Message copy : copies(state)) {
            length += copy.getElement().asXML().length();
        }
        return length;
    }
}
