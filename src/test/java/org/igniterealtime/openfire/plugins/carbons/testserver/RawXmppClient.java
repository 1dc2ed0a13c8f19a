package org.igniterealtime.openfire.plugins.carbons.testserver;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A bare-bones client that writes whatever XML a test gives it, for stanzas no well-behaved client library
 * would send. It logs in with SASL PLAIN on a plain connection, binds a resource, and collects the ids of the
 * IQ responses it receives.
 */
public final class RawXmppClient implements AutoCloseable {

    private static final Pattern IQ_RESPONSE = Pattern.compile("<iq[^>]*type=[\"'](?:result|error)[\"'][^>]*>|<iq[^>]*id=[\"'][^\"']*[\"'][^>]*type=[\"'](?:result|error)[\"']");
    private static final Pattern ID = Pattern.compile("id=[\"']([^\"']*)[\"']");

    private final Socket socket;
    private final OutputStream out;
    private final StringBuilder received = new StringBuilder();
    private final Set<String> answered = ConcurrentHashMap.newKeySet();
    private final Thread reader;

    private RawXmppClient(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        final InputStream in = socket.getInputStream();
        reader = new Thread(() -> {
            final byte[] buffer = new byte[65536];
            try {
                for (int n; (n = in.read(buffer)) > 0; ) {
                    synchronized (received) {
                        received.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                        collectAnswers();
                        received.notifyAll();
                    }
                }
            } catch (IOException e) {
                // Closed.
            }
        }, "raw-xmpp-reader");
        reader.setDaemon(true);
        reader.start();
    }

    public static RawXmppClient login(int port, String username, String password, String resource) throws Exception {
        final RawXmppClient client = new RawXmppClient(new Socket(InetAddress.getLoopbackAddress(), port));
        client.openStream();
        client.await("</stream:features>");
        final String credentials = Base64.getEncoder().encodeToString(("\0" + username + "\0" + password).getBytes(StandardCharsets.UTF_8));
        client.write("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>" + credentials + "</auth>");
        client.await("<success");
        client.reset();
        client.openStream();
        client.await("</stream:features>");
        client.write("<iq type='set' id='bind'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>" + resource + "</resource></bind></iq>");
        client.awaitAnswer("bind", Duration.ofSeconds(10));
        client.write("<iq type='set' id='session'><session xmlns='urn:ietf:params:xml:ns:xmpp-session'/></iq>");
        client.awaitAnswer("session", Duration.ofSeconds(10));
        return client;
    }

    public void write(String xml) throws IOException {
        out.write(xml.getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Whether an IQ result or error with this id has arrived. */
    public boolean answered(String id) {
        return answered.contains(id);
    }

    public void awaitAnswer(String id, Duration timeout) throws Exception {
        EmbeddedOpenfire.waitFor(timeout, () -> answered.contains(id), "an answer to IQ " + id);
    }

    public boolean isConnected() {
        return reader.isAlive();
    }

    private void openStream() throws IOException {
        write("<?xml version='1.0'?><stream:stream to='" + EmbeddedOpenfire.DOMAIN
            + "' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>");
    }

    private void await(String marker) throws InterruptedException {
        final long deadline = System.currentTimeMillis() + 10_000;
        synchronized (received) {
            while (received.indexOf(marker) < 0) {
                final long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    throw new IllegalStateException("No " + marker + " in " + received);
                }
                received.wait(left);
            }
        }
    }

    private void reset() {
        synchronized (received) {
            received.setLength(0);
        }
    }

    /** Called with the lock held: records the ids of complete IQ responses and forgets what was read. */
    private void collectAnswers() {
        final Matcher iq = IQ_RESPONSE.matcher(received);
        int consumed = 0;
        while (iq.find()) {
            final Matcher id = ID.matcher(iq.group());
            if (id.find()) {
                answered.add(id.group(1));
            }
            consumed = iq.end();
        }
        // Keep the tail (a response may be split across reads), but never let the buffer grow without bound.
        if (received.length() > 1_000_000 && consumed > 0) {
            received.delete(0, consumed);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            write("</stream:stream>");
        } catch (IOException e) {
            // Already gone.
        }
        socket.close();
    }
}
