package org.igniterealtime.openfire.plugins.carbons.bench;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;

/**
 * Holds many idle client sessions open on a running Openfire, so that the load benchmark can measure per-message
 * cost with thousands of other sessions on the server (issue 18: 1,000 to 20,000 sessions). Each one is what a
 * quiet device looks like to the server: logged in, bound, carbons enabled, available, then silent.
 * <p>
 * One thread and one selector for all of them; a Smack connection per session (two threads each) would not fit
 * 20,000 times into one machine beside the server. Plaintext and SASL ANONYMOUS (each session its own user, which
 * the server must allow: {@code xmpp.auth.anonymous=true}), since TLS would cost the machine more than the
 * measurement. Every session sends a whitespace keep-alive every few minutes: Openfire 5.1.1 pings a client whose
 * reads have been idle for half of {@code xmpp.client.idle} and closes it after the whole
 * (NettyIdleStateKeepAliveHandler), and this holder reads nothing once a session is up.
 * <p>
 * Runs as a process of its own (the benchmark starts it with its class path): a process may hold at most the
 * machine's open-file limit of sockets, and the server's users need theirs. Once the sessions are up it writes
 * how many are into the ready file, and it ends when its standard input closes.
 * <p>
 * {@code java ... IdleSessions host:port domain count readyFile}
 */
public final class IdleSessions {

    private static final Logger Log = LoggerFactory.getLogger(IdleSessions.class);
    /** Logins under way at once: Openfire's acceptor backlog and its login work are the limit, not this machine. */
    private static final int IN_FLIGHT = 200;
    private static final long KEEP_ALIVE_NANOS = TimeUnit.MINUTES.toNanos(2);

    private enum Step { FEATURES, AUTH, RESTART, BIND, CARBONS, IDLE }

    private static final class Session {
        final SocketChannel channel;
        final StringBuilder received = new StringBuilder();
        Step step = Step.FEATURES;

        Session(SocketChannel channel) {
            this.channel = channel;
        }
    }

    private final InetSocketAddress server;
    private final String domain;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);
    private int up;
    private int failed;

    private final Path readyFile;

    IdleSessions(InetSocketAddress server, String domain, Path readyFile) {
        this.server = server;
        this.domain = domain;
        this.readyFile = readyFile;
    }

    /** A holder process started by {@link #hold}; closing it ends the process, and with it its sessions. */
    static final class Held implements AutoCloseable {
        private final Process process;
        private final int up;

        private Held(Process process, int up) {
            this.process = process;
            this.up = up;
        }

        /** The sessions that came up. */
        int up() {
            return up;
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /**
     * Starts a holder process of this class with this JVM's class path, and returns once its sessions are up.
     *
     * @param server host:port of the server's plaintext client port
     */
    static Held hold(String server, String domain, int count) throws IOException, InterruptedException {
        final Path ready = Files.createTempFile("idle-sessions", ".ready");
        Files.delete(ready);
        final Path log = Files.createTempFile("idle-sessions", ".log");
        final Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx1g", "-cp", System.getProperty("java.class.path"), IdleSessions.class.getName(),
            server, domain, Integer.toString(count), ready.toString())
            .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(15);
        while (!Files.exists(ready)) {
            if (!process.isAlive() || System.nanoTime() - deadline > 0) {
                process.destroy();
                throw new IOException("the idle sessions did not come up; see " + log);
            }
            Thread.sleep(200);
        }
        final int up = Integer.parseInt(Files.readString(ready, StandardCharsets.UTF_8).trim());
        Files.delete(ready);
        Log.info("{} idle sessions held (of {}); their log: {}", up, count, log);
        return new Held(process, up);
    }

    public static void main(String[] args) throws Exception {
        final int colon = args[0].lastIndexOf(':');
        final IdleSessions holder = new IdleSessions(
            new InetSocketAddress(args[0].substring(0, colon), Integer.parseInt(args[0].substring(colon + 1))), args[1],
            Path.of(args[3]));
        final Thread watch = new Thread(() -> {
            try (InputStream in = System.in) {
                while (in.read() >= 0) {
                    // nothing: waits for the parent to close the pipe or to die
                }
            } catch (IOException ignored) {
                // the same
            }
            Runtime.getRuntime().halt(0);
        }, "idle-sessions-parent");
        watch.setDaemon(true);
        watch.start();
        holder.run(Integer.parseInt(args[2]));
    }

    private void run(int count) throws IOException {
        final Selector selector = Selector.open();
        final ArrayDeque<Session> idle = new ArrayDeque<>(count);
        int started = 0;
        boolean announced = false;
        long nextKeepAlive = System.nanoTime() + KEEP_ALIVE_NANOS;
        while (true) {
            while (started < count && started - up - failed < IN_FLIGHT) {
                final SocketChannel channel = SocketChannel.open();
                channel.configureBlocking(false);
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                final Session session = new Session(channel);
                channel.connect(server);
                channel.register(selector, SelectionKey.OP_CONNECT, session);
                started++;
            }
            if (!announced && up + failed == count) {
                announced = true;
                Log.info("{} idle sessions up, {} failed", up, failed);
                final Path partial = readyFile.resolveSibling(readyFile.getFileName() + ".part");
                Files.writeString(partial, Integer.toString(up), StandardCharsets.UTF_8);
                Files.move(partial, readyFile, StandardCopyOption.ATOMIC_MOVE);
            }
            selector.select(1000);
            final Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
            while (keys.hasNext()) {
                final SelectionKey key = keys.next();
                keys.remove();
                final Session session = (Session) key.attachment();
                try {
                    if (key.isConnectable()) {
                        session.channel.finishConnect();
                        key.interestOps(SelectionKey.OP_READ);
                        write(session, streamHeader());
                    } else if (key.isReadable()) {
                        read(session, idle);
                    }
                } catch (IOException e) {
                    key.cancel();
                    session.channel.close();
                    if (session.step == Step.IDLE) {
                        up--;
                    }
                    failed++;
                    Log.warn("An idle session ended: {}", e.toString());
                }
            }
            if (System.nanoTime() - nextKeepAlive > 0) {
                nextKeepAlive = System.nanoTime() + KEEP_ALIVE_NANOS;
                for (Session session : idle) {
                    if (session.channel.isOpen()) {
                        write(session, " ");
                    }
                }
            }
        }
    }

    private String streamHeader() {
        return "<?xml version='1.0'?><stream:stream to='" + domain + "' xmlns='jabber:client'"
            + " xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>";
    }

    private void read(Session session, ArrayDeque<Session> idle) throws IOException {
        readBuffer.clear();
        final int n = session.channel.read(readBuffer);
        if (n < 0) {
            throw new IOException("closed by the server in step " + session.step);
        }
        if (session.step == Step.IDLE) {
            return; // what the server sends an idle device (nothing, in these runs) is not looked at
        }
        readBuffer.flip();
        session.received.append(StandardCharsets.UTF_8.decode(readBuffer));
        final String text = session.received.toString();
        if (text.contains("<failure") || text.contains("type=\"error\"") || text.contains("</stream:stream>")) {
            throw new IOException("refused in step " + session.step + ": " + text);
        }
        switch (session.step) {
            case FEATURES -> {
                if (text.contains("</stream:features>")) {
                    if (!text.contains(">ANONYMOUS<")) {
                        throw new IOException("the server does not offer SASL ANONYMOUS (xmpp.auth.anonymous): " + text);
                    }
                    next(session, Step.AUTH, "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='ANONYMOUS'/>");
                }
            }
            case AUTH -> {
                if (text.contains("<success")) {
                    next(session, Step.RESTART, streamHeader());
                }
            }
            case RESTART -> {
                if (text.contains("</stream:features>")) {
                    next(session, Step.BIND, "<iq type='set' id='bind'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></iq>");
                }
            }
            case BIND -> {
                if (text.contains("</iq>")) {
                    // XEP-0280 §4: enabled before presence, as clients do
                    next(session, Step.CARBONS, "<iq type='set' id='carbons'><enable xmlns='urn:xmpp:carbons:2'/></iq>");
                }
            }
            case CARBONS -> {
                if (text.contains("id=\"carbons\"")) {
                    next(session, Step.IDLE, "<presence/>");
                    session.received.setLength(0);
                    session.received.trimToSize();
                    idle.add(session);
                    up++;
                }
            }
            default -> throw new IllegalStateException(session.step.name());
        }
    }

    private void next(Session session, Step step, String send) throws IOException {
        session.step = step;
        session.received.setLength(0);
        write(session, send);
    }

    /** Writes everything: the stanzas are small and the socket's buffer empty, so this never spins for long. */
    private static void write(Session session, String text) throws IOException {
        final ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            if (session.channel.write(bytes) == 0) {
                Thread.onSpinWait();
            }
        }
    }
}
