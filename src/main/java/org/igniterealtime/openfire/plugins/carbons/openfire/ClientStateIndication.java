package org.igniterealtime.openfire.plugins.carbons.openfire;

import org.igniterealtime.openfire.plugins.carbons.engine.CarbonCopy;
import org.igniterealtime.openfire.plugins.carbons.engine.CarbonsStatistics;
import org.igniterealtime.openfire.plugins.carbons.engine.ClientStateDecision;
import org.jivesoftware.openfire.session.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xmpp.packet.Packet;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

/**
 * Openfire's XEP-0352 Client State Indication, as far as carbons need it: recognising Openfire deciding whether a copy
 * may wait for an inactive session, and telling whether a session is inactive.
 * <p>
 * How Openfire 5.0.x and 5.1.1 hold stanzas back (xmppserver/src/main/java/org/jivesoftware/openfire/...):
 * LocalSession.process checks privacy lists, calls the interceptors and then LocalClientSession.deliver, which is
 * {@code pushPackets(csiManager.queueOrPush(stanza))}. CsiManager.queueOrPush queues the stanza and, while the session
 * is inactive, returns it only when it must be pushed: the queue is full (500), a push is overdue (10 minutes), or
 * {@code !canDelay(stanza)}; a push returns the whole queue, in order, and pushPackets writes it and counts every stanza
 * for stream management (XEP-0198) under the stream manager's lock. canDelay judges the stanza as delivered, and for a
 * carbon that is the wrapper, which it always lets wait. It reads the wrapper's body with Message.getBody(), which a
 * {@link CarbonCopy} of an urgent message answers with an empty body when this class recognises CsiManager as the
 * caller. Openfire itself then delivers the copy at once, with what it had queued before, through its own queue, lock
 * and stream management: nothing of Openfire's delivery is repeated or bypassed, and a client's own
 * {@code <active/>}/{@code <inactive/>} (CsiManager.activate/deactivate, synchronised with queueOrPush in 5.1.1) cannot
 * interleave with the decision.
 * <p>
 * Why this way: Openfire offers no public way to mark a stanza urgent, and the other ways all cost more. Switching the
 * session active and back (activate/deactivate) races with the client's own nonzas, or must hold CsiManager's monitor
 * during I/O, which 5.1.1 stopped doing (OF-3272) because it orders that monitor before the stream manager's; repeating
 * deliver/pushPackets duplicates Openfire internals that differ between 5.0 (no pushPackets) and 5.1. The clean fix
 * belongs in Openfire: CsiManager.canDelay judging the message a carbon forwards (a patch the closing note of issue 16
 * proposes); where it has it, this class changes nothing, because canDelay then never reads the wrapper's body.
 * <p>
 * Reached by name: the plugin is compiled against Openfire 4.2.0, which has no CSI. {@link #detect} checks that the
 * running Openfire has the members named here and answers null where it has not (Openfire then holds carbons back as
 * before, and the start says so in the log).
 */
public final class ClientStateIndication implements ClientStateDecision {

    private static final Logger Log = LoggerFactory.getLogger(ClientStateIndication.class);

    /** Openfire 5's class that decides what may wait (canDelay) and holds a session's state (isActive). */
    static final String CSI_MANAGER = "org.jivesoftware.openfire.csi.CsiManager";
    /** Openfire's session class with getCsiManager(). */
    static final String LOCAL_CLIENT_SESSION = "org.jivesoftware.openfire.session.LocalClientSession";
    /**
     * Frames looked at above the copy's getBody(): canDelay calls it directly in 5.0.x and 5.1.1; a little room for a
     * helper in between in a later version.
     */
    private static final int CALLER_FRAMES = 3;
    private static final StackWalker STACK = StackWalker.getInstance();

    private final String decidingClass;
    private final Class<?> sessionClass;
    /** (session) -> its CsiManager. */
    private final MethodHandle csiManager;
    /** (CsiManager) -> whether the client said it is active. */
    private final MethodHandle isActive;
    private final CarbonsStatistics statistics;

    private ClientStateIndication(Class<?> csiClass, Class<?> sessionClass, MethodHandle csiManager, MethodHandle isActive,
                                  CarbonsStatistics statistics) {
        this.decidingClass = csiClass.getName();
        this.sessionClass = sessionClass;
        this.csiManager = csiManager;
        this.isActive = isActive;
        this.statistics = statistics;
    }

    /** Openfire's CSI, or null where the running Openfire has none that the plugin knows (logged). */
    public static ClientStateIndication detect(CarbonsStatistics statistics) {
        return detect(ClientStateIndication.class.getClassLoader(), LOCAL_CLIENT_SESSION, CSI_MANAGER, statistics);
    }

    /** The given classes' CSI (Openfire's, or a model of them in tests), or null when they lack a member. */
    public static ClientStateIndication detect(ClassLoader loader, String sessionClassName, String csiClassName, CarbonsStatistics statistics) {
        try {
            final Class<?> csiClass = Class.forName(csiClassName, false, loader);
            final Method canDelay = csiClass.getDeclaredMethod("canDelay", Packet.class);
            if (!Modifier.isStatic(canDelay.getModifiers()) || canDelay.getReturnType() != boolean.class) {
                throw new NoSuchMethodException(csiClassName + ".canDelay is not static boolean canDelay(Packet)");
            }
            final Class<?> sessionClass = Class.forName(sessionClassName, false, loader);
            final MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            final MethodHandle csiManager = lookup.findVirtual(sessionClass, "getCsiManager", MethodType.methodType(csiClass))
                .asType(MethodType.methodType(Object.class, Object.class));
            final MethodHandle isActive = lookup.findVirtual(csiClass, "isActive", MethodType.methodType(boolean.class))
                .asType(MethodType.methodType(boolean.class, Object.class));
            Log.info("Client State Indication (XEP-0352): inactive devices get carbons as promptly as the messages they copy "
                + "(setting plugin.carbons.promptToInactive)");
            return new ClientStateIndication(csiClass, sessionClass, csiManager, isActive, statistics);
        } catch (ClassNotFoundException | NoSuchMethodException | IllegalAccessException | LinkageError e) {
            Log.info("Client State Indication (XEP-0352): this Openfire has no {} as the plugin knows it ({}); inactive devices "
                + "get carbons when Openfire flushes their queue, as with Openfire's own carbons", csiClassName, e.toString());
            return null;
        }
    }

    /** True when Openfire's CsiManager is the one asking: it then delivers the copy at once. Counted per side. */
    @Override
    public boolean deciding(CarbonCopy copy) {
        // Frame 0 is this method, 1 the copy's getBody(), then its caller.
        if (STACK.walk(frames -> frames.skip(2).limit(CALLER_FRAMES).anyMatch(f -> decidingClass.equals(f.getClassName())))) {
            statistics.deliveredAtOnceToInactive(copy.direction());
            return true;
        }
        return false;
    }

    /** Whether the client of this local session said it is inactive (false for any other session). */
    boolean inactive(Session session) {
        if (!sessionClass.isInstance(session)) {
            return false;
        }
        try {
            final Object csi = (Object) csiManager.invokeExact((Object) session);
            return csi != null && !(boolean) isActive.invokeExact(csi);
        } catch (Error e) {
            throw e;
        } catch (Throwable e) {
            Log.debug("Could not read the client state of {}", session.getAddress(), e);
            return false;
        }
    }
}
