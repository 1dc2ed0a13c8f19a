package org.igniterealtime.openfire.plugins.carbons.it;

import org.igniterealtime.openfire.plugins.carbons.testserver.EmbeddedOpenfire;
import org.jivesoftware.smack.packet.IQ;
import org.jivesoftware.smack.packet.StanzaError;
import org.jivesoftware.smackx.disco.ServiceDiscoveryManager;
import org.jivesoftware.smackx.disco.packet.DiscoverInfo;
import org.jivesoftware.util.cache.Cache;
import org.jivesoftware.util.cache.CacheFactory;
import org.junit.jupiter.api.Test;
import org.jxmpp.jid.impl.JidCreate;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Enabling, disabling and discovering carbons (XEP-0280 §3 to §5) over real XMPP.
 */
class CarbonsProtocolIT extends CarbonsTestBase {

    @Test
    void serverAdvertisesCarbonsAndTheRecommendedRules() throws Exception {
        final DiscoverInfo info = ServiceDiscoveryManager.getInstanceFor(a1.connection())
            .discoverInfo(JidCreate.domainBareFrom("localhost"));
        assertTrue(info.containsFeature("urn:xmpp:carbons:2"));
        assertTrue(info.containsFeature("urn:xmpp:carbons:rules:0"));
    }

    @Test
    void enableAndDisableAreAnsweredWithAnEmptyResultWhereverTheyAreAddressed() throws Exception {
        for (String to : new String[]{null, "localhost", "alice@localhost"}) {
            for (String element : new String[]{"enable", "enable", "disable", "disable"}) {
                final IQ response = a2.request(carbonsIq(element, IQ.Type.set, to));
                assertEquals(IQ.Type.result, response.getType(), element + " to " + to);
                assertNull(response.getError());
            }
        }
    }

    @Test
    void getIsABadRequestAndChangesNothing() throws Exception {
        assertError(a2.request(carbonsIq("enable", IQ.Type.get, null)), StanzaError.Condition.bad_request);
        assertNoCarbonsFor();
    }

    @Test
    void unknownChildIsABadRequestAndChangesNothing() throws Exception {
        assertError(a2.request(carbonsIq("enabled", IQ.Type.set, null)), StanzaError.Condition.bad_request);
        assertNoCarbonsFor();
    }

    @Test
    void requestAddressedToAnotherUserIsNotAllowedAndChangesNothing() throws Exception {
        b2.enableCarbons();
        assertError(a2.request(carbonsIq("enable", IQ.Type.set, "bob@localhost")), StanzaError.Condition.not_allowed);
        assertError(a2.request(carbonsIq("disable", IQ.Type.set, "bob@localhost")), StanzaError.Condition.not_allowed);
        assertNoCarbonsFor();

        a1.chat("bob@localhost/B1", "bob keeps his carbons");
        flush(a1, b2);
        assertEquals(1, received(b2).size());
    }

    @Test
    void withoutClusteringTheStateStaysOnTheNodeAndTheSharedCacheStaysEmpty() throws Exception {
        // The cluster-shared cache (username/nodeID -> full JID -> since) is written only while clustering runs; a
        // single server keeps the state node-locally and pays nothing for cluster support (ClusterCarbonsTest and
        // CarbonsStateTest cover the clustered layout).
        a2.enableCarbons();
        b1.chat("alice@localhost/A1", "kept on this node");
        flush(b1, a2);
        assertEquals(1, received(a2).size(), "carbons work");
        final Cache<Object, Object> cache = CacheFactory.createCache("Message Carbons Enabled Sessions");
        assertTrue(cache.isEmpty(), "nothing published without a cluster: " + cache.keySet());
        a2.disableCarbons();
    }

    private void assertNoCarbonsFor() throws Exception {
        b1.chat("alice@localhost/A1", "is A2 enabled?");
        flush(b1, a2);
        assertTrue(received(a2).isEmpty(), "a refused request leaves carbons disabled");
    }

    static void assertError(IQ response, StanzaError.Condition condition) {
        assertEquals(IQ.Type.error, response.getType());
        assertEquals(condition, response.getError().getCondition());
    }

    static IQ carbonsIq(String element, IQ.Type type, String to) throws Exception {
        final IQ iq = new RawCarbonsIq(element);
        iq.setType(type);
        if (to != null) {
            iq.setTo(JidCreate.from(to));
        }
        return iq;
    }

    /** An IQ with an empty child in urn:xmpp:carbons:2, whatever its name. */
    static final class RawCarbonsIq extends IQ {
        RawCarbonsIq(String element) {
            super(element, CARBONS);
        }

        @Override
        protected IQChildElementXmlStringBuilder getIQChildElementBuilder(IQChildElementXmlStringBuilder xml) {
            xml.setEmptyElement();
            return xml;
        }
    }
}
