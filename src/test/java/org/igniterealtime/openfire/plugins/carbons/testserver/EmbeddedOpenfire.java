package org.igniterealtime.openfire.plugins.carbons.testserver;

import org.jivesoftware.openfire.XMPPServer;
import org.jivesoftware.openfire.container.Plugin;
import org.jivesoftware.openfire.container.PluginManager;
import org.jivesoftware.openfire.container.PluginMonitor;
import org.jivesoftware.openfire.roster.Roster;
import org.jivesoftware.openfire.roster.RosterItem;
import org.jivesoftware.openfire.user.UserAlreadyExistsException;
import org.jivesoftware.openfire.user.UserManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.JID;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * A real Openfire 4.2.0 (the newest on Maven Central) booted in this JVM on Java 17, with an in-memory HSQLDB,
 * plain-text client connections on a free loopback port, and the plugin jar deployed through its plugins
 * directory exactly as an administrator's upload would be. One server per JVM: Openfire is a singleton.
 */
public final class EmbeddedOpenfire {

    private static final Logger Log = LoggerFactory.getLogger(EmbeddedOpenfire.class);

    public static final String DOMAIN = "localhost";
    public static final String PLUGIN_NAME = "carbons";
    private static final String DB_URL = "jdbc:hsqldb:mem:openfire";

    private static EmbeddedOpenfire instance;

    private final Path home;
    private final int clientPort;
    private final XMPPServer server;

    private EmbeddedOpenfire(Path home, int clientPort, XMPPServer server) {
        this.home = home;
        this.clientPort = clientPort;
        this.server = server;
    }

    /**
     * Boots the server once for this JVM.
     *
     * @param home       an empty (or reusable) directory for Openfire's home
     * @param clientPort the c2s port, 0 for any free one
     */
    public static synchronized EmbeddedOpenfire start(Path home, int clientPort) throws Exception {
        return start(home, clientPort, false);
    }

    /**
     * Boots the server once for this JVM.
     *
     * @param tls offer STARTTLS with a self-signed certificate for localhost (what desktop clients expect);
     *            the tests use plain connections
     */
    public static synchronized EmbeddedOpenfire start(Path home, int clientPort, boolean tls) throws Exception {
        if (instance != null) {
            return instance;
        }
        final int port = clientPort == 0 ? LoopbackPorts.free() : clientPort;
        prepareHome(home);
        if (tls) {
            selfSignedCertificate(home.resolve("resources/security/keystore"));
        }
        prepareDatabase(port, tls);
        System.setProperty("openfireHome", home.toAbsolutePath().toString());
        AdminConsole.installJspRuntime();
        Log.info("Booting Openfire {} in {} (client port {})", "4.2.0", home, port);
        final XMPPServer server = new XMPPServer();
        waitFor(Duration.ofSeconds(60), server::isStarted, "Openfire to start");
        instance = new EmbeddedOpenfire(home, port, server);
        return instance;
    }

    public static synchronized EmbeddedOpenfire running() {
        if (instance == null) {
            throw new IllegalStateException("Openfire is not running");
        }
        return instance;
    }

    public int clientPort() {
        return clientPort;
    }

    public XMPPServer server() {
        return server;
    }

    public Path home() {
        return home;
    }

    /** Creates the account unless it exists. */
    public void ensureUser(String username, String password) throws Exception {
        try {
            UserManager.getInstance().createUser(username, password, username, null);
        } catch (UserAlreadyExistsException e) {
            // Already there from an earlier test.
        }
    }

    /**
     * Puts two users in each other's roster with subscription "both", as after a mutual subscription, so that each
     * sees the other's presence from the first login. Items that exist are left as they are.
     */
    public void makeContacts(String user, String other) throws Exception {
        addContact(user, other);
        addContact(other, user);
    }

    private void addContact(String owner, String contact) throws Exception {
        final Roster roster = server.getRosterManager().getRoster(owner);
        final JID jid = new JID(contact, DOMAIN, null);
        if (!roster.isRosterItem(jid)) {
            final RosterItem item = roster.createRosterItem(jid, contact, List.of("Contacts"), false, true);
            item.setSubStatus(RosterItem.SUB_BOTH);
            roster.updateRosterItem(item);
        }
    }

    /**
     * Gives the user a PEP service now, as the first PEP request of one of its clients would. Clients ask a contact's
     * bare JID for disco#info on PEP nodes (nick, avatar) at login; Openfire 4.2.0 answers that with internal-server-error
     * and logs a NullPointerException when the contact has no PEP service yet (IQPEPHandler.hasInfo does not check the
     * service it looks up). With a service, the answer is item-not-found or the node's info, as in Openfire 5.x.
     */
    public void ensurePepService(String username) {
        server.getIQPEPHandler().getServiceManager().create(new JID(username, DOMAIN, null));
    }

    /**
     * Deploys a plugin jar through the plugins directory. Openfire 4.2.0 is older than the plugin's
     * minServerVersion, so the deployed copy carries a lowered version gate; nothing else differs.
     */
    public Plugin deployPlugin(Path pluginJar) throws Exception {
        final Path target = home.resolve("plugins").resolve(PLUGIN_NAME + ".jar");
        copyWithVersionGate(pluginJar, target, "4.2.0");
        scanPlugins();
        waitFor(Duration.ofSeconds(30), () -> pluginManager().getPlugin(PLUGIN_NAME) != null, "the plugin to load");
        return pluginManager().getPlugin(PLUGIN_NAME);
    }

    /** Unloads the plugin the way an administrator's "delete" in the admin console does. */
    public void undeployPlugin() throws Exception {
        pluginManager().deletePlugin(PLUGIN_NAME);
        waitFor(Duration.ofSeconds(30), () -> pluginManager().getPlugin(PLUGIN_NAME) == null, "the plugin to unload");
    }

    public boolean isPluginLoaded() {
        return pluginManager().getPlugin(PLUGIN_NAME) != null;
    }

    public PluginManager pluginManager() {
        return server.getPluginManager();
    }

    /** Asks the plugin monitor to look at the plugins directory now instead of in 20 seconds. */
    private void scanPlugins() throws Exception {
        final Field field = PluginManager.class.getDeclaredField("pluginMonitor");
        field.setAccessible(true);
        ((PluginMonitor) field.get(pluginManager())).runNow(true);
    }

    public static void waitFor(Duration timeout, BooleanSupplier condition, String what) throws InterruptedException {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private static void prepareHome(Path home) throws Exception {
        Files.createDirectories(home.resolve("conf"));
        Files.createDirectories(home.resolve("logs"));
        Files.createDirectories(home.resolve("resources/security"));
        Files.createDirectories(home.resolve("plugins/admin"));
        // Without an admin plugin entry Openfire 4.2.0 loads the first plugin it finds twice. Openfire's own
        // AdminConsolePlugin needs Openfire 4.2's Jetty 9, which is not on the class path (the admin pages run on
        // Jetty 12, see AdminConsole), so the entry names a plugin that stands in for it and does nothing.
        Files.writeString(home.resolve("plugins/admin/plugin.xml"),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plugin>\n"
                + "  <class>" + AdminConsolePlaceholder.class.getName() + "</class>\n"
                + "  <name>Admin Console</name>\n  <version>4.2.0</version>\n</plugin>\n", StandardCharsets.UTF_8);
        // Remove a plugin left from an earlier run: each run deploys the freshly built jar.
        deleteRecursively(home.resolve("plugins").resolve(PLUGIN_NAME));
        Files.deleteIfExists(home.resolve("plugins").resolve(PLUGIN_NAME + ".jar"));
        for (String store : new String[]{"keystore", "truststore", "client.truststore"}) {
            final Path file = home.resolve("resources/security").resolve(store);
            if (!Files.exists(file)) {
                final KeyStore keyStore = KeyStore.getInstance("JKS");
                keyStore.load(null, null);
                try (OutputStream out = Files.newOutputStream(file)) {
                    keyStore.store(out, "changeit".toCharArray());
                }
            }
        }
        // Openfire reads (and would write) encrypted-property settings here; without the file it logs an error at boot.
        Files.writeString(home.resolve("conf/security.xml"), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<security/>\n", StandardCharsets.UTF_8);
        Files.writeString(home.resolve("conf/openfire.xml"), """
            <?xml version="1.0" encoding="UTF-8"?>
            <jive>
              <network><interface>127.0.0.1</interface></network>
              <adminConsole><port>-1</port><securePort>-1</securePort></adminConsole>
              <locale>en</locale>
              <connectionProvider><className>org.jivesoftware.database.DefaultConnectionProvider</className></connectionProvider>
              <database>
                <defaultProvider>
                  <driver>org.hsqldb.jdbcDriver</driver>
                  <serverURL>%s</serverURL>
                  <username>sa</username>
                  <password></password>
                  <testSQL>select 1 from INFORMATION_SCHEMA.SYSTEM_USERS</testSQL>
                  <testBeforeUse>false</testBeforeUse>
                  <testAfterUse>false</testAfterUse>
                  <minConnections>2</minConnections>
                  <maxConnections>20</maxConnections>
                  <connectionTimeout>1.0</connectionTimeout>
                </defaultProvider>
              </database>
              <setup>true</setup>
            </jive>
            """.formatted(DB_URL), StandardCharsets.UTF_8);
    }

    /**
     * A self-signed certificate for localhost, made once per home and kept while it is valid for another day, so that a
     * client told to accept it (or to trust its file) keeps accepting it from one sandbox run to the next.
     */
    private static void selfSignedCertificate(Path keystore) throws Exception {
        if (Files.exists(keystore)) {
            final KeyStore existing = KeyStore.getInstance("JKS");
            try (InputStream in = Files.newInputStream(keystore)) {
                existing.load(in, "changeit".toCharArray());
            }
            if (existing.getCertificate(DOMAIN + "_rsa") instanceof X509Certificate certificate) {
                try {
                    certificate.checkValidity(new Date(System.currentTimeMillis() + Duration.ofDays(1).toMillis()));
                    return;
                } catch (CertificateException e) {
                    // Expires within a day: make a new one.
                }
            }
        }
        Files.deleteIfExists(keystore);
        final Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
            "-genkeypair", "-alias", DOMAIN + "_rsa", "-keyalg", "RSA", "-keysize", "2048", "-validity", "3650",
            "-dname", "CN=" + DOMAIN, "-ext", "SAN=dns:" + DOMAIN, "-storetype", "JKS",
            "-keystore", keystore.toString(), "-storepass", "changeit", "-keypass", "changeit")
            .redirectErrorStream(true).start();
        final String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (keytool.waitFor() != 0) {
            throw new IOException("keytool failed: " + output);
        }
    }

    private static void prepareDatabase(int clientPort, boolean tls) throws Exception {
        final Map<String, String> properties = new LinkedHashMap<>();
        properties.put("xmpp.domain", DOMAIN);
        properties.put("xmpp.fqdn", DOMAIN);
        properties.put("xmpp.socket.plain.port", Integer.toString(clientPort));
        // Every listener binds to network.interface (openfire.xml, loopback); the Flash policy port 5229 is not wanted at all.
        properties.put("flash.crossdomain.enabled", "false");
        // MINA 2.0.7 sizes its pools from this; the default is too large for JDK 9+ here.
        properties.put("xmpp.client.processing.threads", "3");
        properties.put("xmpp.client.tls.policy", tls ? "optional" : "disabled");
        properties.put("xmpp.socket.ssl.active", "false");
        properties.put("xmpp.server.socket.active", "false");
        properties.put("xmpp.component.socket.active", "false");
        properties.put("xmpp.component.ssl.active", "false");
        properties.put("xmpp.multiplex.ssl.active", "false");
        properties.put("xmpp.multiplex.socket.active", "false");
        properties.put("httpbind.enabled", "false");
        properties.put("xmpp.proxy.enabled", "false");
        properties.put("mediaproxy.enabled", "false");
        properties.put("update.service-enabled", "false");
        properties.put("xmpp.auth.anonymous", "false");
        properties.put("register.inband", "false");
        // Messages nobody can take are dropped, so that no test sees another test's offline messages.
        properties.put("xmpp.offline.type", "drop");

        Class.forName("org.hsqldb.jdbcDriver");
        try (Connection connection = DriverManager.getConnection(DB_URL, "sa", "")) {
            final boolean exists = connection.getMetaData().getTables(null, null, "OFVERSION", null).next();
            if (!exists) {
                try (Statement statement = connection.createStatement()) {
                    for (String sql : schemaStatements()) {
                        statement.execute(sql);
                    }
                }
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("DELETE FROM ofProperty");
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO ofProperty (name, propValue) VALUES (?, ?)")) {
                for (Map.Entry<String, String> property : properties.entrySet()) {
                    insert.setString(1, property.getKey());
                    insert.setString(2, property.getValue());
                    insert.executeUpdate();
                }
            }
        }
    }

    private static String[] schemaStatements() throws IOException {
        try (InputStream in = EmbeddedOpenfire.class.getResourceAsStream("/openfire/schema-hsqldb.sql")) {
            if (in == null) {
                throw new IOException("schema-hsqldb.sql is missing from the test class path");
            }
            final StringBuilder sql = new StringBuilder();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.trim().startsWith("--")) {
                    sql.append(line).append('\n');
                }
            }
            return sql.toString().split(";\\s*\n");
        }
    }

    private static void copyWithVersionGate(Path source, Path target, String minServerVersion) throws IOException {
        final Path partial = target.resolveSibling(target.getFileName() + ".part");
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(source));
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(partial))) {
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                out.putNextEntry(new ZipEntry(entry.getName()));
                byte[] content = in.readAllBytes();
                if ("plugin.xml".equals(entry.getName())) {
                    content = new String(content, StandardCharsets.UTF_8)
                        .replaceAll("<minServerVersion>[^<]*</minServerVersion>", "<minServerVersion>" + minServerVersion + "</minServerVersion>")
                        .getBytes(StandardCharsets.UTF_8);
                }
                out.write(content);
                out.closeEntry();
            }
        }
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (var walk = Files.walk(path)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
