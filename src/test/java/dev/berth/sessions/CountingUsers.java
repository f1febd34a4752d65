package dev.berth.sessions;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Users who count in their sessions while a fault is made: each sends {@code /count} over and over, in turn to
 * each of the instances (a round-robin balancer), and checks every answer. When a {@code 200 count=M} follows a
 * {@code 200 count=N} with M &le; N, the N - M + 1 acknowledged increments from M on were lost; a user is logged out when
 * {@code count=1} comes after the first request. A 503 says nothing was promised: the count may go on from
 * the value before it, or (when the store took the change but its answer did not come back in time) one
 * past it. Each user's requests are sequential, as a browser's.
 */
final class CountingUsers implements AutoCloseable {

    private static final int MAX_REQUESTS = 100_000;

    private final List<User> users = new ArrayList<>();
    private final ExecutorService threads;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<Future<?>> running = new ArrayList<>();
    private final long start = System.nanoTime();

    private CountingUsers(int count, int... ports) {
        threads = Executors.newFixedThreadPool(count);
        for (int i = 0; i < count; i++) {
            User user = new User(ports, i);
            users.add(user);
            running.add(threads.submit(user::run));
        }
    }

    /** {@code count} users counting on these instances' ports, from now on. */
    static CountingUsers start(int count, int... ports) {
        return new CountingUsers(count, ports);
    }

    /** Milliseconds since these users started: the clock of {@link Report#unavailableFrom}. */
    long now() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    /** Stops the users after their current request and adds up what they saw. */
    Report stop() throws Exception {
        stop.set(true);
        for (Future<?> user : running) {
            user.get(2, TimeUnit.MINUTES);
        }
        Report report = new Report();
        users.forEach(user -> user.addTo(report));
        return report;
    }

    @Override
    public void close() throws Exception {
        stop.set(true);
        threads.shutdownNow();
        threads.awaitTermination(1, TimeUnit.MINUTES);
    }

    /** What the users saw; times in ms on the users' clock. */
    static final class Report {
        int acknowledged;
        int lost;
        int loggedOut;
        int unavailable;
        /** Answers that were neither 200 nor 503 (or no answer): each one described. */
        final List<String> unexpected = new ArrayList<>();
        long unavailableFrom = Long.MAX_VALUE;
        long unavailableUntil = Long.MIN_VALUE;

        @Override
        public String toString() {
            return String.format("%d acknowledged, %d lost, %d logged out, %d × 503 (%s), %d unexpected %s", acknowledged, lost, loggedOut,
                    unavailable, unavailable == 0 ? "none" : "from " + unavailableFrom + " to " + unavailableUntil + " ms",
                    unexpected.size(), unexpected.stream().limit(5).toList());
        }
    }

    private final class User {
        private final SessionClient browser = new SessionClient();
        private final int[] ports;
        private final int offset;
        private final Report seen = new Report();
        /** The count of the last 200: every later one must be higher. */
        private int highest;
        private int requests;

        User(int[] ports, int offset) {
            this.ports = ports;
            this.offset = offset;
        }

        void run() {
            while (!stop.get() && requests < MAX_REQUESTS) {
                int port = ports[(offset + requests++) % ports.length];
                long sent = now();
                HttpResponse<String> response;
                try {
                    response = browser.get(port, "/count");
                } catch (RuntimeException noAnswer) {
                    seen.unexpected.add("no answer from " + port + " at " + sent + " ms: " + noAnswer);
                    continue;
                }
                check(port, sent, response);
            }
        }

        private void check(int port, long sent, HttpResponse<String> response) {
            if (response.statusCode() == 503) {
                seen.unavailable++;
                seen.unavailableFrom = Math.min(seen.unavailableFrom, sent);
                seen.unavailableUntil = Math.max(seen.unavailableUntil, now());
                return;
            }
            if (response.statusCode() != 200 || !response.body().startsWith("count=")) {
                seen.unexpected.add(port + " at " + sent + " ms: " + response.statusCode() + " " + response.body());
                return;
            }
            int count = Integer.parseInt(response.body().substring("count=".length()));
            seen.acknowledged++;
            if (count == 1 && highest > 0) {
                seen.loggedOut++;
            } else if (count <= highest) {
                seen.lost += highest - count + 1;
            }
            highest = count;
        }

        void addTo(Report report) {
            report.acknowledged += seen.acknowledged;
            report.lost += seen.lost;
            report.loggedOut += seen.loggedOut;
            report.unavailable += seen.unavailable;
            report.unexpected.addAll(seen.unexpected);
            report.unavailableFrom = Math.min(report.unavailableFrom, seen.unavailableFrom);
            report.unavailableUntil = Math.max(report.unavailableUntil, seen.unavailableUntil);
        }
    }
}
