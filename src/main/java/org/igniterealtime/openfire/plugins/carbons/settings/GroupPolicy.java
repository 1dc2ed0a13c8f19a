package org.igniterealtime.openfire.plugins.carbons.settings;

import org.jivesoftware.openfire.group.Group;
import org.jivesoftware.openfire.group.GroupManager;
import org.xmpp.packet.JID;

import java.util.Set;

/**
 * Who may enable carbons: everyone, or the members of the groups the administrator chose.
 */
public class GroupPolicy {

    public boolean mayEnable(JID user, Set<String> allowedGroups) {
        if (allowedGroups.isEmpty()) {
            return true;
        }
        for (Group group : GroupManager.getInstance().getGroups(user.asBareJID())) {
            if (allowedGroups.contains(group.getName())) {
                return true;
            }
        }
        return false;
    }
}
