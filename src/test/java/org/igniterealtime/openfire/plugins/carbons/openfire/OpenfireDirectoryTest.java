package org.igniterealtime.openfire.plugins.carbons.openfire;

import org.junit.jupiter.api.Test;
import org.xmpp.packet.JID;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The directory rebuilds the state's full JIDs without stringprep; they must be the addresses a full parse gives. */
class OpenfireDirectoryTest {

    private final OpenfireDirectory directory = new OpenfireDirectory("example.org", null, null, null);

    @Test
    void stateEntriesBecomeTheSameAddressesAsAFullParse() {
        for (String fullJid : List.of("alice@example.org/phone", "alice@example.org/a/b", "alice@example.org/x@y",
            "alice@example.org/r\u00e9sum\u00e9 1", "alice@example.org/ ")) {
            final JID address = directory.address("alice", fullJid);
            assertEquals(new JID(fullJid), address, fullJid);
            assertEquals(fullJid, address.toFullJID());
        }
    }

    @Test
    void entriesOfAnotherShapeAreParsedInFull() {
        for (String fullJid : List.of("alice@example.com/phone", "alicia@example.org/phone", "bob@example.org/r")) {
            assertEquals(new JID(fullJid), directory.address("alice", fullJid), fullJid);
        }
    }
}
