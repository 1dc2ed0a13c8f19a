package org.igniterealtime.openfire.plugins.carbons.engine;

import org.xmpp.packet.JID;

import java.util.Collection;

/**
 * What the engine needs to know about the server it runs in. Implemented over Openfire by the adapter,
 * and by plain maps in tests.
 */
public interface CarbonsDirectory {

    /** Whether the address belongs to a user account hosted by this server (local domain, with a localpart). */
    boolean isLocalUser(JID address);

    /** Whether the address's domain is a multi-user chat service hosted by this server. */
    boolean isMucService(JID address);

    /** The full JIDs of the user's online resources, carbons or not. */
    Collection<JID> onlineResources(JID user);

    /** The full JIDs of the user's online resources that enabled carbons; {@code user} is any JID of the user. */
    Collection<JID> carbonsResources(JID user);
}
