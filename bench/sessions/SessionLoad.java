import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * The session bench's load generator: closed-loop users, each with its own session, each sending its requests
 * to the instances in turn (round-robin) or always to one (sticky), carrying its session cookie. Each user has a
 * keep-alive HTTP/1.1 connection per instance; all users run on a few non-blocking event loops (two by default, as wrk -t2),
 * so the client costs little CPU next to the servers it shares the machine with (bench/sessions/RESULTS.md
 * compares it with wrk).
 *
 *   java -cp bench/target/sessions/client SessionLoad --targets 127.0.0.1:P1,127.0.0.1:P2 --mode roundrobin
 *        --users 32 --warmup 3 --seconds 15 --path /count [--threads 2] [--cookie JSESSIONID]
 *
 * Prints "MEASURING" when the measured window opens and "DONE" when it closes (the harness samples the servers'
 * CPU time then), then one JSON object. Only requests sent and answered inside the window count. For /count
 * the body is "count=N", and N must be the user's previous answer plus one: anything else means the instance
 * read a stale or another session ("stale"). A Set-Cookie that replaces the user's session cookie is a
 * "cookie_change" (the instance did not know the session).
 */
public class SessionLoad {

    public static void main(String[] args) throws Exception {
        String[] targets = option(args, "--targets", "127.0.0.1:8080").split(",");
        boolean roundRobin = option(args, "--mode", "roundrobin").equals("roundrobin");
        int users = Integer.parseInt(option(args, "--users", "32"));
        int threads = Integer.parseInt(option(args, "--threads", "2"));
        double warmup = Double.parseDouble(option(args, "--warmup", "3"));
        double seconds = Double.parseDouble(option(args, "--seconds", "15"));
        String path = option(args, "--path", "/count");
        String cookieName = option(args, "--cookie", "JSESSIONID");

        InetSocketAddress[] addresses = new InetSocketAddress[targets.length];
        for (int t = 0; t < targets.length; t++) {
            int colon = targets[t].lastIndexOf(':');
            addresses[t] = new InetSocketAddress(targets[t].substring(0, colon), Integer.parseInt(targets[t].substring(colon + 1)));
        }
        long begin = System.nanoTime();
        long windowStart = begin + (long) (warmup * 1e9);
        long windowEnd = windowStart + (long) (seconds * 1e9);

        List<Loop> loops = new ArrayList<>();
        List<User> all = new ArrayList<>();
        for (int l = 0; l < threads; l++) {
            loops.add(new Loop(windowStart, windowEnd));
        }
        for (int u = 0; u < users; u++) {
            User user = new User(u, addresses, roundRobin, path, cookieName);
            all.add(user);
            loops.get(u % threads).users.add(user);
        }
        List<Thread> running = new ArrayList<>();
        for (int l = 0; l < threads; l++) {
            Thread thread = new Thread(loops.get(l), "loop-" + l);
            thread.setDaemon(true);
            thread.start();
            running.add(thread);
        }

        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        sleepUntil(windowStart);
        long cpuStart = os.getProcessCpuTime();
        System.out.println("MEASURING");
        System.out.flush();
        sleepUntil(windowEnd);
        long cpuEnd = os.getProcessCpuTime();
        System.out.println("DONE");
        System.out.flush();
        for (Thread thread : running) {
            thread.join(60_000);
        }
        for (Loop loop : loops) {
            if (loop.failure != null) {
                throw loop.failure;
            }
        }
        report(all, targets.length, seconds, (cpuEnd - cpuStart) / 1e9);
    }

    private static void report(List<User> all, int targets, double seconds, double clientCpu) {
        long ok = 0, errors = 0, stale = 0, cookieChanges = 0, total = 0;
        long[] perTarget = new long[targets];
        int n = 0;
        for (User user : all) {
            n += user.latencies.size;
        }
        long[] latencies = new long[n];
        int at = 0;
        for (User user : all) {
            ok += user.ok;
            errors += user.errors;
            stale += user.stale;
            cookieChanges += user.cookieChanges;
            total += user.total;
            for (int t = 0; t < targets; t++) {
                perTarget[t] += user.perTarget[t];
            }
            System.arraycopy(user.latencies.values, 0, latencies, at, user.latencies.size);
            at += user.latencies.size;
        }
        Arrays.sort(latencies);
        StringBuilder json = new StringBuilder("{");
        field(json, "requests", ok);
        field(json, "errors", errors);
        field(json, "stale", stale);
        field(json, "cookie_changes", cookieChanges);
        field(json, "total_requests", total);
        field(json, "rps", ok / seconds);
        field(json, "p50_ms", percentile(latencies, 50));
        field(json, "p90_ms", percentile(latencies, 90));
        field(json, "p99_ms", percentile(latencies, 99));
        field(json, "p999_ms", percentile(latencies, 99.9));
        field(json, "max_ms", latencies.length == 0 ? 0 : latencies[latencies.length - 1] / 1e6);
        field(json, "client_cpu_s", clientCpu);
        json.append("\"per_target\":").append(Arrays.toString(perTarget)).append('}');
        System.out.println(json);
    }

    private static void field(StringBuilder json, String name, double value) {
        json.append('"').append(name).append("\":").append(String.format(Locale.ROOT, "%.4f", value)).append(',');
    }

    private static void field(StringBuilder json, String name, long value) {
        json.append('"').append(name).append("\":").append(value).append(',');
    }

    private static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))] / 1e6;
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            Thread.sleep(Math.max(1, left / 1_000_000));
        }
    }

    private static String option(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }

    /** One event loop: a selector over the connections of its users. */
    static final class Loop implements Runnable {
        final List<User> users = new ArrayList<>();
        final long windowStart;
        final long windowEnd;
        Selector selector;
        volatile Exception failure;

        Loop(long windowStart, long windowEnd) {
            this.windowStart = windowStart;
            this.windowEnd = windowEnd;
        }

        @Override
        public void run() {
            try (Selector s = Selector.open()) {
                selector = s;
                int busy = 0;
                for (User user : users) {
                    busy += user.sendNext(this) ? 1 : 0;
                }
                // a user still waiting 30 s after the window closed waits for a server that hangs: stop anyway
                while (busy > 0 && System.nanoTime() < windowEnd + 30_000_000_000L) {
                    selector.select(1000);
                    Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                    while (keys.hasNext()) {
                        SelectionKey key = keys.next();
                        keys.remove();
                        User user = (User) key.attachment();
                        if (!user.readable(this, key)) {
                            busy--;
                        }
                    }
                }
                for (User user : users) {
                    user.closeAll();
                }
            } catch (Exception e) {
                failure = e;
            }
        }
    }

    /** One logical user: its session cookie, a connection per instance, and what it saw. */
    static final class User {
        final int index;
        final InetSocketAddress[] addresses;
        final boolean roundRobin;
        final String path;
        final String cookieName;
        final SocketChannel[] channels;
        final SelectionKey[] keys;
        final long[] perTarget;
        final Longs latencies = new Longs();
        final ByteBuffer in = ByteBuffer.allocate(16384);
        String cookie;
        long sequence;
        int target;
        long sentAt;
        long lastCount;
        long ok, errors, stale, cookieChanges, total;

        User(int index, InetSocketAddress[] addresses, boolean roundRobin, String path, String cookieName) {
            this.index = index;
            this.addresses = addresses;
            this.roundRobin = roundRobin;
            this.path = path;
            this.cookieName = cookieName;
            this.channels = new SocketChannel[addresses.length];
            this.keys = new SelectionKey[addresses.length];
            this.perTarget = new long[addresses.length];
        }

        /** Sends the next request unless the window has closed; false when this user is finished. */
        boolean sendNext(Loop loop) throws IOException {
            while (true) {
                long now = System.nanoTime();
                if (now >= loop.windowEnd) {
                    return false;
                }
                target = roundRobin ? (int) ((index + sequence) % addresses.length) : index % addresses.length;
                sequence++;
                try {
                    SocketChannel channel = channel(loop, target);
                    ByteBuffer request = ByteBuffer.wrap(("GET " + path + " HTTP/1.1\r\nHost: " + addresses[target].getHostString()
                            + ":" + addresses[target].getPort() + "\r\n" + (cookie == null ? "" : "Cookie: " + cookie + "\r\n")
                            + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    sentAt = System.nanoTime();
                    while (request.hasRemaining()) {
                        // a request of a few hundred bytes fits the socket buffer: this loop ends at once
                        channel.write(request);
                    }
                    in.clear();
                    keys[target].interestOps(SelectionKey.OP_READ);
                    return true;
                } catch (IOException e) {
                    failed(loop, target, now);
                }
            }
        }

        /** Reads what arrived; on a whole response records it and sends the next request. False when finished. */
        boolean readable(Loop loop, SelectionKey key) throws IOException {
            int t = target;
            Response response;
            try {
                int read = channels[t].read(in);
                if (read < 0) {
                    throw new IOException("connection closed");
                }
                response = Response.parse(in, cookieName);
                if (response == null) {
                    if (!in.hasRemaining()) {
                        throw new IOException("response larger than " + in.capacity() + " bytes");
                    }
                    return true;
                }
            } catch (IOException | RuntimeException e) {
                failed(loop, t, sentAt);
                return sendNext(loop);
            }
            long end = System.nanoTime();
            key.interestOps(0);
            total++;
            if (response.close) {
                close(t);
            }
            boolean measured = sentAt >= loop.windowStart && end <= loop.windowEnd;
            if (response.setCookie != null && !response.setCookie.equals(cookie)) {
                if (cookie != null && measured) {
                    cookieChanges++;
                }
                cookie = response.setCookie;
            }
            if (response.status != 200) {
                errors += measured ? 1 : 0;
            } else {
                if (response.body.startsWith("count=")) {
                    long count = Long.parseLong(response.body.substring(6).trim());
                    if (count != lastCount + 1 && measured) {
                        stale++;
                    }
                    lastCount = count;
                }
                if (measured) {
                    ok++;
                    perTarget[t]++;
                    latencies.add(end - sentAt);
                }
            }
            return sendNext(loop);
        }

        private void failed(Loop loop, int t, long startedAt) {
            if (startedAt >= loop.windowStart) {
                errors++;
            }
            close(t);
        }

        private SocketChannel channel(Loop loop, int t) throws IOException {
            if (channels[t] == null) {
                SocketChannel channel = SocketChannel.open();
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.connect(addresses[t]);
                channel.configureBlocking(false);
                channels[t] = channel;
                keys[t] = channel.register(loop.selector, 0, this);
            }
            return channels[t];
        }

        private void close(int t) {
            if (channels[t] != null) {
                keys[t].cancel();
                try {
                    channels[t].close();
                } catch (IOException ignored) {
                    // closing
                }
                channels[t] = null;
                keys[t] = null;
            }
        }

        void closeAll() {
            for (int t = 0; t < channels.length; t++) {
                close(t);
            }
        }
    }

    /** A whole HTTP/1.1 response parsed from the start of a buffer. */
    static final class Response {
        int status;
        String setCookie;
        String body;
        boolean close;

        /** The response in {@code buffer} (in write mode), or null while it is incomplete. */
        static Response parse(ByteBuffer buffer, String cookieName) throws IOException {
            byte[] bytes = buffer.array();
            int limit = buffer.position();
            int headEnd = indexOf(bytes, 0, limit, "\r\n\r\n");
            if (headEnd < 0) {
                return null;
            }
            String[] lines = new String(bytes, 0, headEnd, StandardCharsets.ISO_8859_1).split("\r\n");
            if (lines[0].length() < 12 || !lines[0].startsWith("HTTP/1.")) {
                throw new IOException("bad status line: " + lines[0]);
            }
            Response response = new Response();
            response.status = Integer.parseInt(lines[0].substring(9, 12));
            int length = -1;
            boolean chunked = false;
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
                String value = lines[i].substring(colon + 1).trim();
                switch (name) {
                    case "content-length" -> length = Integer.parseInt(value);
                    case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                    case "connection" -> response.close = value.equalsIgnoreCase("close");
                    case "set-cookie" -> {
                        if (value.startsWith(cookieName + "=")) {
                            int semicolon = value.indexOf(';');
                            response.setCookie = semicolon < 0 ? value : value.substring(0, semicolon);
                        }
                    }
                    default -> {
                    }
                }
            }
            int bodyStart = headEnd + 4;
            if (chunked) {
                StringBuilder body = new StringBuilder();
                int at = bodyStart;
                while (true) {
                    int lineEnd = indexOf(bytes, at, limit, "\r\n");
                    if (lineEnd < 0) {
                        return null;
                    }
                    int size = Integer.parseInt(new String(bytes, at, lineEnd - at, StandardCharsets.ISO_8859_1).split(";")[0].trim(), 16);
                    if (size == 0) {
                        if (indexOf(bytes, lineEnd + 2, limit, "\r\n") < 0) {
                            return null;     // trailers are not expected; the final CRLF is
                        }
                        break;
                    }
                    if (lineEnd + 2 + size + 2 > limit) {
                        return null;
                    }
                    body.append(new String(bytes, lineEnd + 2, size, StandardCharsets.ISO_8859_1));
                    at = lineEnd + 2 + size + 2;
                }
                response.body = body.toString();
            } else if (length >= 0) {
                if (limit < bodyStart + length) {
                    return null;
                }
                response.body = new String(bytes, bodyStart, length, StandardCharsets.ISO_8859_1);
            } else {
                throw new IOException("response without length");
            }
            return response;
        }

        private static int indexOf(byte[] bytes, int from, int limit, String text) {
            outer:
            for (int i = from; i <= limit - text.length(); i++) {
                for (int j = 0; j < text.length(); j++) {
                    if (bytes[i + j] != text.charAt(j)) {
                        continue outer;
                    }
                }
                return i;
            }
            return -1;
        }
    }

    /** A growable array of longs (latencies in ns). */
    static final class Longs {
        long[] values = new long[1 << 16];
        int size;

        void add(long value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }
    }
}
