package org.opforge.spark;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.opforge.training.GradientReduction;

/**
 * The sum of a float vector over {@code k} processes connected in a ring by plain TCP: each rank
 * sends to rank {@code r + 1} and receives from rank {@code r - 1}. The vector is cut into {@code k}
 * chunks; {@code k - 1} reduce-scatter steps leave rank {@code r} holding the full sum of chunk
 * {@code r + 1}, and {@code k - 1} all-gather steps copy every finished chunk around the ring. Each
 * rank sends and receives {@code 2 (k - 1) / k} of the vector, whatever {@code k}; every chunk is
 * summed once, in ring order, and then copied, so every rank ends with the same bits.
 *
 * <p>Spark only brings the processes up and exchanges the addresses ({@code allGather}); the bytes
 * go through these sockets because Spark's barrier messages cost about a second each.
 */
public final class RingAllReduce implements GradientReduction, AutoCloseable {
    private final int rank;
    private final int size;
    private final Socket next;
    private final Socket previous;
    private final DataOutputStream out;
    private final DataInputStream in;
    private final ExecutorService sender;
    private byte[] sendBuffer = new byte[0];
    private byte[] receiveBuffer = new byte[0];
    private long nanos;
    private long calls;

    private RingAllReduce(int rank, int size, Socket next, Socket previous) throws IOException {
        this.rank = rank;
        this.size = size;
        this.next = next;
        this.previous = previous;
        this.out = next == null ? null : new DataOutputStream(new BufferedOutputStream(next.getOutputStream(), 1 << 16));
        this.in = previous == null ? null : new DataInputStream(new BufferedInputStream(previous.getInputStream(), 1 << 16));
        this.sender = size == 1 ? null : Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "opforge-ring-send-" + rank);
            t.setDaemon(true);
            return t;
        });
    }

    /** A listening socket on an ephemeral port of every interface, for {@link #connect}. */
    public static ServerSocket listen() {
        try {
            ServerSocket s = new ServerSocket();
            s.bind(new InetSocketAddress(0));
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a port for the all-reduce ring: " + e.getMessage(), e);
        }
    }

    /**
     * Joins the ring: connects to {@code addresses[(rank + 1) % k]} ("host:port") and accepts the
     * connection of rank {@code rank - 1} on {@code server}, which is then closed.
     *
     * @param timeoutMillis how long connecting, accepting and each later read may wait for a peer
     */
    public static RingAllReduce connect(int rank, List<String> addresses, ServerSocket server, int timeoutMillis) {
        int k = addresses.size();
        if (rank < 0 || rank >= k) throw new IllegalArgumentException("rank " + rank + " outside [0, " + k + ")");
        try (server) {
            if (k == 1) return new RingAllReduce(0, 1, null, null);
            String to = addresses.get((rank + 1) % k);
            int colon = to.lastIndexOf(':');
            Socket next = new Socket();
            next.setTcpNoDelay(true);
            next.connect(new InetSocketAddress(to.substring(0, colon), Integer.parseInt(to.substring(colon + 1))), timeoutMillis);
            next.setSoTimeout(timeoutMillis);
            DataOutputStream hello = new DataOutputStream(next.getOutputStream());
            hello.writeInt(rank);
            hello.flush();
            server.setSoTimeout(timeoutMillis);
            Socket previous = server.accept();
            previous.setTcpNoDelay(true);
            previous.setSoTimeout(timeoutMillis);
            int from = new DataInputStream(previous.getInputStream()).readInt();
            if (from != (rank + k - 1) % k) {
                throw new IOException("rank " + rank + " expected rank " + ((rank + k - 1) % k) + " to connect, found rank " + from);
            }
            return new RingAllReduce(rank, k, next, previous);
        } catch (IOException e) {
            throw new UncheckedIOException("rank " + rank + " cannot join the all-reduce ring " + addresses + ": " + e.getMessage(), e);
        }
    }

    @Override public int rank() { return rank; }

    @Override public int replicas() { return size; }

    /** Seconds spent in {@link #allReduceSum} so far, and the number of calls. */
    public double seconds() { return nanos / 1e9; }

    public long calls() { return calls; }

    @Override
    public void allReduceSum(float[] values) {
        if (size == 1) return;
        long t0 = System.nanoTime();
        int n = values.length, k = size;
        try {
            for (int s = 0; s < k - 1; s++) {
                exchange(values, chunk(rank - s), chunk(rank - s - 1), n, true);
            }
            for (int s = 0; s < k - 1; s++) {
                exchange(values, chunk(rank + 1 - s), chunk(rank - s), n, false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("all-reduce of rank " + rank + " failed: " + e.getMessage(), e);
        }
        nanos += System.nanoTime() - t0;
        calls++;
    }

    private int chunk(int c) {
        return Math.floorMod(c, size);
    }

    /** Sends chunk {@code send} to the next rank while receiving chunk {@code receive} from the previous one. */
    private void exchange(float[] v, int send, int receive, int n, boolean add) throws IOException {
        int sFrom = (int) ((long) n * send / size), sTo = (int) ((long) n * (send + 1) / size);
        int rFrom = (int) ((long) n * receive / size), rTo = (int) ((long) n * (receive + 1) / size);
        int sBytes = (sTo - sFrom) * 4, rBytes = (rTo - rFrom) * 4;
        if (sendBuffer.length < sBytes) sendBuffer = new byte[sBytes];
        if (receiveBuffer.length < rBytes) receiveBuffer = new byte[rBytes];
        ByteBuffer.wrap(sendBuffer, 0, sBytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(v, sFrom, sTo - sFrom);
        byte[] sb = sendBuffer;
        // both directions at once: with blocking sockets, k ranks all sending first would fill the buffers and stall
        Future<?> sent = sender.submit(() -> {
            out.write(sb, 0, sBytes);
            out.flush();
            return null;
        });
        in.readFully(receiveBuffer, 0, rBytes);
        try {
            sent.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while sending", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
        var fb = ByteBuffer.wrap(receiveBuffer, 0, rBytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        if (add) {
            for (int i = rFrom; i < rTo; i++) v[i] += fb.get();
        } else {
            fb.get(v, rFrom, rTo - rFrom);
        }
    }

    @Override
    public void close() {
        if (sender != null) sender.shutdownNow();
        for (Socket s : new Socket[] {next, previous}) {
            if (s == null) continue;
            try {
                s.close();
            } catch (IOException ignored) {
                // closing a socket the peer already closed
            }
        }
    }
}
