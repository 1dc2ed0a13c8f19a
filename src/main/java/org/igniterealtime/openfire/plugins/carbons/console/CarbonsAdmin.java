package org.igniterealtime.openfire.plugins.carbons.console;

import org.igniterealtime.openfire.plugins.carbons.cluster.CarbonsState;
import org.igniterealtime.openfire.plugins.carbons.cluster.ClusterMembership;
import org.igniterealtime.openfire.plugins.carbons.settings.CarbonsSettings;
import org.igniterealtime.openfire.plugins.carbons.engine.CarbonsStatistics;
import org.igniterealtime.openfire.plugins.carbons.engine.Direction;
import org.igniterealtime.openfire.plugins.carbons.engine.Eligibility;
import org.igniterealtime.openfire.plugins.carbons.engine.RuleSettings;
import org.jivesoftware.openfire.SessionManager;
import org.jivesoftware.openfire.group.GroupManager;
import org.jivesoftware.openfire.group.GroupNotFoundException;
import org.jivesoftware.openfire.session.ClientSession;
import org.xmpp.packet.JID;
import org.xmpp.packet.Presence;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * What the admin pages show and change, read from the running plugin. The pages only render these values.
 */
public final class CarbonsAdmin {

    /**
     * The status page's figures. Every figure about messages is given per side, received (judged for the recipient)
     * and sent (judged for the sender), so that figures shown side by side count the same thing: the copied reasons
     * of a side add up to that side's {@link Side#toCopy()}.
     */
    public record Summary(int onlineSessions, int carbonsSessions, Side received, Side sent,
                          List<Reason> copiedBy, List<Reason> notCopiedBy, List<Count> incidents, Node node) {
    }

    /**
     * The cluster node serving the page, or null when the server is not clustered: session counts and users are the
     * cluster's, every other figure is this node's.
     */
    public record Node(String name, int clusterNodes) {
    }

    /**
     * One side of the copying: messages judged worth copying, and the carbons delivered for them (one per other
     * carbons-enabled resource of the user, so none when the user has none, several when there are several), of which
     * atOnceToInactive went to inactive sessions at once because their forwarded message was urgent (XEP-0352).
     */
    public record Side(long toCopy, long delivered, long atOnceToInactive) {
    }

    /** A reason and how many messages it decided, per side; key is the i18n key of its label. */
    public record Reason(String name, String key, long received, long sent) {
    }

    /** A reason or incident and how often it happened; key is the i18n key of its label. */
    public record Count(String name, String key, long count) {
    }

    /**
     * One session of a user: the answer to "are carbons on for this user's phone?". address is the full JID, which
     * Openfire's session details page takes.
     */
    public record ResourceRow(String resource, String address, boolean carbons, Date enabledSince, boolean available,
                              int priority, long copiesDelivered) {

        /**
         * Openfire's session details page for this session, relative to the plugin's pages (plugins/carbons/). Built
         * here rather than with c:url, whose session-id rewriting cannot parse a path that climbs with "..".
         */
        public String sessionDetails() {
            return "../../session-details.jsp?jid=" + URLEncoder.encode(address, StandardCharsets.UTF_8);
        }
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
    private final ClusterMembership cluster;
    private final String nodeName;

    public CarbonsAdmin(CarbonsState state, CarbonsStatistics statistics, SessionManager sessions, Supplier<RuleSettings> settings) {
        this(state, statistics, sessions, settings, ClusterMembership.STANDALONE, null);
    }

    /** @param nodeName how the page names this node in a cluster (host name and node ID) */
    public CarbonsAdmin(CarbonsState state, CarbonsStatistics statistics, SessionManager sessions, Supplier<RuleSettings> settings,
                 ClusterMembership cluster, String nodeName) {
        this.state = state;
        this.statistics = statistics;
        this.sessions = sessions;
        this.settings = settings;
        this.cluster = cluster;
        this.nodeName = nodeName;
    }

    public Summary summary() {
        final Map<Eligibility, Long> received = statistics.decisions(Direction.RECEIVED);
        final Map<Eligibility, Long> sent = statistics.decisions(Direction.SENT);
        final List<Reason> copied = new ArrayList<>();
        final List<Reason> notCopied = new ArrayList<>();
        long receivedToCopy = 0;
        long sentToCopy = 0;
        for (Eligibility reason : Eligibility.values()) {
            (reason.copies() ? copied : notCopied).add(
                new Reason(reason.name(), key("carbons.reason.", reason), received.get(reason), sent.get(reason)));
            if (reason.copies()) {
                receivedToCopy += received.get(reason);
                sentToCopy += sent.get(reason);
            }
        }
        final List<Count> incidents = new ArrayList<>();
        statistics.incidents().forEach((incident, count) -> incidents.add(new Count(incident.name(), key("carbons.incident.", incident), count)));
        return new Summary(sessions.getUserSessionsCount(false), state.size(),
            new Side(receivedToCopy, statistics.receivedCopies(), statistics.atOnceToInactive(Direction.RECEIVED)),
            new Side(sentToCopy, statistics.sentCopies(), statistics.atOnceToInactive(Direction.SENT)),
            copied, notCopied, incidents,
            cluster.clustered() ? new Node(nodeName, cluster.otherNodes().size() + 1) : null);
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
     * Every client session of the user that Openfire lists on its Client Sessions page, across the cluster, by
     * resource: also sessions that sent no presence and have no carbons. Copies delivered are counted on this node.
     */
    public List<ResourceRow> resourcesOf(String username) {
        final List<ResourceRow> rows = new ArrayList<>();
        if (username == null) {
            return rows;
        }
        for (ClientSession session : sessionsOf(Set.of(username)).get(username)) {
            final JID address = session.getAddress();
            final Long since = state.enabledSince(session);
            final Presence presence = session.getPresence();
            rows.add(new ResourceRow(address.getResource(), address.toFullJID(), since != null,
                since == null ? null : new Date(since), presence != null && presence.isAvailable(),
                presence == null ? 0 : presence.getPriority(), statistics.copiesTo(address)));
        }
        rows.sort(Comparator.comparing(ResourceRow::resource, Comparator.nullsFirst(Comparator.naturalOrder())));
        return rows;
    }

    /** One page of the users with carbons enabled right now; only that page's users are looked up. */
    public UserPage usersWithCarbons(int start, int range) {
        final Map<String, Integer> users = state.enabledUsers();
        final String[] names = CarbonsState.sorted(users);
        final Paging paging = Paging.of(start, range, names.length);
        final List<String> shown = Arrays.asList(names).subList(paging.start(), paging.end());
        final Map<String, List<ClientSession>> online = sessionsOf(new HashSet<>(shown));
        final List<UserRow> rows = new ArrayList<>(shown.size());
        for (String name : shown) {
            rows.add(new UserRow(name, users.get(name), online.get(name).size()));
        }
        return new UserPage(paging, rows);
    }

    /**
     * The client sessions of some users, in one pass over the sessions Openfire's Client Sessions page lists
     * (SessionManager.getSessions(): every bound client session of the cluster, with or without presence).
     * SessionManager.getSessions(String) cannot serve: it returns only available sessions (RoutingTableImpl.getRoutes
     * for a bare JID filters on ClientRoute.isAvailable(), 4.2 to 5.1.1); Openfire 5.1.1 itself counts a user's
     * sessions with such a pass (SessionManager.getSessions(JID), OF-3132), which 4.2 and 5.0 do not have.
     */
    private Map<String, List<ClientSession>> sessionsOf(Set<String> usernames) {
        final Map<String, List<ClientSession>> found = new HashMap<>();
        usernames.forEach(username -> found.put(username, new ArrayList<>()));
        if (usernames.isEmpty()) {
            return found;
        }
        for (ClientSession session : sessions.getSessions()) {
            final JID address = session.getAddress();
            final List<ClientSession> ofUser = address == null || address.getResource() == null ? null : found.get(address.getNode());
            if (ofUser != null) {
                ofUser.add(session);
            }
        }
        return found;
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
