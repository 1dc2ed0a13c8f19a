package org.igniterealtime.openfire.plugins.carbons.engine;

import org.dom4j.QName;
import org.xmpp.packet.JID;
import org.xmpp.packet.Presence;

import java.util.HashMap;
import java.util.Map;

/**
 * Which MUC rooms each resource of a local user has joined, and under which nick, learned from the presence the
 * resources exchange with rooms (XEP-0045 §7.2, §7.6, §7.14). XEP-0280 §6.1 needs it twice: a message whose
 * partner is a joined room is a MUC private message even on a remote service, and a private message the user
 * sends is copied only to the resources joined to that room with the same nick (Multi-Session Nick).
 * <p>
 * Kept in a map of JDK types (full JID to an immutable-by-convention map of room bare JID to nick) that the
 * adapter backs with an Openfire cache; a full JID is only ever written by the node hosting its session.
 */
public final class MucOccupancy {

    private static final QName MUC_JOIN = QName.get("x", "http://jabber.org/protocol/muc");

    private final Map<String, HashMap<String, String>> joins;

    public MucOccupancy(Map<String, HashMap<String, String>> joins) {
        this.joins = joins;
    }

    /**
     * A local resource sent presence to an occupant address (room@service/nick).
     *
     * @param isMucService whether the address's service is known to be a MUC service
     */
    public void presenceToRoom(Presence presence, JID resource, boolean isMucService) {
        final JID occupant = presence.getTo();
        if (occupant == null || occupant.getNode() == null || occupant.getResource() == null) {
            return;
        }
        final String room = occupant.toBareJID();
        final String current = nick(resource, room);
        if (presence.getType() == Presence.Type.unavailable) {
            if (current != null) {
                update(resource, room, null);
            }
        } else if (presence.getType() == null) {
            // A join carries <x xmlns='muc'/>; a nick change or presence update goes to a room already joined.
            if (current != null || presence.getElement().element(MUC_JOIN) != null || isMucService) {
                if (!occupant.getResource().equals(current)) {
                    update(resource, room, occupant.getResource());
                }
            }
        }
    }

    /** A room sent presence to a local resource: an error or the resource's own unavailable presence ends the stay. */
    public void presenceFromRoom(Presence presence, JID resource) {
        final JID occupant = presence.getFrom();
        if (occupant == null || occupant.getNode() == null) {
            return;
        }
        final String room = occupant.toBareJID();
        final String current = nick(resource, room);
        if (current == null) {
            return;
        }
        if (presence.getType() == Presence.Type.error
            || (presence.getType() == Presence.Type.unavailable && current.equals(occupant.getResource()))) {
            update(resource, room, null);
        }
    }

    /** The resource's session ended: it is in no room any more. */
    public void sessionEnded(JID resource) {
        joins.remove(resource.toFullJID());
    }

    /** The nick under which the resource is joined to the room, or null. */
    public String nick(JID resource, JID room) {
        return nick(resource, room.toBareJID());
    }

    private String nick(JID resource, String room) {
        final Map<String, String> rooms = joins.get(resource.toFullJID());
        return rooms == null ? null : rooms.get(room);
    }

    /** Whether any of these resources is joined to the room. */
    public boolean anyJoined(Iterable<JID> resources, JID room) {
        for (JID resource : resources) {
            if (nick(resource, room) != null) {
                return true;
            }
        }
        return false;
    }

    /** Rooms joined by the resource, for tests and the admin pages. */
    public Map<String, String> rooms(JID resource) {
        final Map<String, String> rooms = joins.get(resource.toFullJID());
        return rooms == null ? Map.of() : Map.copyOf(rooms);
    }

    private void update(JID resource, String room, String nick) {
        final String key = resource.toFullJID();
        // Copy on write: cache values are replaced whole, never changed in place.
        final HashMap<String, String> current = joins.get(key);
        final HashMap<String, String> next = current == null ? new HashMap<>() : new HashMap<>(current);
        if (nick == null) {
            next.remove(room);
        } else {
            next.put(room, nick);
        }
        if (next.isEmpty()) {
            joins.remove(key);
        } else {
            joins.put(key, next);
        }
    }
}
