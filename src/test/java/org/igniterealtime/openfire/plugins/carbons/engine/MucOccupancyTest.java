package org.igniterealtime.openfire.plugins.carbons.engine;

import org.dom4j.DocumentException;
import org.dom4j.DocumentHelper;
import org.junit.jupiter.api.Test;
import org.xmpp.packet.JID;
import org.xmpp.packet.Presence;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Joins, nick changes and departures as the presence exchanged with rooms tells them (XEP-0045). */
class MucOccupancyTest {

    private static final JID A1 = new JID("alice@example.org/A1");
    private static final JID ROOM = new JID("room@muc.example.net");
    private final MucOccupancy occupancy = new MucOccupancy(new ConcurrentHashMap<>());

    @Test
    void joinNickChangeAndLeave() {
        occupancy.presenceToRoom(presence("<presence to='room@muc.example.net/al'><x xmlns='http://jabber.org/protocol/muc'/></presence>"), A1, false);
        assertEquals("al", occupancy.nick(A1, ROOM));
        occupancy.presenceToRoom(presence("<presence to='room@muc.example.net/alice'/>"), A1, false);
        assertEquals("alice", occupancy.nick(A1, ROOM), "nick change to a room already joined");
        occupancy.presenceFromRoom(presence("<presence type='unavailable' from='room@muc.example.net/al'/>"), A1);
        assertEquals("alice", occupancy.nick(A1, ROOM), "the room's goodbye to the old nick does not end the stay");
        occupancy.presenceToRoom(presence("<presence type='unavailable' to='room@muc.example.net/alice'/>"), A1, false);
        assertNull(occupancy.nick(A1, ROOM));
        assertEquals(Map.of(), occupancy.rooms(A1));
    }

    @Test
    void directedPresenceToAContactIsNotAJoin() {
        occupancy.presenceToRoom(presence("<presence to='bob@example.net/phone'/>"), A1, false);
        assertFalse(occupancy.anyJoined(List.of(A1), new JID("bob@example.net")));
    }

    @Test
    void joinOnALocalServiceNeedsNoMucElement() {
        occupancy.presenceToRoom(presence("<presence to='room@conference.example.org/al'/>"), A1, true);
        assertTrue(occupancy.anyJoined(List.of(A1), new JID("room@conference.example.org/someone")));
    }

    @Test
    void refusedJoinKickAndSessionEndLeaveTheRoom() {
        final JID other = new JID("other@muc.example.net");
        occupancy.presenceToRoom(presence("<presence to='room@muc.example.net/al'><x xmlns='http://jabber.org/protocol/muc'/></presence>"), A1, false);
        occupancy.presenceToRoom(presence("<presence to='other@muc.example.net/al'><x xmlns='http://jabber.org/protocol/muc'/></presence>"), A1, false);
        occupancy.presenceFromRoom(presence("<presence type='error' from='room@muc.example.net/al'/>"), A1);
        assertNull(occupancy.nick(A1, ROOM));
        occupancy.presenceFromRoom(presence("<presence type='unavailable' from='other@muc.example.net/al'><x xmlns='http://jabber.org/protocol/muc#user'><status code='307'/></x></presence>"), A1);
        assertNull(occupancy.nick(A1, other), "kicked");
        occupancy.presenceToRoom(presence("<presence to='room@muc.example.net/al'><x xmlns='http://jabber.org/protocol/muc'/></presence>"), A1, false);
        occupancy.sessionEnded(A1);
        assertNull(occupancy.nick(A1, ROOM));
    }

    private static Presence presence(String xml) {
        try {
            return new Presence(DocumentHelper.parseText(xml).getRootElement());
        } catch (DocumentException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
