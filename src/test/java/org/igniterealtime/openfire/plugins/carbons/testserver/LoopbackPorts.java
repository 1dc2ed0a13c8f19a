package org.igniterealtime.openfire.plugins.carbons.testserver;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** TCP ports on 127.0.0.1, where every server of the tests and the sandbox listens. */
public final class LoopbackPorts {

    private LoopbackPorts() {
    }

    /** A port nobody listens on right now. */
    public static int free() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Whether a server could listen on the port now (binding fails if anyone listens on it, on 127.0.0.1 or on all interfaces). */
    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
