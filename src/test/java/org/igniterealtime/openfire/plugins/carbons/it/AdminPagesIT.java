package org.igniterealtime.openfire.plugins.carbons.it;

import org.igniterealtime.openfire.plugins.carbons.testserver.AdminConsole;
import org.igniterealtime.openfire.plugins.carbons.testserver.Browser;
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
        final long privates = count("reason-PRIVATE");
        final long headlines = count("reason-HEADLINE");

        b1.chat("alice@localhost/A1", "hello alice");               // received carbon to A2
        a1.chat("bob@localhost/B1", "hello bob");                   // sent carbon to A2
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
        assertEquals(received + 1, number("received-copies"));
        assertEquals(sent + 1, number("sent-copies"));
        assertEquals(privates + 2, count("reason-PRIVATE"), "judged for bob as sender and for alice as recipient");
        assertEquals(headlines + 2, count("reason-HEADLINE"));

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
        for (String toggle : List.of("enabled", "rules0", "copyImPayloads", "honourNoCopy", "errorReplies", "mucPrivateSameNickOnly")) {
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
    void bothPagesSpeakEveryLocale() throws Exception {
        for (Locale locale : List.of(Locale.ENGLISH, Locale.GERMAN, Locale.FRENCH, new Locale("es"))) {
            JiveGlobals.setLocale(locale);
            final ResourceBundle texts = ResourceBundle.getBundle("carbons_i18n", locale,
                server.pluginManager().getPluginClassloader(server.pluginManager().getPlugin("carbons")));
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
        return Long.parseLong(browser.text(id).replaceAll("[^0-9]", ""));
    }

    private static long count(String rowId) {
        return Long.parseLong(browser.element(By.cssSelector("#" + rowId + " td.count")).getText().replaceAll("[^0-9]", ""));
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
