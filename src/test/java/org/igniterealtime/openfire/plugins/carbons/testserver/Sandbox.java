package org.igniterealtime.openfire.plugins.carbons.testserver;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.Security;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;

/**
 * A sandbox Openfire with the plugin, for trying it with any XMPP client before installing it: accounts alice/alice
 * and bob/bob on the domain localhost, each in the other's roster; the client port (5222, STARTTLS with a
 * self-signed certificate that is written to {@link #CERTIFICATE}) and the plugin's admin pages (9090) on 127.0.0.1
 * only. Started by {@code mvn -Psandbox package} (the sandbox profile of pom.xml passes -Dsandbox.port and
 * -Dsandbox.adminPort on); runs until interrupted or until the mvn process that started it ends.
 */
public final class Sandbox {

    /** Where the sandbox lives; relative to the project directory, where mvn runs it. */
    static final Path HOME = Path.of("target/sandbox");
    /** The server's certificate (PEM), for clients that must be told to trust it. */
    static final Path CERTIFICATE = HOME.resolve("localhost.pem");
    /** The server log (the sandbox profile selects sandbox-log4j.xml). */
    static final Path LOG = HOME.resolve("openfire.log");

    private Sandbox() {
    }

    public static void main(String[] args) {
        disableTls13();
        final int port = Integer.getInteger("sandbox.port", 5222);
        final int adminPort = Integer.getInteger("sandbox.adminPort", 9090);
        String taken = taken(port, "sandbox.port", "XMPP client port");
        if (taken == null) {
            taken = taken(adminPort, "sandbox.adminPort", "admin pages port");
        }
        if (taken != null) {
            // Refused before logging starts: the log of the sandbox that holds the port stays as it is.
            System.err.println("The sandbox did not start: " + taken);
            System.exit(2);
        }
        try {
            run(Path.of(args.length > 0 ? args[0] : "target/carbons.jar"), port, adminPort);
        } catch (Throwable e) {
            // Openfire's threads would keep a half-started server alive: a failed start ends the JVM, and with it mvn.
            log().error("The sandbox did not start: {}", e.getMessage(), e);
            System.exit(1);
        }
    }

    /** Obtained on first use, so that log4j opens (and empties) the log only once the ports are known to be free. */
    private static Logger log() {
        return LoggerFactory.getLogger(Sandbox.class);
    }

    private static void run(Path jar, int port, int adminPort) throws Exception {
        stopWithParent();
        final EmbeddedOpenfire server = EmbeddedOpenfire.start(HOME, port, true);
        server.deployPlugin(jar);
        server.ensureUser("alice", "alice");
        server.ensureUser("bob", "bob");
        server.makeContacts("alice", "bob");
        server.ensurePepService("alice");
        server.ensurePepService("bob");
        final String fingerprint = exportCertificate(server.home().resolve("resources/security/keystore"));
        final AdminConsole console = AdminConsole.start(server, adminPort);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // Openfire's own shutdown hook stops the XMPP server; the admin pages' Jetty is ours to stop.
            try {
                console.close();
            } catch (Exception e) {
                log().warn("Stopping the admin pages failed", e);
            }
            log().info("Sandbox stopped.");
        }, "sandbox-stop"));

        final String banner = """

            Sandbox Openfire with the Message Carbons plugin is running.
              XMPP domain:  localhost
              Accounts:     alice / alice   and   bob / bob   (each in the other's roster)
              Listening on 127.0.0.1 only (nothing else is opened):
                %-5d  XMPP client connections, STARTTLS (TLS 1.2) with a self-signed certificate
                %-5d  admin pages: %s  (status)
                                   %s  (settings)
              Certificate:  %s  (SHA-256 %s)
                            or see it: openssl s_client -starttls xmpp -xmpphost localhost -connect 127.0.0.1:%d
              Log:          %s
            Log in as alice from two clients, enable carbons in both, chat with bob, and watch the status page.
            Ctrl-C (or stopping mvn) stops it.
            """.formatted(port, adminPort, console.url("carbons-status.jsp"), console.url("carbons-settings.jsp"),
            CERTIFICATE, fingerprint, port, LOG);
        log().info(banner); // sandbox-log4j.xml sends this logger to the console too
        Thread.currentThread().join();
    }

    /**
     * Openfire 4.2.0's STARTTLS (on MINA's SslFilter) sometimes stalls a TLS 1.3 login after the client's starttls,
     * and the client waits forever (Smack: "while waiting for establishing TLS"; Python's ssl module: the next read):
     * about a third of the logins of slixmpp and poezio in issue 11, 3 of 420 logins of Smack (JDK 17) and Python
     * measured here; with TLS 1.2, 0 of 400. Taking TLS 1.3 off
     * the JVM's list of usable protocols makes the server negotiate TLS 1.2 with every client that offers 1.3 and 1.2.
     * It must happen before the first TLS class reads the list, so it is the first thing the sandbox does; it appends to
     * the JDK's own list (what a java.security override of jdk.tls.disabledAlgorithms does, keeping what the JDK
     * disables already). Restricting jdk.tls.server.protocols instead did not help in issue 11.
     */
    static void disableTls13() {
        final String disabled = Security.getProperty("jdk.tls.disabledAlgorithms");
        Security.setProperty("jdk.tls.disabledAlgorithms", disabled == null || disabled.isBlank() ? "TLSv1.3" : disabled + ", TLSv1.3");
    }

    /**
     * A clear refusal instead of Openfire's logged "Address already in use" and a banner for a server clients cannot
     * reach (or, worse, an older sandbox that still holds the port). Returns the refusal, null if the port is free.
     */
    private static String taken(int port, String property, String what) {
        return LoopbackPorts.isFree(port) ? null : String.format(Locale.ROOT, "port %d (%s) on 127.0.0.1 is already in use. "
            + "Is another sandbox still running? Stop it, or choose another port with -D%s=<port>.", port, what, property);
    }

    /**
     * mvn runs the sandbox as a child process. Ctrl-C reaches both, but when only mvn is stopped (an IDE's stop button,
     * {@code kill PID}) the child would live on and hold the ports with an old jar. So the sandbox ends when its parent
     * does; Openfire's shutdown hook then stops the server. (ProcessHandle.onExit() of a process that is not our child
     * polls with a delay growing to 5 s; half a second is quicker and costs nothing.)
     */
    private static void stopWithParent() {
        ProcessHandle.current().parent().ifPresent(parent -> {
            final Thread watch = new Thread(() -> {
                try {
                    while (parent.isAlive()) {
                        Thread.sleep(500);
                    }
                    log().info("Its parent process {} has ended; stopping the sandbox.", parent.pid());
                    System.exit(0);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "sandbox-parent-watch");
            watch.setDaemon(true);
            watch.start();
        });
    }

    /** Writes the served certificate as PEM (for clients that must be told to trust it) and returns its SHA-256 fingerprint. */
    private static String exportCertificate(Path keystore) throws Exception {
        final KeyStore store = KeyStore.getInstance("JKS");
        try (var in = Files.newInputStream(keystore)) {
            store.load(in, "changeit".toCharArray());
        }
        final Certificate certificate = store.getCertificate(store.aliases().nextElement());
        final byte[] der = certificate.getEncoded();
        Files.writeString(CERTIFICATE, "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
            + "\n-----END CERTIFICATE-----\n", StandardCharsets.US_ASCII);
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
    }
}
