package org.igniterealtime.openfire.plugins.carbons.openfire;

import org.igniterealtime.openfire.plugins.carbons.admin.Paging;
import org.igniterealtime.openfire.plugins.carbons.admin.SettingsForm;
import org.igniterealtime.openfire.plugins.carbons.engine.CarbonsStatistics;
import org.igniterealtime.openfire.plugins.carbons.engine.RuleSettings;
import org.jivesoftware.openfire.SessionManager;
import org.jivesoftware.openfire.group.GroupManager;
import org.jivesoftware.openfire.group.GroupNotFoundException;
import org.jivesoftware.openfire.session.ClientSession;
import org.xmpp.packet.JID;
import org.xmpp.packet.Presence;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the admin pages show and change, read from the running plugin. The pages only render these values.
 */
public final class CarbonsAdmin {

    /** The status page's figures. */
    public record Summary(int onlineSessions, int carbonsSessions, long receivedCopies, long sentCopies,
                          List<Count> copiedBy, List<Count> notCopiedBy, List<Count> incidents) {
    }

    /** A reason or incident and how often it happened; key is the i18n key of its label. */
    public record Count(String name, String key, long count) {
    }

    /** One session of a user: the answer to "are carbons on for this user's phone?". */
    public record ResourceRow(String resource, boolean carbons, Date enabledSince, boolean available, int priority,
                              long copiesDelivered) {
    }

    /** A user with carbons enabled on some resource. */
    public record UserRow(String username, int carbonsResources, int onlineResources) {
    }

    public record UserPage(Paging paging, List<UserRow> rows) {
    }

    private final CarbonsState state;
    private final CarbonsStatistics statistics;
    private final SessionManager sessions;
    private final Supplier<RuleSettings> settings;

    CarbonsAdmin(CarbonsState state, CarbonsStatistics statistics, SessionManager sessions, Supplier<RuleSettings> settings) {
        this.state = state;
        this.statistics = statistics;
        this.sessions = sessions;
        this.settings = settings;
    }

    public Summary summary() {
        final List<Count> copied = new ArrayList<>();
        final List<Count> notCopied = new ArrayList<>();
        statistics.decisions().forEach((reason, count) ->
            (reason.copies() ? copied : notCopied).add(new Count(reason.name(), key("carbons.reason.", reason), count)));
        final List<Count> incidents = new ArrayList<>();
        statistics.incidents().forEach((incident, count) -> incidents.add(new Count(incident.name(), key("carbons.incident.", incident), count)));
        return new Summary(sessions.getUserSessionsCount(false), state.size(), statistics.receivedCopies(),
            statistics.sentCopies(), copied, notCopied, incidents);
    }

    /**
     * The username an administrator typed: a bare name, or a JID of which the localpart counts.
     *
     * @return the username in its stored (nodeprepped) form, or null when it cannot be one
     */
    public static String username(String typed) {
        if (typed == null || typed.isBlank()) {
            return null;
        }
        try {
            final String value = typed.trim();
            return value.indexOf('@') >= 0 ? new JID(value).getNode() : JID.nodeprep(value);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The user's sessions by resource: the available ones across the cluster, and this node's sessions that enabled
     * carbons before sending presence (Openfire lists a user's sessions only once they are available). Copies
     * delivered are counted on this node.
     */
    public List<ResourceRow> resourcesOf(String username) {
        final List<ResourceRow> rows = new ArrayList<>();
        if (username == null) {
            return rows;
        }
        final Map<JID, ClientSession> found = new LinkedHashMap<>();
        for (ClientSession session : sessions.getSessions(username)) {
            found.put(session.getAddress(), session);
        }
        for (String candidate : state.localCandidates(username)) {
            final ClientSession session = sessions.getSession(new JID(candidate));
            if (session != null) {
                found.putIfAbsent(session.getAddress(), session);
            }
        }
        for (ClientSession session : found.values()) {
            final JID address = session.getAddress();
            final Long since = state.enabledSince(address, session.getStreamID().getID());
            final Presence presence = session.getPresence();
            rows.add(new ResourceRow(address.getResource(), since != null, since == null ? null : new Date(since),
                presence != null && presence.isAvailable(), presence == null ? 0 : presence.getPriority(),
                statistics.copiesTo(address)));
        }
        rows.sort(Comparator.comparing(ResourceRow::resource, Comparator.nullsFirst(Comparator.naturalOrder())));
        return rows;
    }

    /** One page of the users with carbons enabled right now; only that page's users are looked up. */
    public UserPage usersWithCarbons(int start, int range) {
        final Map<String, Integer> users = state.enabledUsers();
        final String[] names = CarbonsState.sorted(users);
        final Paging paging = Paging.of(start, range, names.length);
        final List<UserRow> rows = new ArrayList<>(paging.end() - paging.start());
        for (int i = paging.start(); i < paging.end(); i++) {
            rows.add(new UserRow(names[i], users.get(names[i]), sessions.getSessionCount(names[i])));
        }
        return new UserPage(paging, rows);
    }

    public RuleSettings settings() {
        return settings.get();
    }

    /** Reads a submitted settings form; the groups must exist. */
    public SettingsForm.Outcome read(Function<String, String> parameter) {
        return SettingsForm.read(parameter, CarbonsAdmin::groupExists);
    }

    /**
     * Stores and applies the settings at once (no restart).
     *
     * @return property to new value of what changed, for the admin event log
     */
    public Map<String, String> apply(RuleSettings wanted) {
        return CarbonsSettings.write(settings.get(), wanted);
    }

    private static boolean groupExists(String group) {
        try {
            GroupManager.getInstance().getGroup(group);
            return true;
        } catch (GroupNotFoundException | RuntimeException e) {
            return false;
        }
    }

    private static String key(String prefix, Enum<?> constant) {
        return prefix + constant.name().toLowerCase().replace('_', '-');
    }
}
