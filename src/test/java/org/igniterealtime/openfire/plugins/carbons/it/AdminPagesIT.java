package org.igniterealtime.openfire.plugins.carbons.it;

import org.igniterealtime.openfire.plugins.carbons.testserver.AdminConsole;
import org.igniterealtime.openfire.plugins.carbons.testserver.Browser;
import org.igniterealtime.openfire.plugins.carbons.testserver.EmbeddedOpenfire;
import org.igniterealtime.openfire.plugins.carbons.testserver.RealServer;
import org.igniterealtime.openfire.plugins.carbons.testserver.XmppClient;
import org.jivesoftware.openfire.security.SecurityAuditEvent;
import org.jivesoftware.openfire.security.SecurityAuditManager;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.jivesoftware.util.JiveGlobals;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

import java.util.List;
import java.util.Locale;
import java.util.ResourceBundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin pages as an administrator uses them: the compiled pages of the deployed plugin jar, served by Jetty
 * 12 ee8 with Jasper 9 beside the in-process Openfire, loaded and clicked in Debian's headless chromium while
 * real Smack sessions are online. Screenshots go to target/screenshots/.
 */
class AdminPagesIT extends CarbonsTestBase {

    private static final String RULES0 = "urn:xmpp:carbons:rules:0";
    private static final String SETTINGS_CHANGED = "Message carbons settings changed";

    private static AdminConsole console;
    private static Browser browser;

    @BeforeAll
    static void startConsoleAndBrowser() throws Exception {
        console = AdminConsole.start(RealServer.get(), 0);
        browser = Browser.start();
    }

    @AfterAll
    static void stopConsoleAndBrowser() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (console != null) {
            console.close();
        }
    }

    @AfterEach
    void serverLocaleBack() {
        JiveGlobals.setLocale(Locale.ENGLISH);
    }

    @Test
    void statusPageShowsLiveFiguresAndTheSessionsOfAUser() throws Exception {
        a1.enableCarbons();
        a2.enableCarbons();
        open("carbons-status.jsp");
        final long received = number("received-copies");
        final long sent = number("sent-copies");
        final long receivedToCopy = number("received-to-copy");
        final long sentToCopy = number("sent-to-copy");
        final long privatesReceived = count("reason-PRIVATE", "received");
        final long privatesSent = count("reason-PRIVATE", "sent");
        final long headlines = count("reason-HEADLINE", "received");
        final long noCarbonsReceived = count("reason-NO_CARBONS_RESOURCE", "received");
        final long noCarbonsSent = count("reason-NO_CARBONS_RESOURCE", "sent");

        b1.chat("alice@localhost/A1", "hello alice");               // received carbon to A2
        a1.chat("bob@localhost/B1", "hello bob");                   // sent carbon to A2; bob has no carbons
        b1.send(message(b1, "alice@localhost/A1").ofType(Message.Type.chat).setBody("secret")
            .addExtension(element("private", CARBONS)).build());  // not copied: private
        b1.send(message(b1, "alice@localhost/A1").ofType(Message.Type.headline).setBody("news").build());
        flush(b1, a1, a2);
        flush(a1, a2);
        assertEquals(1, received(a2).size());
        assertEquals(1, sent(a2).size());

        // Sessions of earlier tests close asynchronously after their clients leave: reload until they are gone.
        reloadUntil(() -> number("online-sessions") == 5 && number("carbons-sessions") == 2, "carbons-status.jsp");
        assertEquals(5, number("online-sessions"), "a1, a2, a3, b1, b2");
        assertEquals(2, number("carbons-sessions"), "a1 and a2");
        // Side by side, per side: messages worth copying, and the carbons they gave.
        assertEquals(receivedToCopy + 1, number("received-to-copy"), "bob's chat to alice");
        assertEquals(received + 1, number("received-copies"), "only alice has another enabled device");
        assertEquals(sentToCopy + 1, number("sent-to-copy"), "alice's chat to bob, for alice");
        assertEquals(sent + 1, number("sent-copies"), "only alice has another enabled device");
        assertEquals(0, number("received-at-once") + number("sent-at-once"),
            "Openfire 4.2 has no client state indication: no carbon was hurried to an inactive device");
        assertEquals(privatesReceived + 1, count("reason-PRIVATE", "received"), "one private message: once for alice as recipient");
        assertEquals(privatesSent + 1, count("reason-PRIVATE", "sent"), "and once for bob as sender, in its own column");
        // Bob enabled carbons nowhere: his side of the chats, which the rules would copy, counts as nobody to copy to.
        assertEquals(noCarbonsReceived + 1, count("reason-NO_CARBONS_RESOURCE", "received"), "alice's chat, bob's side");
        assertEquals(noCarbonsSent + 1, count("reason-NO_CARBONS_RESOURCE", "sent"), "bob's chat, bob's side");
        assertEquals(headlines + 1, count("reason-HEADLINE", "received"));
        for (String side : List.of("received", "sent")) {
            final long reasons = browser.column("copied", side).stream().mapToLong(AdminPagesIT::digits).sum();
            final long total = digits(browser.element(By.cssSelector("#copied-total td." + side)).getText());
            assertEquals(2 * total, reasons, side + ": the copied reasons (and their total row) add up to the total");
            assertEquals(number(side + "-to-copy"), total, side + ": the total is the figure beside the carbons delivered");
        }

        browser.type("username", "alice");
        browser.submit("user-search");
        assertEquals(List.of("A1", "A2", "A3"), browser.column("user-sessions", "resource"));
        assertEquals(List.of("on", "on", "off"), browser.column("user-sessions", "carbons"));
        assertEquals(List.of("0", "2", "0"), browser.column("user-sessions", "delivered"), "A2 got both carbons");
        assertEquals(List.of("available (priority 0)", "available (priority 0)", "available (priority 0)"),
            browser.column("user-sessions", "presence"));
        final List<String> since = browser.column("user-sessions", "since");
        assertFalse(since.get(0).isBlank());
        assertTrue(since.get(2).isBlank(), "A3 never enabled carbons");

        assertEquals(List.of("alice"), browser.column("users", "user"));
        assertEquals(List.of("2"), browser.column("users", "carbons-resources"));
        assertEquals(List.of("3"), browser.column("users", "online-resources"));
        browser.screenshot("carbons-status");
    }

    @Test
    void everySessionOpenfireListsForAUserIsShownWithItsCarbonsState() throws Exception {
        a1.enableCarbons();
        final XmppClient silent = login("alice", "A4");  // no presence, no carbons: Openfire lists it all the same
        final XmppClient dave = login("dave", "phone"); // dave's only session, just as silent
        assertTrue(silent.connection().isAuthenticated() && dave.connection().isAuthenticated());
        open("carbons-status.jsp?username=alice");
        assertEquals(List.of("A1", "A2", "A3", "A4"), browser.column("user-sessions", "resource"));
        assertEquals(List.of("on", "off", "off", "off"), browser.column("user-sessions", "carbons"));
        assertEquals("no presence sent yet", browser.column("user-sessions", "presence").get(3));
        assertEquals(List.of("4"), browser.column("users", "online-resources"), "the users table counts the same sessions");

        open("carbons-status.jsp?username=dave");
        assertEquals("Client sessions of dave:", browser.text("user-result"), "not \"dave has no client session online\"");
        assertEquals(List.of("phone"), browser.column("user-sessions", "resource"));
        assertEquals(List.of("off"), browser.column("user-sessions", "carbons"));
    }

    @Test
    void aUserWhoseClientHasNotSentPresenceShowsSo() throws Exception {
        final XmppClient silent = login("carol", "phone"); // never sends presence
        silent.enableCarbons();
        open("carbons-status.jsp?username=carol@localhost");
        assertEquals(List.of("phone"), browser.column("user-sessions", "resource"));
        assertEquals(List.of("on"), browser.column("user-sessions", "carbons"));
        assertEquals(List.of("no presence sent yet"), browser.column("user-sessions", "presence"));

        open("carbons-status.jsp?username=nobody");
        assertEquals("nobody has no client session online.", browser.text("user-result"));
    }

    @Test
    void openfiresSessionDetailsPageTellsWhoHoldsCarbons() throws Exception {
        a1.enableCarbons();
        open("carbons-status.jsp?username=alice");
        browser.click(By.linkText("A1"));
        assertTrue(browser.currentUrl().endsWith("/session-details.jsp?jid=alice%40localhost%2FA1"), browser.currentUrl());
        final String a1Carbons = browser.text("carbons-plugin-note");
        assertTrue(a1Carbons.startsWith("Enabled by the Message Carbons plugin since "), a1Carbons);
        assertFalse(browser.pageText().contains("Disabled"), "Openfire's own value is replaced, not shown beside");
        assertFalse(isBuiltInFlagSet("alice@localhost/A1"), "while the plugin is loaded Openfire's own carbons stay off");
        browser.screenshot("session-details");
        browser.click(By.linkText("Carbons status of this user"));
        assertEquals(List.of("A1", "A2", "A3"), browser.column("user-sessions", "resource"), "the link leads back to alice's sessions");

        browser.open(console.openfireUrl("session-details.jsp?jid=alice@localhost/A3"));
        assertTrue(browser.element(By.id("features")).getText().contains("Disabled"), "A3 did not enable carbons");
        assertTrue(browser.element(By.id("features")).findElements(By.id("carbons-plugin-note")).isEmpty());

        JiveGlobals.setLocale(Locale.FRENCH);
        browser.open(console.openfireUrl("session-details.jsp?jid=alice@localhost/A1"));
        assertTrue(browser.text("carbons-plugin-note").startsWith("Activé par le plugin Message Carbons depuis "), "found and told in French too");
        JiveGlobals.setLocale(Locale.ENGLISH);

        server.undeployPlugin(); // hand-back: Openfire's own carbons and its own page are right again
        browser.open(console.openfireUrl("session-details.jsp?jid=alice@localhost/A1"));
        assertTrue(browser.element(By.id("features")).findElements(By.id("carbons-plugin-note")).isEmpty(), "the filter left with the plugin");
        assertTrue(browser.element(By.id("features")).getText().contains("Enabled"), "Openfire's own flag says so after the hand-back");
    }

    @Test
    void theStatusPageRefreshesItselfLikeOpenfiresSessionList() throws Exception {
        open("carbons-status.jsp");
        assertTrue(refreshMeta().isEmpty(), "no auto-refresh unless chosen");
        new org.openqa.selenium.support.ui.Select(browser.element("refresh")).selectByValue("10");
        EmbeddedOpenfire.waitFor(java.time.Duration.ofSeconds(10), () -> browser.currentUrl().contains("refresh=10"), "the refresh choice to be submitted");
        assertEquals(List.of("10"), refreshMeta());
        open("carbons-status.jsp?username=alice");
        assertEquals(List.of("10"), refreshMeta(), "remembered for this administrator, like session-summary.jsp");
        assertEquals("10", browser.element("refresh").getAttribute("value"));
        final WebElement page = browser.element(By.tagName("body"));
        b1.chat("alice@localhost/A1", "while the admin watches");
        new org.openqa.selenium.support.ui.WebDriverWait(browser.driver(), java.time.Duration.ofSeconds(20))
            .until(org.openqa.selenium.support.ui.ExpectedConditions.stalenessOf(page));
        assertTrue(browser.currentUrl().contains("username=alice"), "the page reloads itself with what it showed");
        assertEquals(List.of("A1", "A2", "A3"), browser.column("user-sessions", "resource"));

        new org.openqa.selenium.support.ui.Select(browser.element("refresh")).selectByValue("0");
        EmbeddedOpenfire.waitFor(java.time.Duration.ofSeconds(10), () -> browser.currentUrl().contains("refresh=0"), "the refresh choice to be submitted");
        assertTrue(refreshMeta().isEmpty());
    }

    @Test
    void whatTheAdministratorSearchedForComesFirstAndFiguresLineUp() throws Exception {
        a1.enableCarbons();
        open("carbons-status.jsp?username=alice");
        final int sessionsTop = browser.element("user-sessions").getRect().getY();
        for (String table : List.of("carbons-summary", "copies", "copied", "not-copied", "incidents", "users")) {
            assertTrue(sessionsTop < browser.element(table).getRect().getY(), "alice's sessions above " + table);
        }
        final List<WebElement> figures = browser.elements(By.cssSelector("table.carbons-figures td.count"));
        assertFalse(figures.isEmpty());
        for (WebElement figure : figures) {
            assertEquals("right", figure.getCssValue("text-align"), "numbers are right-aligned");
        }
        for (String table : List.of("user-sessions", "users")) {
            for (WebElement figure : browser.elements(By.cssSelector("#" + table + " td.count"))) {
                assertEquals("right", figure.getCssValue("text-align"), table);
            }
        }
        // The last figure column ends at the same place in every figure table, and the two-sided tables put their
        // received column at the same place.
        final java.util.Set<Integer> lastRightEdges = new java.util.HashSet<>();
        for (String table : List.of("carbons-summary", "copies", "copied", "not-copied", "incidents")) {
            final WebElement last = browser.element(By.cssSelector("#" + table + " tbody tr:first-child td:last-child"));
            lastRightEdges.add(last.getRect().getX() + last.getRect().getWidth());
        }
        assertEquals(1, lastRightEdges.size(), "right edges " + lastRightEdges);
        final java.util.Set<Integer> receivedColumns = new java.util.HashSet<>();
        for (String table : List.of("copies", "copied", "not-copied")) {
            receivedColumns.add(browser.element(By.cssSelector("#" + table + " tbody tr:first-child td.received")).getRect().getX());
        }
        assertEquals(1, receivedColumns.size(), "received columns " + receivedColumns);
    }

    @Test
    void usersWithCarbonsArePaged() throws Exception {
        a1.enableCarbons();
        b1.enableCarbons();
        login("carol", "C1").enableCarbons();
        reloadUntil(() -> browser.text("users-summary").endsWith(" of 3"), "carbons-status.jsp?range=2");
        assertEquals("Users 1 to 2 of 3", browser.text("users-summary"));
        assertEquals(List.of("alice", "bob"), browser.column("users", "user"));

        browser.click(By.linkText("2"));
        assertEquals("Users 3 to 3 of 3", browser.text("users-summary"));
        assertEquals(List.of("carol"), browser.column("users", "user"));

        browser.click(By.linkText("carol"));
        assertEquals(List.of("C1"), browser.column("user-sessions", "resource"), "a user link shows that user's sessions");
        assertEquals(List.of("carol"), browser.column("users", "user"), "and keeps the page of the list");

        browser.type("username", "alice");
        browser.submit("user-search");
        assertEquals(List.of("A1", "A2", "A3"), browser.column("user-sessions", "resource"));
        assertEquals("Users 3 to 3 of 3", browser.text("users-summary"), "a search keeps the page of the list too");
    }

    @Test
    void settingsFormAppliesAtOnceIsAuditedAndFollowsPostRedirectGet() throws Exception {
        open("carbons-settings.jsp");
        for (String toggle : List.of("enabled", "rules0", "promptToInactive", "copyImPayloads", "honourNoCopy", "errorReplies", "mucPrivateSameNickOnly")) {
            assertTrue(browser.element(toggle).isSelected(), toggle + " is on by default");
        }
        assertTrue(browser.element("forgedCarbons-drop").isSelected());
        assertEquals("", browser.element("allowedGroups").getAttribute("value"));
        assertTrue(browser.pageText().contains("Default: on. System property: plugin.carbons.rules0."));
        assertTrue(hasRules0(), "advertised before the change");
        final int auditedBefore = audited().size();

        browser.element("rules0").click();
        browser.submit("carbons-settings");

        assertTrue(browser.currentUrl().endsWith("carbons-settings.jsp?saved=1"), "redirected after the POST: " + browser.currentUrl());
        assertEquals("Settings saved and applied.", browser.text("saved"));
        assertFalse(browser.element("rules0").isSelected());
        assertFalse(hasRules0(), "disco#info follows the toggle without a restart");
        assertEquals("false", JiveGlobals.getProperty("plugin.carbons.rules0"));
        final List<SecurityAuditEvent> events = audited();
        assertEquals(auditedBefore + 1, events.size());
        assertTrue(events.stream().anyMatch(event -> "{plugin.carbons.rules0=false}".equals(event.getDetails())), "what changed is logged");
        browser.screenshot("carbons-settings");

        browser.refresh();
        assertEquals(auditedBefore + 1, audited().size(), "reloading the page after saving stores nothing again");

        browser.element("rules0").click();
        browser.submit("carbons-settings");
        assertTrue(hasRules0(), "switched back on");
    }

    @Test
    void switchingCarbonsOffStopsCopiesAndTheStatusPageSaysSo() throws Exception {
        a1.enableCarbons();
        a2.enableCarbons();
        open("carbons-settings.jsp");
        browser.element("enabled").click();
        browser.submit("carbons-settings");
        assertEquals("Settings saved and applied.", browser.text("saved"));

        b1.chat("alice@localhost/A1", "while off");
        flush(b1, a1, a2);
        assertTrue(received(a2).isEmpty(), "no carbons while switched off");
        open("carbons-status.jsp");
        assertTrue(browser.pageText().contains("Carbons are switched off on this server"));

        open("carbons-settings.jsp");
        browser.element("enabled").click();
        browser.submit("carbons-settings");
        b1.chat("alice@localhost/A1", "on again");
        flush(b1, a1, a2);
        assertEquals(1, received(a2).size(), "A2 enabled before and gets carbons again");
    }

    @Test
    void badSubmissionsChangeNothingAndSayWhy() throws Exception {
        open("carbons-settings.jsp");
        browser.type("allowedGroups", "staff, <b>bold</b>");
        browser.submit("carbons-settings");
        final WebElement error = browser.element(By.className("error-allowedGroups"));
        assertEquals("These groups do not exist: staff, <b>bold</b>. Nothing was saved.", error.getText());
        assertTrue(error.findElements(By.tagName("b")).isEmpty(), "what the administrator typed is escaped");
        assertEquals("staff, <b>bold</b>", browser.element("allowedGroups").getAttribute("value"), "the form keeps what was typed");
        assertNull(JiveGlobals.getProperty("plugin.carbons.allowedGroups"));

        open("carbons-settings.jsp");
        browser.element("rules0").click();
        browser.script("document.querySelector('input[name=csrf]').value = 'forged';");
        browser.submit("carbons-settings");
        assertTrue(browser.element(By.className("error-csrf")).getText().startsWith("The form was out of date"));
        assertNull(JiveGlobals.getProperty("plugin.carbons.rules0"), "a request without the page's token changes nothing");
        assertTrue(hasRules0());
    }

    @Test
    void whatUsersAndSessionsCarryIsEscaped() throws Exception {
        a1.enableCarbons(); // so that the user list (and its rows-per-page choice) is shown
        open("carbons-status.jsp");
        browser.type("username", "<img src=x onerror=document.title='owned'>");
        browser.submit("user-search");
        assertTrue(browser.text("user-result").contains("<img src=x"), "shown as text");
        assertTrue(browser.element(By.id("user-result")).findElements(By.tagName("img")).isEmpty());
        assertNotEquals("owned", browser.title());

        open("carbons-status.jsp?start=abc&range=-5&username=%00" + "x".repeat(3000));
        assertEquals("Message Carbons Status", browser.title(), "nonsense in the query string still shows the page");
        assertTrue(browser.text("user-result").contains("is not a valid username"));
        assertEquals("15", browser.element("range").getAttribute("value"));
    }

    @Test
    void uninstallingLeavesNoCacheNorCachePropertyBehindButKeepsTheAdministratorsChoices() throws Exception {
        // An administrator's own cache limit, and a setting, both chosen before: they outlive the plugin.
        final String adminLimit = "cache.MessageCarbonsRecentlyCopied.size";
        JiveGlobals.setProperty(adminLimit, "1048576");
        JiveGlobals.setProperty("plugin.carbons.rules0", "false");
        try {
            server.undeployPlugin();
            server.deployPlugin(RealServer.pluginJar());
            assertEquals(List.of("Message Carbons Enabled Sessions", "Message Carbons MUC Occupancy", "Message Carbons Recently Copied"),
                pluginCaches(), "what Cache Summary lists while the plugin runs");
            assertEquals(6, pluginCacheProperties().size(), "size and lifetime of three caches");

            server.undeployPlugin();

            // Openfire's Cache Summary (system-cache.jsp) lists CacheFactory.getAllCaches(); System Properties
            // (server-properties.jsp) lists JiveGlobals.getPropertyNames().
            assertEquals(List.of(), pluginCaches(), "no cache of the plugin left");
            assertEquals(List.of(adminLimit), pluginCacheProperties(), "only the limit the administrator chose stays");
            assertEquals("1048576", JiveGlobals.getProperty(adminLimit));
            assertEquals("false", JiveGlobals.getProperty("plugin.carbons.rules0"), "settings are kept for a reinstall");
        } finally {
            JiveGlobals.deleteProperty(adminLimit);
        }
    }

    @Test
    void thePluginsPageShowsTheIconsAndTheDescriptionAndTheReadmeNamesTheJar() throws Exception {
        final org.jivesoftware.openfire.container.Plugin plugin = server.pluginManager().getPlugin(EmbeddedOpenfire.PLUGIN_NAME);
        // Openfire's Plugins page takes both from PluginMetadataHelper (4.2 and 5.x alike).
        final java.net.URL icon = org.jivesoftware.openfire.container.PluginMetadataHelper.getIcon(plugin);
        assertTrue(icon.getPath().endsWith("/logo_small.png"), icon.toString());
        final java.awt.image.BufferedImage small = javax.imageio.ImageIO.read(icon);
        assertEquals(List.of(16, 16), List.of(small.getWidth(), small.getHeight()));
        final java.awt.image.BufferedImage large = javax.imageio.ImageIO.read(server.home().resolve("plugins/carbons/logo_large.png").toFile());
        assertEquals(List.of(64, 64), List.of(large.getWidth(), large.getHeight()));

        // The description is plain text: a ${key} would stop the plugin from loading (see plugin.xml).
        JiveGlobals.setLocale(Locale.GERMAN);
        final String description = org.jivesoftware.openfire.container.PluginMetadataHelper.getDescription(plugin);
        assertTrue(description.startsWith("XEP-0280 Message Carbons"), description);

        final String readme = java.nio.file.Files.readString(server.home().resolve("plugins/carbons/readme.html"));
        assertTrue(readme.contains("id=\"jar-name\""), "the install steps say the jar must be named carbons.jar");
    }

    @Test
    void openfire5FindsADescriptionForEverySettingInEveryLanguage() throws Exception {
        // Openfire 5.1.1 describes a plugin's SystemProperty from the bundle named after the plugin.xml name without
        // non-word characters, lower-cased, in the plugin's class loader (LocaleUtils.getLocalizedPluginString).
        final String pluginXmlName = "Message Carbons";
        final String bundleName = pluginXmlName.replaceAll("\\W", "").toLowerCase() + "_i18n";
        final ClassLoader loader = server.pluginManager().getPluginClassloader(server.pluginManager().getPlugin(EmbeddedOpenfire.PLUGIN_NAME));
        for (Locale locale : List.of(Locale.ENGLISH, Locale.GERMAN, Locale.FRENCH, new Locale("es"))) {
            final ResourceBundle descriptions = ResourceBundle.getBundle(bundleName, locale, loader);
            for (String setting : List.of("enabled", "rules0", "promptToInactive", "copyImPayloads", "honourNoCopy", "errorReplies",
                "mucPrivateSameNickOnly", "forgedCarbons", "allowedGroups")) {
                assertEquals(bundle(locale).getString("system_property.plugin.carbons." + setting),
                    descriptions.getString("system_property.plugin.carbons." + setting), locale + " " + setting);
            }
        }
        // The settings page shows the same descriptions.
        open("carbons-settings.jsp");
        assertTrue(browser.pageText().contains(bundle(Locale.ENGLISH).getString("system_property.plugin.carbons.honourNoCopy")));
    }

    @Test
    void bothPagesSpeakEveryLocale() throws Exception {
        for (Locale locale : List.of(Locale.ENGLISH, Locale.GERMAN, Locale.FRENCH, new Locale("es"))) {
            JiveGlobals.setLocale(locale);
            final ResourceBundle texts = bundle(locale);
            for (String page : List.of("carbons-status.jsp", "carbons-settings.jsp")) {
                open(page + "?username=alice");
                assertFalse(browser.source().contains("???"), page + " in " + locale + " has a missing text");
            }
            open("carbons-status.jsp");
            assertEquals(texts.getString("carbons.status.title"), browser.title(), locale.toString());
            if (locale.equals(Locale.GERMAN)) {
                assertEquals("Message-Carbons-Status", browser.title());
                browser.screenshot("carbons-status-de");
            }
        }
    }

    @Test
    void theConsoleListsBothPagesWhereAdministratorsLookWithTranslatedNames() throws Exception {
        // Openfire's own admin console model, which the plugin's plugin.xml entries were merged into at load.
        final org.dom4j.Element status = org.jivesoftware.admin.AdminConsole.getElemnetByID("carbons-status");
        assertEquals("plugins/carbons/carbons-status.jsp", status.attributeValue("url"));
        assertEquals("tab-session", status.getParent().getParent().attributeValue("id"), "Sessions tab, own sidebar");
        final org.dom4j.Element settings = org.jivesoftware.admin.AdminConsole.getElemnetByID("carbons-settings");
        assertEquals("plugins/carbons/carbons-settings.jsp", settings.attributeValue("url"));
        assertEquals("sidebar-server-settings", settings.getParent().attributeValue("id"));
        assertEquals("tab-server", settings.getParent().getParent().attributeValue("id"));

        JiveGlobals.setLocale(Locale.GERMAN);
        assertEquals("Carbons-Status", org.jivesoftware.admin.AdminConsole.getAdminText(status.attributeValue("name"), "carbons"));
        JiveGlobals.setLocale(Locale.FRENCH);
        assertEquals("État des carbons", org.jivesoftware.admin.AdminConsole.getAdminText(status.attributeValue("name"), "carbons"));
    }

    private ResourceBundle bundle(Locale locale) {
        return ResourceBundle.getBundle("carbons_i18n", locale,
            server.pluginManager().getPluginClassloader(server.pluginManager().getPlugin(EmbeddedOpenfire.PLUGIN_NAME)));
    }

    private static List<String> pluginCaches() {
        return java.util.Arrays.stream(org.jivesoftware.util.cache.CacheFactory.getAllCaches())
            .map(org.jivesoftware.util.cache.Cache::getName).filter(name -> name.startsWith("Message Carbons")).sorted().toList();
    }

    private static List<String> pluginCacheProperties() {
        return JiveGlobals.getPropertyNames().stream().filter(name -> name.startsWith("cache.MessageCarbons")).sorted().toList();
    }

    /** Loads the page again until the condition holds or 10 seconds have passed (the assertions then tell). */
    private void reloadUntil(java.util.function.BooleanSupplier condition, String page) throws InterruptedException {
        final long deadline = System.nanoTime() + 10_000_000_000L;
        open(page);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(100);
            open(page);
        }
    }

    private void open(String page) {
        browser.open(console.url(page));
    }

    private static long number(String id) {
        return digits(browser.text(id));
    }

    /** A reason's figure on one side (received or sent). */
    private static long count(String rowId, String side) {
        return digits(browser.element(By.cssSelector("#" + rowId + " td." + side)).getText());
    }

    private static long digits(String text) {
        return Long.parseLong(text.replaceAll("[^0-9]", ""));
    }

    private static List<String> refreshMeta() {
        return browser.elements(By.cssSelector("meta[http-equiv=refresh]")).stream().map(m -> m.getAttribute("content")).toList();
    }

    /** Openfire's own carbons flag of a session, which its session details page shows. */
    private boolean isBuiltInFlagSet(String address) {
        return server.server().getSessionManager().getSession(new org.xmpp.packet.JID(address)).isMessageCarbonsEnabled();
    }

    private boolean hasRules0() throws Exception {
        return ServiceDiscoveryManager.getInstanceFor(a3.connection()).discoverInfo(JidCreate.domainBareFrom("localhost"))
            .containsFeature(RULES0);
    }

    private static List<SecurityAuditEvent> audited() throws Exception {
        return SecurityAuditManager.getInstance().getEvents(AdminConsole.ADMIN, 0, 10_000, null, null).stream()
            .filter(event -> SETTINGS_CHANGED.equals(event.getSummary())).toList();
    }
}
