package org.igniterealtime.openfire.plugins.carbons.openfire;

import org.dom4j.Element;
import org.jivesoftware.openfire.interceptor.PacketInterceptor;
import org.jivesoftware.openfire.interceptor.PacketRejectedException;
import org.jivesoftware.openfire.session.ClientSession;
import org.xmpp.packet.IQ;
import org.xmpp.packet.JID;
import org.xmpp.packet.Message;
import org.xmpp.packet.Packet;
import org.xmpp.packet.Presence;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.function.Predicate;

import static org.mockito.Mockito.CALLS_REAL_METHODS;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.withSettings;

/**
 * Openfire 5.1.1's LocalClientSession as far as delivering a stanza to the client goes, with its CsiManager
 * (XEP-0352) and the counting part of its StreamManager (XEP-0198): the seam where the plugin hands Openfire a carbon.
 * The in-process Openfire 4.2 that the other tests run has no CSI. Modelled on, in
 * xmppserver/src/main/java/org/jivesoftware/openfire/ of Openfire 5.1.1:
 * <ul>
 *     <li>session/LocalSession.process: privacy lists (canDeliver), outgoing interceptors not processed, deliver,
 *     outgoing interceptors processed; a PacketRejectedException from an interceptor ends the delivery.</li>
 *     <li>session/LocalClientSession.deliver: {@code pushPackets(csiManager.queueOrPush(stanza))}; pushPackets: with
 *     stream management on, under the stream manager's monitor, each stanza is written when there is a connection
 *     and recorded as unacknowledged either way (StreamManager.sentStanza keeps {@code createCopy()}).</li>
 *     <li>LocalClientSession.reattach after LocalSession.reattach and StreamManager.onResume: the new connection gets
 *     the unacknowledged stanzas again, then {@code csiManager.activate()} (a resumed stream is active).</li>
 *     <li>csi/CsiManager: a session starts active; queueOrPush queues the stanza and returns the whole queue when it must
 *     be pushed (delay off, active, queue at capacity, push overdue, or canDelay false), never while an activation is
 *     flushing; activate flushes in a loop outside its monitor and stops when the session turns inactive again;
 *     deactivate; canDelay as Openfire judges a stanza.</li>
 * </ul>
 * Public, as Openfire's classes are (the plugin reaches them through public look-ups). The class is abstract so that
 * Mockito fills in the rest of ClientSession; {@link #create} makes one with the real
 * methods above.
 */
public abstract class ClientSessionModel implements ClientSession {

    private final JID address;
    private final List<PacketInterceptor> interceptors;
    private final CsiManager csi = new CsiManager(this);
    /** The stream manager's monitor and its unacknowledged stanzas; null while stream management is off. */
    private final Object streamManager = new Object();
    private volatile List<Packet> unacknowledged;
    /** What the client read on its connection, in order; null while the session is detached (no connection). */
    private volatile List<Packet> connection = Collections.synchronizedList(new ArrayList<>());
    /** Everything any connection of the session carried, in order. */
    final List<Packet> everWritten = Collections.synchronizedList(new ArrayList<>());
    /** Privacy lists: a stanza the predicate refuses is not delivered (LocalClientSession.canDeliver). */
    volatile Predicate<Packet> privacy = packet -> true;

    ClientSessionModel(JID address, List<PacketInterceptor> interceptors) {
        this.address = address;
        this.interceptors = interceptors;
    }

    static ClientSessionModel create(JID address, List<PacketInterceptor> interceptors) {
        return mock(ClientSessionModel.class, withSettings().useConstructor(address, interceptors).defaultAnswer(CALLS_REAL_METHODS));
    }

    @Override
    public JID getAddress() {
        return address;
    }

    /** LocalSession.process. */
    @Override
    public void process(Packet packet) {
        if (!privacy.test(packet)) {
            return;
        }
        try {
            for (PacketInterceptor interceptor : interceptors) {
                interceptor.interceptPacket(packet, this, false, false);
            }
            deliver(packet);
            for (PacketInterceptor interceptor : interceptors) {
                interceptor.interceptPacket(packet, this, false, true);
            }
        } catch (PacketRejectedException e) {
            // An interceptor rejected the packet.
        }
    }

    /** LocalClientSession.getCsiManager. */
    public CsiManager getCsiManager() {
        return csi;
    }

    /** LocalClientSession.deliver. */
    public void deliver(Packet stanza) {
        pushPackets(csi.queueOrPush(stanza));
    }

    /** LocalClientSession.pushPackets. */
    public void pushPackets(List<Packet> stanzas) {
        if (stanzas.isEmpty()) {
            return;
        }
        if (unacknowledged == null) {
            stanzas.forEach(this::write);
        } else {
            synchronized (streamManager) {
                for (Packet stanza : stanzas) {
                    write(stanza);
                    unacknowledged.add(stanza.createCopy());
                }
            }
        }
    }

    private void write(Packet stanza) {
        final List<Packet> wire = connection;
        if (wire != null) {
            // NettyConnection.deliver writes packet.getElement().asXML(): what the client reads is the XML.
            final Packet read = stanza instanceof Message ? new Message(stanza.getElement().createCopy(), true) : stanza.createCopy();
            wire.add(read);
            everWritten.add(read);
        }
    }

    /** The client enables stream management (XEP-0198 {@code <enable resume='true'/>}). */
    void enableStreamManagement() {
        synchronized (streamManager) {
            unacknowledged = new ArrayList<>();
        }
    }

    /** The client sends a CSI nonza: {@code <active/>} or {@code <inactive/>} (CsiManager.process). */
    void clientSays(String state) {
        switch (state) {
            case "active" -> csi.activate();
            case "inactive" -> csi.deactivate();
            default -> throw new IllegalArgumentException(state);
        }
    }

    /** The client's connection broke; the session waits to be resumed (conn is null). */
    void detach() {
        connection = null;
    }

    /** XEP-0198 resumption on a new connection: the unacknowledged stanzas again, then the session is active. */
    void resume() {
        final List<Packet> wire = Collections.synchronizedList(new ArrayList<>());
        synchronized (streamManager) {
            connection = wire;
            for (Packet stanza : unacknowledged) {
                wire.add(stanza);
                everWritten.add(stanza);
            }
        }
        csi.activate();
    }

    /** What the client has read on its current connection, in order. */
    List<Packet> received() {
        final List<Packet> wire = connection;
        synchronized (wire) {
            return new ArrayList<>(wire);
        }
    }

    int unacknowledgedCount() {
        synchronized (streamManager) {
            return unacknowledged.size();
        }
    }

    int queued() {
        return csi.getDelayQueueSize();
    }

    /** Openfire 5.1.1's CsiManager with its default delay settings (xmpp.client.csi.delay.*). */
    public static final class CsiManager {
        static int capacity = 500;
        static final Duration MAX_DELAY = Duration.ofMinutes(10);

        private final ClientSessionModel session;
        private final Deque<Packet> queue = new ArrayDeque<>();
        private boolean active = true;
        private boolean flushingOnActivate;
        private Instant lastPush = Instant.now();

        CsiManager(ClientSessionModel session) {
            this.session = session;
        }

        public boolean isActive() {
            return active;
        }

        public synchronized void deactivate() {
            active = false;
        }

        public void activate() {
            synchronized (this) {
                active = true;
                if (flushingOnActivate) {
                    return;
                }
                flushingOnActivate = true;
            }
            try {
                while (true) {
                    final List<Packet> batch;
                    synchronized (this) {
                        if (!active || queue.isEmpty()) {
                            flushingOnActivate = false;
                            return;
                        }
                        batch = new ArrayList<>(queue);
                        queue.clear();
                    }
                    session.pushPackets(batch);
                    synchronized (this) {
                        lastPush = Instant.now();
                    }
                }
            } finally {
                synchronized (this) {
                    flushingOnActivate = false;
                }
            }
        }

        public synchronized int getDelayQueueSize() {
            return queue.size();
        }

        public synchronized List<Packet> queueOrPush(Packet packet) {
            queue.add(packet);
            final boolean push = !flushingOnActivate
                && (active || queue.size() >= capacity || Instant.now().isAfter(lastPush.plus(MAX_DELAY)) || !canDelay(packet));
            if (!push) {
                return List.of();
            }
            final List<Packet> batch = new ArrayList<>(queue);
            queue.clear();
            lastPush = Instant.now();
            return batch;
        }

        /** What may wait: what Openfire's canDelay lets wait, read the way it reads a stanza. */
        static boolean canDelay(Packet stanza) {
            if (stanza instanceof IQ) {
                return false;
            }
            if (stanza instanceof Presence presence) {
                if (presence.getType() != null && presence.getType() != Presence.Type.unavailable) {
                    return false;
                }
                final Element muc = presence.getChildElement("x", "http://jabber.org/protocol/muc#user");
                return muc == null || muc.elements("status").stream().noneMatch(status -> "110".equals(status.attributeValue("code")));
            }
            if (!(stanza instanceof Message message) || message.getBody() != null) {
                return false;
            }
            final Element element = message.getElement();
            final Element muc = message.getChildElement("x", "http://jabber.org/protocol/muc#user");
            final boolean roomJoined = message.getType() == Message.Type.groupchat && !element.elements("subject").isEmpty();
            final boolean invited = muc != null && !muc.elements("invite").isEmpty();
            final boolean call = element.elements().stream().anyMatch(child -> child.getNamespaceURI().startsWith("urn:xmpp:jingle-message:"));
            return !roomJoined && !invited && element.elements("encrypted").isEmpty() && !call;
        }
    }
}
