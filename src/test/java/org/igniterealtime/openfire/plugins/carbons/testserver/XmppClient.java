package org.igniterealtime.openfire.plugins.carbons.testserver;

import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.SmackException;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.PresenceBuilder;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smackx.carbons.CarbonManager;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One real XMPP client resource (Smack over TCP) that records every message it receives, raw.
 */
public final class XmppClient implements AutoCloseable {

    private final XMPPTCPConnection connection;
    private final BlockingQueue<Message> inbox = new LinkedBlockingQueue<>();

    private final java.util.Set<String> seenIds = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private XmppClient(XMPPTCPConnection connection) {
        this.connection = connection;
        // One ordered listener for everything, so that a sync() answer is seen only after every message before it.
        connection.addSyncStanzaListener(stanza -> {
            if (stanza instanceof Message) {
                inbox.add((Message) stanza);
            } else if (stanza.getStanzaId() != null) {
                seenIds.add(stanza.getStanzaId());
            }
        }, stanza -> true);
    }

    /** Logs in without sending presence, so that each test decides when the resource becomes available. */
    public static XmppClient login(int port, String username, String password, String resource) throws Exception {
        final XMPPTCPConnectionConfiguration config = XMPPTCPConnectionConfiguration.builder()
            .setXmppDomain(EmbeddedOpenfire.DOMAIN)
            .setHostAddress(InetAddress.getLoopbackAddress())
            .setPort(port)
            .setSecurityMode(SecurityMode.disabled)
            .setUsernameAndPassword(username, password)
            .setResource(resource)
            .setSendPresence(false)
            .setConnectTimeout(10_000)
            .build();
        return login(config);
    }

    /**
     * Logs in with this configuration (another server, TLS), without sending presence; the load benchmark's
     * external mode uses it.
     */
    public static XmppClient login(XMPPTCPConnectionConfiguration config) throws Exception {
        final XMPPTCPConnection connection = new XMPPTCPConnection(config);
        connection.setReplyTimeout(10_000);
        connection.setUseStreamManagement(false);
        // A stanza Smack cannot parse (the bad-input test sends some, and errors echo them back) is skipped, not fatal.
        connection.setParsingExceptionCallback(new org.jivesoftware.smack.parsing.ExceptionLoggingCallback());
        connection.connect().login();
        return new XmppClient(connection);
    }

    public XMPPTCPConnection connection() {
        return connection;
    }

    public EntityFullJid jid() {
        return connection.getUser();
    }

    public String resource() {
        return connection.getUser().getResourceOrEmpty().toString();
    }

    /** Sends available presence with this priority and waits until the server has processed it. */
    public void available(int priority) throws Exception {
        final PresenceBuilder presence = connection.getStanzaFactory().buildPresenceStanza()
            .ofType(Presence.Type.available).setPriority(priority);
        connection.sendStanza(presence.build());
        sync();
    }

    /** A round trip to the server: everything sent before has been processed when this returns. */
    public void sync() throws Exception {
        final org.jivesoftware.smackx.ping.packet.Ping ping =
            new org.jivesoftware.smackx.ping.packet.Ping(connection, connection.getXMPPServiceDomain());
        final String id = ping.getStanzaId();
        connection.sendStanza(ping);
        final long deadline = System.currentTimeMillis() + 10_000;
        while (!seenIds.remove(id)) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("No answer to a ping from " + jid());
            }
            Thread.sleep(2);
        }
    }

    public void enableCarbons() throws Exception {
        CarbonManager.getInstanceFor(connection).enableCarbons();
    }

    public void disableCarbons() throws Exception {
        CarbonManager.getInstanceFor(connection).disableCarbons();
    }

    /** Sends an IQ and waits for its response; an error response comes back as the IQ, not as an exception. */
    public IQ request(IQ iq) throws Exception {
        final org.jivesoftware.smack.StanzaCollector collector = connection.createStanzaCollectorAndSend(iq);
        try {
            final IQ response = collector.nextResult(10_000);
            if (response == null) {
                throw new IllegalStateException("No response to " + iq.toXML());
            }
            return response;
        } finally {
            collector.cancel();
        }
    }

    public void send(Stanza stanza) throws SmackException.NotConnectedException, InterruptedException {
        connection.sendStanza(stanza);
    }

    /** Sends a chat message with a body to the address, returning it. */
    public Message chat(String to, String body) throws Exception {
        final Message message = connection.getStanzaFactory().buildMessageStanza()
            .to(JidCreate.from(to)).ofType(Message.Type.chat).setBody(body).build();
        connection.sendStanza(message);
        return message;
    }

    /** Waits for the first message matching the filter, or null after the timeout. Earlier ones stay queued. */
    public Message await(Predicate<Message> filter, long millis) throws InterruptedException {
        final long deadline = System.currentTimeMillis() + millis;
        while (true) {
            for (Message message : inbox) {
                if (filter.test(message)) {
                    inbox.remove(message);
                    return message;
                }
            }
            final long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return null;
            }
            Thread.sleep(Math.min(left, 10));
        }
    }

    /** Everything received so far that matches, removed from the inbox. */
    public List<Message> drain(Predicate<Message> filter) {
        final List<Message> result = new ArrayList<>();
        for (Message message : inbox) {
            if (filter.test(message)) {
                inbox.remove(message);
                result.add(message);
            }
        }
        return result;
    }

    public void clearInbox() {
        inbox.clear();
    }

    public Jid bareJid() {
        return connection.getUser().asBareJid();
    }

    public boolean awaitQuiet(long millis) throws InterruptedException {
        TimeUnit.MILLISECONDS.sleep(millis);
        return inbox.isEmpty();
    }

    @Override
    public void close() {
        connection.disconnect();
    }
}
