package org.igniterealtime.openfire.plugins.carbons.it;

import org.igniterealtime.openfire.plugins.carbons.testserver.EmbeddedOpenfire;
import org.igniterealtime.openfire.plugins.carbons.testserver.LoopbackPorts;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.StanzaCollector;
import org.jivesoftware.smack.XMPPException;
import org.jivesoftware.smack.filter.StanzaFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.roster.RosterEntry;
import org.jivesoftware.smack.roster.packet.RosterPacket;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jivesoftware.smackx.bookmarks.BookmarkManager;
import org.jivesoftware.smackx.bookmarks.BookmarkedConference;
import org.jivesoftware.smackx.carbons.CarbonManager;
import org.jivesoftware.smackx.carbons.packet.CarbonExtension;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.jivesoftware.smackx.disco.packet.DiscoverInfo;
import org.jivesoftware.smackx.iqprivate.PrivateDataManager;
import org.jivesoftware.smackx.iqprivate.packet.DefaultPrivateData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.BareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.jxmpp.jid.parts.Resourcepart;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.X509TrustManager;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * The sandbox as a newcomer meets it (issue 11). It is started by mvn with the sandbox profile of pom.xml and the -D
 * options README.md documents, on ports of the test's choosing; what README's {@code mvn -Psandbox package} does after
 * building, so the nested mvn runs only that execution ({@code exec:exec@sandbox}, offline, from the local repository
 * the outer build filled) and does not rebuild target/ under the running tests. Then, against the sandbox's own JVM:
 * it listens on loopback only, on exactly the ports its banner names; twenty STARTTLS logins by a client that offers
 * TLS 1.3 all finish (Openfire 4.2 hangs some TLS 1.3 logins, so the sandbox takes 1.3 off); a client's login requests
 * (roster with the other demo user's presence, private XML storage, bookmarks, disco#info to the own bare JID for PEP)
 * are answered and leave no ERROR in the sandbox log; carbons work; a second start on the taken port fails with a
 * clear message; and killing mvn with SIGTERM (an IDE's stop button) stops the sandbox with it, as Ctrl-C does.
 */
class SandboxIT {

    private static final Logger Log = LoggerFactory.getLogger(SandboxIT.class);
    private static final Path BASEDIR = Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
    private static final Path LOG = BASEDIR.resolve("target/sandbox/openfire.log");
    private static final Path CERTIFICATE = BASEDIR.resolve("target/sandbox/localhost.pem");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static final int LOGINS = 20;

    private final List<Process> started = new ArrayList<>();
    private final List<XMPPTCPConnection> connections = new ArrayList<>();

    @AfterEach
    void cleanUp() {
        connections.forEach(XMPPTCPConnection::disconnect);
        for (Process mvn : started) {
            mvn.descendants().forEach(ProcessHandle::destroyForcibly);
            mvn.destroyForcibly();
        }
    }

    /** A sandbox started through mvn: the mvn process, the sandbox's JVM below it, its banner and ports. */
    private record Running(Process mvn, ProcessHandle sandbox, String banner, int port, int adminPort) {
    }

    private Running start() throws Exception {
        final int port = LoopbackPorts.free();
        final int adminPort = LoopbackPorts.free();
        final long startedAt = System.nanoTime();
        final Path output = BASEDIR.resolve("target/sandbox-it-mvn.log");
        final Process mvn = mvnSandbox(port, adminPort, output);
        final String banner = awaitBanner(mvn, output);
        Log.info("Sandbox up in {} ms", (System.nanoTime() - startedAt) / 1_000_000);
        // Linux hands out the first 4 KB of a command line: the -D options come before the long class path.
        final ProcessHandle sandbox = mvn.descendants().filter(p -> p.info().commandLine().orElse("").contains("-Dsandbox.port=" + port + " "))
            .findFirst().orElseThrow(() -> new AssertionError("no sandbox JVM below mvn"));
        return new Running(mvn, sandbox, banner, port, adminPort);
    }

    /** After {@code stop}, mvn and the sandbox end, the sandbox through its shutdown hooks, and both ports are free. */
    private static void stopsCleanly(Running running, String how, Check stop) throws Exception {
        final long stopAt = System.nanoTime();
        assertTrue(stop.holds());
        assertTrue(running.mvn().waitFor(30, TimeUnit.SECONDS), "mvn ends on " + how);
        try {
            running.sandbox().onExit().get(30, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            fail("the sandbox JVM " + running.sandbox().pid() + " outlived mvn after " + how);
        }
        Log.info("Sandbox gone {} ms after {}", (System.nanoTime() - stopAt) / 1_000_000, how);
        assertTrue(Files.readString(LOG).contains("Sandbox stopped."), "stopped through its shutdown hook, not killed");
        assertTrue(LoopbackPorts.isFree(running.port()) && LoopbackPorts.isFree(running.adminPort()), "both ports are free again");
    }

    @Test
    void newcomerFollowingTheReadme() throws Exception {
        final Running running = start();
        final ProcessHandle sandbox = running.sandbox();
        final String banner = running.banner();
        final int port = running.port();
        final int adminPort = running.adminPort();

        // Loopback only, and nothing the banner does not name.
        final Set<String> listening = listeningSockets(sandbox.pid());
        assertEquals(Set.of("127.0.0.1:" + port, "127.0.0.1:" + adminPort), listening, "the sandbox's listening sockets");
        assertTrue(banner.contains(port + " ") && banner.contains(adminPort + " "), banner);
        assertTrue(banner.contains("127.0.0.1 only"), banner);

        // Twenty STARTTLS logins with a client that offers TLS 1.3, trusting the certificate the banner names.
        final X509TrustManager tls = trusting(CERTIFICATE);
        final List<String> protocols = new ArrayList<>();
        final long loginsAt = System.nanoTime();
        for (int i = 0; i < LOGINS; i++) {
            final AtomicReference<String> protocol = new AtomicReference<>();
            final XMPPTCPConnection connection = CompletableFuture.supplyAsync(() -> connect(port, tls, "alice", "login" + protocols.size(), false, protocol))
                .get(45, TimeUnit.SECONDS); // a hang after STARTTLS ends here (or in Smack's reply timeout)
            assertTrue(connection.isAuthenticated() && connection.isSecureConnection());
            connection.disconnect();
            protocols.add(protocol.get());
        }
        Log.info("{} STARTTLS logins in {} ms, negotiated {}", LOGINS, (System.nanoTime() - loginsAt) / 1_000_000, new HashSet<>(protocols));
        assertEquals(LOGINS, protocols.size());
        assertEquals(Set.of("TLSv1.2"), new HashSet<>(protocols), "the sandbox negotiates TLS 1.2 with a TLS 1.3 client");

        // What a client does at login: bob is online, alice logs in from her laptop.
        final XMPPTCPConnection bob = track(connect(port, tls, "bob", "desktop", true, new AtomicReference<>()));
        final XMPPTCPConnection laptop = track(connect(port, tls, "alice", "laptop", true, new AtomicReference<>()));
        final Roster roster = Roster.getInstanceFor(laptop);
        roster.reloadAndWait();
        final RosterEntry bobEntry = roster.getEntry(JidCreate.bareFrom("bob@localhost"));
        assertNotNull(bobEntry, "bob is in alice's roster");
        assertEquals(RosterPacket.ItemType.both, bobEntry.getType());
        final BareJid bobJid = JidCreate.bareFrom("bob@localhost");
        EmbeddedOpenfire.waitFor(Duration.ofSeconds(10), () -> roster.getPresence(bobJid).isAvailable(), "bob's presence at alice");
        Roster.getInstanceFor(bob).reloadAndWait();
        assertEquals(RosterPacket.ItemType.both, Roster.getInstanceFor(bob).getEntry(JidCreate.bareFrom("alice@localhost")).getType());

        final PrivateDataManager privateData = PrivateDataManager.getInstanceFor(laptop);
        final DefaultPrivateData settings = new DefaultPrivateData("settings", "urn:example:sandbox:settings");
        settings.setValue("theme", "dark");
        privateData.setPrivateData(settings);
        assertEquals("dark", ((DefaultPrivateData) privateData.getPrivateData("settings", "urn:example:sandbox:settings")).getValue("theme"));
        final BookmarkManager bookmarks = BookmarkManager.getBookmarkManager(laptop);
        assertTrue(bookmarks.getBookmarkedConferences().isEmpty());
        bookmarks.addBookmarkedConference("Team", JidCreate.entityBareFrom("team@conference.localhost"), true, Resourcepart.from("alice"), null);
        assertEquals(List.of("team@conference.localhost"),
            bookmarks.getBookmarkedConferences().stream().map(BookmarkedConference::getJid).map(Object::toString).toList());

        final ServiceDiscoveryManager disco = ServiceDiscoveryManager.getInstanceFor(laptop);
        final DiscoverInfo pep = disco.discoverInfo(JidCreate.bareFrom("alice@localhost"));
        assertTrue(pep.hasIdentity("pubsub", "pep"), pep.toXML().toString());
        // A contact's PEP node (clients look for nick and avatar): not there yet, which must be item-not-found.
        final XMPPException.XMPPErrorException noNick = assertThrows(XMPPException.XMPPErrorException.class,
            () -> disco.discoverInfo(JidCreate.bareFrom("bob@localhost"), "http://jabber.org/protocol/nick"));
        assertEquals(StanzaError.Condition.item_not_found, noNick.getStanzaError().getCondition());

        // Carbons: alice's phone gets a copy of what bob writes to her laptop.
        final XMPPTCPConnection phone = track(connect(port, tls, "alice", "phone", true, new AtomicReference<>()));
        CarbonManager.getInstanceFor(laptop).enableCarbons();
        CarbonManager.getInstanceFor(phone).enableCarbons();
        final StanzaFilter carbon = stanza -> stanza instanceof Message && stanza.hasExtension("received", CarbonExtension.NAMESPACE);
        try (StanzaCollector copies = phone.createStanzaCollector(carbon)) {
            bob.sendStanza(bob.getStanzaFactory().buildMessageStanza().to(laptop.getUser()).ofType(Message.Type.chat).setBody("hi alice").build());
            final Message copy = copies.nextResult(10_000);
            assertNotNull(copy, "alice's phone got a received carbon");
            assertEquals("hi alice", CarbonExtension.from(copy).getForwarded().getForwardedStanza().getBody());
        }

        // The admin pages answer on the other port the banner names.
        final HttpResponse<String> page = HttpClient.newHttpClient().send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/plugins/carbons/carbons-status.jsp")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());

        connections.forEach(XMPPTCPConnection::disconnect);
        final List<String> errors = Files.readAllLines(LOG).stream().filter(line -> line.contains(" ERROR ")).toList();
        assertEquals(List.of(), errors, "ERRORs in " + LOG);

        // A second start on the taken port fails at once, says why, and leaves the running sandbox and its log alone.
        final long logSize = Files.size(LOG);
        final Path secondOutput = BASEDIR.resolve("target/sandbox-it-mvn-taken.log");
        final Process second = mvnSandbox(port, LoopbackPorts.free(), secondOutput);
        assertTrue(second.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS), "a start on a taken port ends");
        final String refused = Files.readString(secondOutput);
        assertNotEquals(0, second.exitValue(), refused);
        assertTrue(refused.contains("port " + port + " (XMPP client port) on 127.0.0.1 is already in use"), refused);
        assertFalse(refused.contains("is running"), "no banner: " + refused);
        assertTrue(sandbox.isAlive());
        assertTrue(Files.size(LOG) >= logSize, "the running sandbox's log is kept");

        // Stopping mvn the way an IDE does (SIGTERM to mvn alone) stops the sandbox too.
        stopsCleanly(running, "SIGTERM to mvn", () -> {
            running.mvn().destroy();
            return true;
        });
    }

    /** Ctrl-C in the terminal: SIGINT to the foreground process group, that is to mvn and to the sandbox's JVM. */
    @Test
    void ctrlCStopsTheSandbox() throws Exception {
        final Running running = start();
        // A JVM started with SIGINT ignored (CI running mvn in the background) hands that on: no Ctrl-C to simulate then.
        assumeFalse(ignoresSigint(running.sandbox().pid()), "SIGINT is ignored by the processes this build starts");
        stopsCleanly(running, "Ctrl-C", () -> new ProcessBuilder("kill", "-INT", Long.toString(running.mvn().pid()),
            Long.toString(running.sandbox().pid())).start().waitFor() == 0);
    }

    /** Bit 2 of SigIgn in /proc/PID/status: the process ignores SIGINT. */
    private static boolean ignoresSigint(long pid) throws IOException {
        return Files.readAllLines(Path.of("/proc", Long.toString(pid), "status")).stream()
            .filter(line -> line.startsWith("SigIgn:")).map(line -> Long.parseLong(line.substring(7).trim(), 16))
            .anyMatch(mask -> (mask & 0x2) != 0);
    }

    /** mvn as README has it, restricted to the sandbox execution; offline, with the local repository of this build. */
    private Process mvnSandbox(int port, int adminPort, Path output) throws IOException {
        final String mavenHome = System.getProperty("maven.home");
        final String mvn = mavenHome == null ? "mvn" : Path.of(mavenHome, "bin", "mvn").toString();
        final List<String> command = new ArrayList<>(List.of(mvn, "-B", "-o", "-Psandbox", "exec:exec@sandbox",
            "-Dsandbox.port=" + port, "-Dsandbox.adminPort=" + adminPort));
        final String repository = System.getProperty("maven.repo.local");
        if (repository != null && !repository.isBlank()) {
            command.add("-Dmaven.repo.local=" + repository);
        }
        final Process process = new ProcessBuilder(command).directory(BASEDIR.toFile())
            .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        started.add(process);
        return process;
    }

    private static String awaitBanner(Process mvn, Path output) throws Exception {
        final long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            final String text = Files.exists(output) ? Files.readString(output) : "";
            final int at = text.indexOf("Sandbox Openfire with the Message Carbons plugin is running.");
            if (at >= 0 && text.indexOf("stops it.", at) > 0) {
                return text.substring(at);
            }
            if (!mvn.isAlive()) {
                fail("mvn ended before the sandbox was up:\n" + text);
            }
            Thread.sleep(200);
        }
        fail("no banner within " + START_TIMEOUT + ":\n" + Files.readString(output));
        return null;
    }

    /**
     * The sockets a process listens on, from Linux's /proc: its socket inodes (/proc/PID/fd) looked up in the kernel's
     * TCP tables (/proc/net/tcp and tcp6, state 0A = LISTEN). IPv4-mapped IPv6 addresses are shown as IPv4.
     */
    private static Set<String> listeningSockets(long pid) throws IOException {
        final Set<String> inodes = new HashSet<>();
        try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            fds.forEach(fd -> {
                try {
                    final Matcher socket = Pattern.compile("socket:\\[(\\d+)]").matcher(Files.readSymbolicLink(fd).toString());
                    if (socket.matches()) {
                        inodes.add(socket.group(1));
                    }
                } catch (IOException e) {
                    // The descriptor was closed meanwhile.
                }
            });
        }
        final Set<String> listening = new HashSet<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            final List<String> lines = Files.readAllLines(Path.of(table)); // read once: the table changes all the time
            for (String line : lines.subList(1, lines.size())) {
                final String[] fields = line.trim().split("\\s+");
                if ("0A".equals(fields[3]) && inodes.contains(fields[9])) {
                    listening.add(address(fields[1]));
                }
            }
        }
        return listening;
    }

    /** "0100007F:1466" (tcp) or "0000000000000000FFFF00000100007F:1466" (tcp6) -> "127.0.0.1:5222"; "::" etc. stay hex. */
    private static String address(String hex) {
        final String[] parts = hex.split(":");
        final int port = Integer.parseInt(parts[1], 16);
        String host = parts[0];
        if (host.length() == 32 && host.startsWith("0000000000000000FFFF0000")) {
            host = host.substring(24);
        }
        if (host.length() == 8) {
            final long ip = Long.parseLong(host, 16); // little-endian on x86 and arm64
            host = (ip & 0xff) + "." + ((ip >> 8) & 0xff) + "." + ((ip >> 16) & 0xff) + "." + ((ip >> 24) & 0xff);
        }
        return host + ":" + port;
    }

    /** Trusts exactly the certificate the sandbox wrote, as a user who accepted it in the client would. */
    private static X509TrustManager trusting(Path pem) throws Exception {
        final Certificate certificate;
        try (InputStream in = Files.newInputStream(pem)) {
            certificate = CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        final KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        trusted.setCertificateEntry("sandbox", certificate);
        final TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trusted);
        return (X509TrustManager) factory.getTrustManagers()[0];
    }

    /**
     * A client as desktop clients are configured: STARTTLS required, the sandbox's certificate trusted, TLS 1.3 and 1.2
     * offered (what JDK 17, OpenSSL 1.1.1+ and the clients of the issue offer).
     */
    private static XMPPTCPConnection connect(int port, X509TrustManager tls, String user, String resource, boolean presence,
                                             AtomicReference<String> protocol) {
        try {
            final XMPPTCPConnectionConfiguration config = XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain("localhost")
                .setHostAddress(InetAddress.getLoopbackAddress())
                .setPort(port)
                .setSecurityMode(SecurityMode.required)
                .setCustomX509TrustManager(tls) // Smack 4.4 initialises a custom SSLContext again with its own trust manager
                .setEnabledSSLProtocols(new String[]{"TLSv1.3", "TLSv1.2"})
                // Smack hands the finished handshake's session here; the trust manager has already pinned the certificate.
                .setHostnameVerifier((host, session) -> {
                    protocol.set(session.getProtocol());
                    return "localhost".equals(host);
                })
                .setUsernameAndPassword(user, user)
                .setResource(resource)
                .setSendPresence(presence)
                .setConnectTimeout(20_000)
                .build();
            final XMPPTCPConnection connection = new XMPPTCPConnection(config);
            connection.setReplyTimeout(20_000); // generous: the CI machine may be busy; a TLS hang never ends
            connection.connect().login();
            return connection;
        } catch (Exception e) {
            throw new IllegalStateException(user + "/" + resource + " could not log in", e);
        }
    }

    private XMPPTCPConnection track(XMPPTCPConnection connection) {
        connections.add(connection);
        return connection;
    }

    /** Something to do or to check that may throw. */
    private interface Check {
        boolean holds() throws Exception;
    }
}
