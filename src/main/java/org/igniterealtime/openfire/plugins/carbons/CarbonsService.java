package org.igniterealtime.openfire.plugins.carbons;

import org.igniterealtime.openfire.plugins.carbons.cluster.BatchPublisher;
import org.igniterealtime.openfire.plugins.carbons.cluster.Caches;
import org.igniterealtime.openfire.plugins.carbons.cluster.CarbonsCluster;
import org.igniterealtime.openfire.plugins.carbons.cluster.CarbonsState;
import org.igniterealtime.openfire.plugins.carbons.cluster.NodeOwnedMap;
import org.igniterealtime.openfire.plugins.carbons.cluster.RemoteDeliveryWatch;
import org.igniterealtime.openfire.plugins.carbons.console.CarbonsAdmin;
import org.igniterealtime.openfire.plugins.carbons.console.SessionDetailsNote;
import org.igniterealtime.openfire.plugins.carbons.openfire.CarbonsActivation;
import org.igniterealtime.openfire.plugins.carbons.openfire.CarbonsIQHandler;
import org.igniterealtime.openfire.plugins.carbons.openfire.CarbonsInterceptor;
import org.igniterealtime.openfire.plugins.carbons.openfire.CarbonsSessionListener;
import org.igniterealtime.openfire.plugins.carbons.openfire.ClientStateIndication;
import org.igniterealtime.openfire.plugins.carbons.openfire.DiscoFeatures;
import org.igniterealtime.openfire.plugins.carbons.openfire.OpenfireDirectory;
import org.igniterealtime.openfire.plugins.carbons.settings.CarbonsSettings;
import org.igniterealtime.openfire.plugins.carbons.settings.GroupPolicy;
import org.igniterealtime.openfire.plugins.carbons.engine.CarbonsEngine;
import org.igniterealtime.openfire.plugins.carbons.engine.CarbonsStatistics;
import org.igniterealtime.openfire.plugins.carbons.engine.CopiedMessages;
import org.igniterealtime.openfire.plugins.carbons.engine.MucOccupancy;
import org.igniterealtime.openfire.plugins.carbons.engine.RecentMap;
import org.igniterealtime.openfire.plugins.carbons.engine.RoutingTracker;
import org.igniterealtime.openfire.plugins.carbons.engine.RuleSettings;
import org.jivesoftware.openfire.SessionManager;
import org.jivesoftware.openfire.XMPPServer;
import org.jivesoftware.openfire.event.SessionEventDispatcher;
import org.jivesoftware.openfire.interceptor.InterceptorManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.Map;

/**
 * The plugin wired into Openfire. {@link #start()} and {@link #stop()} mirror each other step by step.
 */
public final class CarbonsService {

    private static final Logger Log = LoggerFactory.getLogger(CarbonsService.class);

    /** Rooms each resource joined: full JID to (node ID, room bare JID to nick). */
    static final String OCCUPANCY_CACHE = "Message Carbons MUC Occupancy";
    /** Ids of recently copied messages, for copying error replies: bounded in size and age. */
    static final String COPIED_CACHE = "Message Carbons Recently Copied";
    static final long COPIED_CACHE_BYTES = 4L * 1024 * 1024;
    static final long COPIED_CACHE_LIFETIME_MS = 5 * 60 * 1000L;
    /** Entries per generation of the node-local recently-copied map: at most twice this many, about as many as 4 MB hold. */
    static final int COPIED_GENERATION_SIZE = 20_000;
    static final long HANDOVER_SETTLE_MS = 200;

    private final XMPPServer server;
    private final CarbonsCluster cluster;
    private final BatchPublisher<String, Long> copiedPublisher;
    private final CarbonsState state;
    private final CarbonsStatistics statistics = new CarbonsStatistics();
    private final CarbonsEngine engine;
    private final RoutingTracker tracker = new RoutingTracker();
    private final CarbonsActivation activation;
    private final CarbonsIQHandler iqHandler;
    private final CarbonsInterceptor interceptor;
    private final CarbonsSessionListener sessionListener;
    private final CarbonsSettings settings;
    private final DiscoFeatures disco;
    private final GroupPolicy policy = new GroupPolicy();
    private final CarbonsAdmin admin;
    private final SessionDetailsNote sessionDetailsNote;
    /** The plugin's canonical name (its directory under plugins/), as Openfire's cluster tasks know it. */
    private final String pluginName;

    public CarbonsService(XMPPServer server) {
        this(server, "carbons");
    }

    public CarbonsService(XMPPServer server, String pluginName) {
        this.server = server;
        this.pluginName = pluginName;
        final String domain = server.getServerInfo().getXMPPDomain();
        final SessionManager sessions = server.getSessionManager();
        this.cluster = new CarbonsCluster(server, new RemoteDeliveryWatch(tracker));
        this.state = CarbonsState.openCache(cluster);
        final NodeOwnedMap<HashMap<String, String>> joins = NodeOwnedMap.openCache(OCCUPANCY_CACHE, cluster);
        cluster.share(state);
        cluster.share(joins);
        final OpenfireDirectory directory = new OpenfireDirectory(domain, sessions, server.getMultiUserChatManager(), state);
        final MucOccupancy occupancy = new MucOccupancy(joins);
        // Written for every copied message, node-locally (Openfire 5.1.1's DefaultCache locks on every put and get, and a
        // clustered cache's put is a network round trip); while clustered also into the cluster-wide cache, in batches,
        // off the routing thread, where an error routed on another node than its original can be looked up.
        final Map<String, Long> copiedShared = Caches.open(COPIED_CACHE, COPIED_CACHE_BYTES, COPIED_CACHE_LIFETIME_MS);
        final Map<String, Long> copiedLocal = new RecentMap<>(COPIED_GENERATION_SIZE, COPIED_CACHE_LIFETIME_MS);
        this.copiedPublisher = new BatchPublisher<>(copiedShared, "Message Carbons: publishing recently copied ids");
        final CopiedMessages copied = new CopiedMessages(copiedLocal, cluster::clustered, copiedPublisher::submit, copiedShared::get);
        this.engine = new CarbonsEngine(directory, occupancy, copied, CarbonsSettings.read(), statistics);
        final ClientStateIndication clientState = ClientStateIndication.detect(statistics);
        engine.clientState(clientState);
        this.activation = new CarbonsActivation(state, sessions);
        this.iqHandler = new CarbonsIQHandler(domain, sessions, activation, engine::settings, policy, statistics);
        this.interceptor = new CarbonsInterceptor(engine, tracker, sessions, directory, clientState);
        this.sessionListener = new CarbonsSessionListener(state, occupancy, statistics, sessions);
        this.settings = new CarbonsSettings(this::settingsChanged);
        this.disco = new DiscoFeatures(server.getIQDiscoInfoHandler());
        this.admin = new CarbonsAdmin(state, statistics, sessions, engine::settings, cluster,
            server.getServerInfo().getHostname() + " (" + cluster.localNode() + ")");
        this.sessionDetailsNote = new SessionDetailsNote(state, sessions, engine::settings);
    }

    /**
     * Takes over from Openfire's built-in carbons without a gap or a duplicate: the interceptor watches routing
     * first (a copy the built-in carbons still make is seen and not repeated), then, once routings that began
     * unwatched are over, the enable handler and the sessions' state move to the plugin.
     */
    public void start() {
        copiedPublisher.start();
        SessionEventDispatcher.addListener(sessionListener);
        settings.start();
        cluster.start();
        engine.handingOver(true);
        InterceptorManager.getInstance().addInterceptor(interceptor);
        settle();
        server.getIQRouter().addHandler(iqHandler);
        final int takenOver = activation.takeOver();
        engine.handingOver(false);
        disco.advertise(engine.settings());
        sessionDetailsNote.start();
        Log.info("Message carbons plugin started; took over {} session(s) from Openfire's built-in carbons", takenOver);
    }

    /** The mirror of {@link #start()}: the state goes back to Openfire before the interceptor stops watching. */
    public void stop() {
        sessionDetailsNote.stop();
        disco.restoreBuiltIn();
        engine.handingOver(true);
        final int handedBack = activation.handBack();
        settle();
        InterceptorManager.getInstance().removeInterceptor(interceptor);
        server.getIQRouter().removeHandler(iqHandler);
        activation.forgetAll();
        cluster.stop();
        settings.stop();
        SessionEventDispatcher.removeListener(sessionListener);
        copiedPublisher.stop();
        tracker.clearCurrentThread();
        final int caches = Caches.releaseAll(pluginName);
        Log.info("Message carbons plugin stopped; handed {} session(s) back to Openfire's built-in carbons, removed {} cache(s)",
            handedBack, caches);
    }

    /** Lets messages already being routed finish under the arrangement they started with (routing takes microseconds). */
    private static void settle() {
        try {
            Thread.sleep(HANDOVER_SETTLE_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void settingsChanged(RuleSettings changed) {
        final RuleSettings previous = engine.settings();
        engine.settings(changed);
        if (!changed.allowedGroups().equals(previous.allowedGroups())) {
            final int revoked = activation.revokeUnless(user -> policy.mayEnable(user, changed.allowedGroups()));
            if (revoked > 0) {
                Log.info("Carbons turned off for {} session(s) outside the allowed groups {}", revoked, changed.allowedGroups());
            }
        }
        disco.advertise(changed);
        Log.info("Message carbons settings changed: {}", changed);
    }

    public CarbonsStatistics statistics() {
        return statistics;
    }

    public RuleSettings settings() {
        return engine.settings();
    }

    public CarbonsState state() {
        return state;
    }

    /** What the admin pages show and change. */
    public CarbonsAdmin admin() {
        return admin;
    }
}
