package dev.cdcrelay.proof;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 in front of a database, for fault injection: it can be cut (every
 * socket closed, new ones refused) on demand or after N client bytes, stalled (bytes held, sockets
 * kept open: a database that stops answering), and restored.
 */
final class TcpProxy implements AutoCloseable {

    private final String upstreamHost;
    private final int upstreamPort;
    private final ServerSocket server;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicLong clientBytes = new AtomicLong();
    private volatile boolean down;
    private volatile boolean stalled;
    private volatile long cutAfterClientBytes = Long.MAX_VALUE;
    private final AtomicLong cuts = new AtomicLong();

    TcpProxy(String upstreamHost, int upstreamPort) throws IOException {
        this.upstreamHost = upstreamHost;
        this.upstreamPort = upstreamPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "proxy-accept-" + server.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Bytes the client (the relay) sent since the last {@link #resetCount()}. */
    long clientBytes() {
        return clientBytes.get();
    }

    void resetCount() {
        clientBytes.set(0);
    }

    long cuts() {
        return cuts.get();
    }

    /** Cuts when the client has sent more than this many bytes (counted from the last reset). */
    void cutAfterClientBytes(long n) {
        cutAfterClientBytes = n;
    }

    /** Closes every connection and refuses new ones until {@link #restore()}. */
    synchronized void cut() {
        if (!down) {
            cuts.incrementAndGet();
        }
        down = true;
        cutAfterClientBytes = Long.MAX_VALUE;
        for (Socket s : sockets) {
            closeQuietly(s);
        }
        sockets.clear();
    }

    /** Holds every byte in both directions, keeping the sockets open. */
    void stall() {
        stalled = true;
    }

    synchronized void restore() {
        down = false;
        stalled = false;
        cutAfterClientBytes = Long.MAX_VALUE;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (down) {
                    closeQuietly(client); // refused: the database is "gone"
                    continue;
                }
                Socket upstream = new Socket(upstreamHost, upstreamPort);
                sockets.add(client);
                sockets.add(upstream);
                pipe(client, upstream, true);
                pipe(upstream, client, false);
            } catch (IOException e) {
                // server closed, or upstream refused: the client sees a closed socket
            }
        }
    }

    private void pipe(Socket from, Socket to, boolean fromClient) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    while (stalled && !down) {
                        Thread.sleep(10);
                    }
                    if (down) {
                        break;
                    }
                    if (fromClient) {
                        long total = clientBytes.addAndGet(n);
                        if (total > cutAfterClientBytes) {
                            cut(); // the rest of this request never reaches the database
                            break;
                        }
                    }
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // closed by a cut or by either side
            } finally {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "proxy-pipe");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        cut();
        server.close();
    }
}
