package org.igniterealtime.openfire.plugins.carbons.openfire;

import org.dom4j.Element;
import org.igniterealtime.openfire.plugins.carbons.engine.CarbonWrapper;
import org.igniterealtime.openfire.plugins.carbons.engine.CarbonsEngine;
import org.igniterealtime.openfire.plugins.carbons.engine.CarbonsStatistics;
import org.igniterealtime.openfire.plugins.carbons.engine.ClientStateRules;
import org.igniterealtime.openfire.plugins.carbons.engine.CopiedMessages;
import org.igniterealtime.openfire.plugins.carbons.engine.Direction;
import org.igniterealtime.openfire.plugins.carbons.engine.MapDirectory;
import org.igniterealtime.openfire.plugins.carbons.engine.MucOccupancy;
import org.igniterealtime.openfire.plugins.carbons.engine.RoutingTracker;
import org.igniterealtime.openfire.plugins.carbons.engine.RuleSettings;
import org.jivesoftware.openfire.SessionManager;
import org.jivesoftware.openfire.interceptor.PacketInterceptor;
import org.jivesoftware.openfire.interceptor.PacketRejectedException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpp.packet.Packet;
import org.xmpp.packet.Presence;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/**
 * Carbons to a phone that told the server it is inactive (XEP-0352), delivered by Openfire 5.1.1 as modelled in
 * {@link ClientSessionModel} (LocalSession.process, LocalClientSession.deliver/pushPackets/reattach, CsiManager,
 * StreamManager's counting), with the plugin's real interceptor, engine and {@link ClientStateIndication} bound to the
 * model's classes the way it binds to Openfire's. Messages are routed as MessageRouter.route does: incoming interceptors
 * before and after the recipient session's process().
 */
class ClientStateDeliveryTest {

    private static final JID ALICE = new JID("alice@example.org");
    private static final JID LAPTOP = new JID("alice@example.org/laptop");
    private static final JID PHONE = new JID("alice@example.org/phone");
    private static final JID BOB = new JID("bob@example.org/desk");

    private final MapDirectory directory = new MapDirectory();
    private final CarbonsStatistics statistics = new CarbonsStatistics();
    private final Map<JID, ClientSessionModel> sessions = new ConcurrentHashMap<>();
    /** Openfire's interceptor list: the plugin's, then another plugin's that records what it is shown. */
    private final List<PacketInterceptor> interceptors = new CopyOnWriteArrayList<>();
    private final List<String> seenByOthers = new CopyOnWriteArrayList<>();
    private CarbonsEngine engine;
    private CarbonsInterceptor interceptor;
    private ClientSessionModel laptop;
    private ClientSessionModel phone;
    private ClientSessionModel bob;

    @BeforeEach
    void setUp() {
        engine = new CarbonsEngine(directory, new MucOccupancy(new ConcurrentHashMap<>()), new CopiedMessages(new ConcurrentHashMap<>()),
            RuleSettings.DEFAULTS, statistics);
        final ClientStateIndication csi = ClientStateIndication.detect(getClass().getClassLoader(), ClientSessionModel.class.getName(),
            ClientSessionModel.CsiManager.class.getName(), statistics);
        assertNotNull(csi, "the model has what the plugin looks for in Openfire 5");
        engine.clientState(csi);
        final SessionManager sessionManager = mock(SessionManager.class);
        when(sessionManager.getSession(any(JID.class))).thenAnswer(i -> sessions.get(i.<JID>getArgument(0)));
        interceptor = new CarbonsInterceptor(engine, new RoutingTracker(), sessionManager, directory, csi);
        interceptors.add(interceptor);
        interceptors.add((packet, session, incoming, processed) -> {
            if (!incoming && packet instanceof Message message && CarbonWrapper.isCopy(message) | message.getChildElement("received", "urn:xmpp:carbons:2") != null) {
                seenByOthers.add((processed ? "after " : "before ") + session.getAddress().getResource() + " body=" + message.getBody());
            }
        });
        laptop = session(LAPTOP);
        phone = session(PHONE);
        bob = session(BOB);
        directory.online.put(ALICE.toBareJID(), List.of(LAPTOP, PHONE));
        directory.enabled.put(ALICE.toBareJID(), List.of(LAPTOP, PHONE));
        directory.online.put(BOB.toBareJID(), List.of(BOB));
    }

    @Test
    void aCarbonOfAMessageWithABodyReachesAnInactivePhoneAtOnceAfterWhatWasHeldBackBeforeIt() {
        phone.enableStreamManagement();
        phone.clientSays("inactive");
        final Presence away = new Presence();
        away.setFrom(BOB);
        away.setTo(PHONE);
        phone.process(away);
        route(chatState(BOB, LAPTOP, "composing"));
        assertEquals(List.of(), phone.received(), "a presence update and a typing notification may wait");

        route(chat(BOB, LAPTOP, "hi"));

        assertEquals(List.of("presence", "received composing", "received hi"), describe(phone.received()),
            "Openfire pushed the queue and the carbon, in order");
        assertEquals(0, phone.queued());
        assertEquals(3, phone.unacknowledgedCount(), "stream management counted every stanza");
        assertEquals(1, statistics.atOnceToInactive(Direction.RECEIVED));
        assertEquals(List.of("message null", "message hi"), describe(laptop.received()), "the laptop, active, read the originals");
    }

    @Test
    void theSentCarbonOfTheAnswerAndOfAnEncryptedMessageArriveAtOnce() {
        phone.clientSays("inactive");
        route(chat(LAPTOP, BOB, "on my way"));
        final Message omemo = chatState(LAPTOP, BOB, null);
        omemo.addChildElement("encrypted", "urn:xmpp:omemo:2").addElement("header").addAttribute("sid", "1");
        route(omemo);
        assertEquals(List.of("sent on my way", "sent encrypted"), describe(phone.received()));
        assertEquals(2, statistics.atOnceToInactive(Direction.SENT));
        assertEquals(0, statistics.atOnceToInactive(Direction.RECEIVED));
    }

    @Test
    void chatStateCarbonsWaitUntilThePhoneTurnsActiveThenArriveOnceInOrder() {
        phone.enableStreamManagement();
        phone.clientSays("inactive");
        route(chatState(BOB, LAPTOP, "composing"));
        route(chatState(BOB, LAPTOP, "paused"));
        route(receipt(LAPTOP, BOB));
        assertEquals(List.of(), phone.received());
        assertEquals(3, phone.queued());

        phone.clientSays("active");

        assertEquals(List.of("received composing", "received paused", "sent received"), describe(phone.received()));
        assertEquals(3, phone.unacknowledgedCount());
        route(chatState(BOB, LAPTOP, "composing"));
        assertEquals(4, phone.received().size(), "active again: nothing waits");
        assertEquals(0, statistics.atOnceToInactive(Direction.RECEIVED) + statistics.atOnceToInactive(Direction.SENT));
    }

    @Test
    void withTheSettingOffEveryCarbonWaitsAsWithOpenfiresOwnCarbons() {
        engine.settings(RuleSettings.DEFAULTS.withPromptToInactive(false));
        phone.clientSays("inactive");
        route(chat(BOB, LAPTOP, "hi"));
        assertEquals(List.of(), phone.received());
        assertEquals(1, phone.queued());
        phone.process(plainCarbon(chat(BOB, LAPTOP, "from the other node")));
        assertEquals(2, phone.queued(), "a carbon from another node is not delivered again either");
        phone.clientSays("active");
        assertEquals(List.of("received hi", "received from the other node"), describe(phone.received()));
    }

    @Test
    void anActivePhoneGetsEveryCarbonAtOnceAndOtherPluginsNeverSeeABody() {
        route(chat(BOB, LAPTOP, "hi"));
        route(chatState(BOB, LAPTOP, "composing"));
        assertEquals(List.of("received hi", "received composing"), describe(phone.received()));
        assertEquals(0, statistics.atOnceToInactive(Direction.RECEIVED), "nothing was held back, so nothing is counted");
        phone.clientSays("inactive");
        route(chat(BOB, LAPTOP, "again"));
        assertEquals(List.of("before phone body=null", "after phone body=null", "before phone body=null", "after phone body=null",
            "before phone body=null", "after phone body=null"), seenByOthers, "the body answer is for Openfire's CSI alone");
        assertFalse(phone.received().get(2).toXML().contains("<body/>"), "nothing is added to what the phone reads");
    }

    @Test
    void theReceivedCarbonIsWrittenBeforeTheOriginalAsOpenfiresOwnCarbonsDo() {
        // RoutingTableImpl.routeToLocalDomain (5.1.1) calls ccMessage before the addressee's LocalSession.process:
        // the other devices' copies are on their way before the original is written. So are the plugin's.
        final List<String> written = new CopyOnWriteArrayList<>();
        interceptors.add((packet, session, incoming, processed) -> {
            if (!incoming && processed && packet instanceof Message) {
                written.add(session.getAddress().getResource() + ": " + describe(List.of(packet)).get(0));
            }
        });
        route(chat(BOB, LAPTOP, "hi"));
        assertEquals(List.of("phone: received hi", "laptop: message hi"), written);

        // The sent side still follows routing, as Openfire's MessageRouter.route sends it after routePacket.
        written.clear();
        route(chat(LAPTOP, BOB, "back"));
        assertEquals(List.of("desk: message back", "phone: sent back"), written);
    }

    @Test
    void privacyListsStillDecideFirst() {
        phone.clientSays("inactive");
        phone.privacy = packet -> !ALICE.equals(packet.getFrom());
        route(chat(BOB, LAPTOP, "hi"));
        assertEquals(List.of(), phone.received());
        assertEquals(0, phone.queued());
    }

    @Test
    void aCarbonFromAnotherClusterNodeIsDeliveredAtOnceToo() {
        phone.enableStreamManagement();
        phone.clientSays("inactive");
        phone.process(plainCarbon(chatState(BOB, LAPTOP, "composing")));
        assertEquals(1, phone.queued(), "a chat state from another node waits");
        seenByOthers.clear();

        // What RemoteSession.process's cluster task hands the phone's node: the element, as a plain Message.
        phone.process(plainCarbon(chat(BOB, LAPTOP, "hi")));

        assertEquals(List.of("received composing", "received hi"), describe(phone.received()));
        assertEquals(2, phone.unacknowledgedCount(), "delivered once");
        assertEquals(List.of("before phone body=null", "after phone body=null"), seenByOthers,
            "interceptors after the plugin's see the carbon once");
        assertEquals(1, statistics.atOnceToInactive(Direction.RECEIVED));

        phone.clientSays("active");
        phone.process(plainCarbon(chat(BOB, LAPTOP, "while active")));
        assertEquals(3, phone.received().size());
        assertEquals(3, phone.unacknowledgedCount());
    }

    @Test
    void aForgedCarbonIsDroppedNotHurried() {
        phone.clientSays("inactive");
        final Message forged = plainCarbon(chat(BOB, LAPTOP, "trust me"));
        forged.setFrom(BOB.asBareJID());
        phone.process(forged);
        assertEquals(List.of(), phone.received());
        assertEquals(0, phone.queued());
    }

    @Test
    void aPhoneResumedThroughStreamManagementGetsEveryCarbonOnceInOrder() {
        phone.enableStreamManagement();
        phone.clientSays("inactive");
        phone.detach();
        route(chatState(BOB, LAPTOP, "composing"));
        route(chat(BOB, LAPTOP, "hi"));
        route(chatState(BOB, LAPTOP, "paused"));
        assertEquals(2, phone.unacknowledgedCount(), "the urgent carbon pushed the queue into stream management's keeping");
        assertEquals(1, phone.queued());

        phone.resume();

        assertEquals(List.of("received composing", "received hi", "received paused"), describe(phone.received()),
            "resent, then the rest of the queue: a resumed stream is active");
        assertEquals(3, phone.unacknowledgedCount());
        route(chatState(BOB, LAPTOP, "composing"));
        assertEquals(4, phone.received().size());
    }

    @Test
    void aPhoneTurningActiveAndInactiveWhileCarbonsArriveGetsEachOnceInOrder() throws Exception {
        phone.enableStreamManagement();
        ClientSessionModel.CsiManager.capacity = 40;
        try {
            for (int round = 0; round < 5; round++) {
                final int messages = 400;
                final List<String> expected = new ArrayList<>();
                final CountDownLatch start = new CountDownLatch(1);
                final Thread sender = new Thread(() -> {
                    await(start);
                    for (int i = 0; i < messages; i++) {
                        route(i % 3 == 0 ? chat(BOB, LAPTOP, "m" + i) : chatState(BOB, LAPTOP, "composing"));
                    }
                });
                final Thread client = new Thread(() -> {
                    await(start);
                    for (int i = 0; i < messages; i++) {
                        phone.clientSays(i % 2 == 0 ? "inactive" : "active");
                    }
                });
                for (int i = 0; i < messages; i++) {
                    expected.add(i % 3 == 0 ? "received m" + i : "received composing");
                }
                final int before = phone.everWritten.size();
                sender.start();
                client.start();
                start.countDown();
                sender.join(TimeUnit.SECONDS.toMillis(30));
                client.join(TimeUnit.SECONDS.toMillis(30));
                assertFalse(sender.isAlive() || client.isAlive(), "no deadlock between the client's state and deliveries");
                phone.clientSays("active");
                assertEquals(expected, describe(phone.everWritten.subList(before, phone.everWritten.size())),
                    "round " + round + ": every carbon once, in the order routed");
                assertEquals(phone.everWritten.size(), phone.unacknowledgedCount());
                assertTrue(phone.getCsiManager().isActive(), "the client's own last word stands");
            }
        } finally {
            ClientSessionModel.CsiManager.capacity = 500;
        }
    }

    @Test
    void theInProcessOpenfire42HasNoClientStateIndicationAndCarbonsAreDeliveredAsBefore() {
        assertNull(ClientStateIndication.detect(statistics), "Openfire 4.2.0 has no CsiManager");
        assertNull(ClientStateIndication.detect(getClass().getClassLoader(), ClientSessionModel.class.getName(),
            String.class.getName(), statistics), "a class without canDelay is not taken for Openfire's CSI");
    }

    private ClientSessionModel session(JID address) {
        final ClientSessionModel session = ClientSessionModel.create(address, interceptors);
        sessions.put(address, session);
        return session;
    }

    /** MessageRouter.route: incoming interceptors around routing to the addressed session. */
    private void route(Message message) {
        final ClientSessionModel from = sessions.get(message.getFrom());
        try {
            interceptor.interceptPacket(message, from, true, false);
            sessions.get(message.getTo()).process(message);
            interceptor.interceptPacket(message, from, true, true);
        } catch (PacketRejectedException e) {
            throw new AssertionError(e);
        }
    }

    private static Message chat(JID from, JID to, String body) {
        final Message message = chatState(from, to, null);
        message.setBody(body);
        return message;
    }

    private static Message chatState(JID from, JID to, String state) {
        final Message message = new Message();
        message.setType(Message.Type.chat);
        message.setFrom(from);
        message.setTo(to);
        message.setID("id-" + System.nanoTime());
        if (state != null) {
            message.addChildElement(state, "http://jabber.org/protocol/chatstates");
        }
        return message;
    }

    private static Message receipt(JID from, JID to) {
        final Message message = chatState(from, to, null);
        message.addChildElement("received", "urn:xmpp:receipts").addAttribute("id", "x");
        return message;
    }

    /** A carbon as another node's plugin makes it and a cluster task carries it: a plain Message. */
    private static Message plainCarbon(Message original) {
        return CarbonWrapper.wrap(original, Direction.RECEIVED, ALICE).addressedTo(PHONE).createCopy();
    }

    /** What the client read, one word per stanza: "presence", or the carbon's side and the forwarded message's content. */
    private static List<String> describe(List<Packet> read) {
        final List<String> described = new ArrayList<>();
        for (Packet packet : read) {
            if (!(packet instanceof Message message)) {
                described.add(packet.getElement().getName());
                continue;
            }
            final Element forwarded = ClientStateRules.forwardedMessage(message.getElement());
            if (forwarded == null) {
                described.add("message " + message.getBody());
                continue;
            }
            final String side = forwarded.getParent().getParent().getName();
            final Element content = forwarded.element("body") != null ? forwarded.element("body") : forwarded.elements().get(0);
            final String word = content.getName().equals("body") ? content.getText() : content.getName();
            described.add(side + " " + word);
        }
        return described;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
