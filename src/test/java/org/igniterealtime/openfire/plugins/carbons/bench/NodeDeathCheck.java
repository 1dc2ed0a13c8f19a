package org.igniterealtime.openfire.plugins.carbons.bench;

import org.igniterealtime.openfire.plugins.carbons.testserver.XmppClient;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smackx.carbons.packet.CarbonExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A check by hand of a cluster node dying under traffic (issue 19), on a running two-node Openfire 5.x cluster on the
 * loopback: alice and bob each have a client on both nodes, all with carbons; bob's client on the surviving node
 * writes to alice's bare JID and alice's writes to bob's, 50 messages a second each; then the other node's process is
 * killed (kill -9) and the traffic goes on. Prints whether the survivors' clients are still connected, and per
 * survivor how many messages it saw not at all or more than once (original or carbon; only the instant of the kill
 * may lose some).
 * <p>
 * {@code ...bench.NodeDeathCheck survivor-host:port victim-host:port domain alicePassword bobPassword victimPid [seconds]}
 * The server's certificate is trusted whatever it is: only for servers on the loopback that the person running this
 * started.
 */
public final class NodeDeathCheck {

    private static final Logger Log = LoggerFactory.getLogger(NodeDeathCheck.class);
    private static final long INTERVAL_MS = 20;

    public static void main(String[] args) throws Exception {
        final String domain = args[2];
        final long victimPid = Long.parseLong(args[5]);
        final int seconds = args.length > 6 ? Integer.parseInt(args[6]) : 10;
        try (XmppClient a1 = login(args[0], domain, "alice", args[3], "A1");
             XmppClient b1 = login(args[0], domain, "bob", args[4], "B1");
             XmppClient a2 = login(args[1], domain, "alice", args[3], "A2");
             XmppClient b2 = login(args[1], domain, "bob", args[4], "B2")) {
            for (XmppClient client : List.of(a1, b1, a2, b2)) {
                client.available(0);
                client.enableCarbons();
            }
            Thread.sleep(1_000);
            a1.clearInbox();
            b1.clearInbox();
            final String alice = a1.bareJid().toString();
            final String bob = b1.bareJid().toString();
            final long killAt = System.currentTimeMillis() + seconds * 1_000L / 3;
            final long end = System.currentTimeMillis() + seconds * 1_000L;
            boolean killed = false;
            int sent = 0;
            while (System.currentTimeMillis() < end) {
                if (!killed && System.currentTimeMillis() >= killAt) {
                    Log.info("kill -9 {} after {} messages each", victimPid, sent);
                    ProcessHandle.of(victimPid).ifPresent(ProcessHandle::destroyForcibly);
                    killed = true;
                }
                sent++;
                b1.chat(alice, "b" + sent);
                a1.chat(bob, "a" + sent);
                Thread.sleep(INTERVAL_MS);
            }
            Thread.sleep(3_000);
            Log.info("survivors connected: alice/A1 {}, bob/B1 {}", a1.connection().isAuthenticated(), b1.connection().isAuthenticated());
            report("alice/A1 (bob's messages)", a1.drain(m -> true), "b", sent);
            report("bob/B1 (alice's messages)", b1.drain(m -> true), "a", sent);
        }
    }

    private static void report(String who, List<Message> inbox, String prefix, int sent) {
        final Map<String, Integer> seen = new HashMap<>();
        for (Message message : inbox) {
            final CarbonExtension carbon = CarbonExtension.from(message);
            final Message inner = carbon == null ? message : (Message) carbon.getForwarded().getForwardedStanza();
            if (inner.getBody() != null) {
                seen.merge(inner.getBody(), 1, Integer::sum);
            }
        }
        int missing = 0;
        int twice = 0;
        for (int i = 1; i <= sent; i++) {
            final int count = seen.getOrDefault(prefix + i, 0);
            missing += count == 0 ? 1 : 0;
            twice += count > 1 ? 1 : 0;
        }
        Log.info("{}: {} sent, {} never seen, {} seen more than once", who, sent, missing, twice);
    }

    private static XmppClient login(String server, String domain, String user, String password, String resource) throws Exception {
        return ExternalOpenfire.loginOverStartTls(server, domain, user, password, resource);
    }
}
