package org.igniterealtime.openfire.plugins.carbons.engine;

import org.xmpp.packet.JID;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A directory over plain maps for tests and benchmarks: users live on example.org, the MUC service is
 * conference.example.org.
 */
public final class MapDirectory implements CarbonsDirectory {

    public static final String DOMAIN = "example.org";
    public static final String MUC_SERVICE = "conference.example.org";

    /** Bare JID to the resources with carbons enabled. */
    public final Map<String, List<JID>> enabled = new HashMap<>();
    /** Bare JID to the resources online. */
    public final Map<String, List<JID>> online = new HashMap<>();

    @Override
    public boolean isLocalUser(JID address) {
        return address.getNode() != null && DOMAIN.equals(address.getDomain());
    }

    @Override
    public boolean isMucService(JID address) {
        return MUC_SERVICE.equals(address.getDomain());
    }

    @Override
    public Collection<JID> onlineResources(JID user) {
        return online.getOrDefault(user.toBareJID(), List.of());
    }

    @Override
    public Collection<JID> carbonsResources(JID user) {
        return enabled.getOrDefault(user.toBareJID(), List.of());
    }
}
