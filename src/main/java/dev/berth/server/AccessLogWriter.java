package dev.berth.server;

import org.eclipse.jetty.util.component.AbstractLifeCycle;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * Formats and writes log entries from a thread of its own, so a request thread only enqueues a small
 * record: it never formats a timestamp, never waits on a slow log collector and never makes a system call.
 * Entries are written in batches through one buffer (standard output flushes on every line otherwise).
 * The queue is lock-free and the writer polls it, so enqueuing is one compare-and-set with no wake-up;
 * a line appears at most a few milliseconds late. When the queue is full, entries are dropped and
 * counted rather than slowing requests down.
 */
public final class AccessLogWriter<T> extends AbstractLifeCycle {

    private static final int BATCH = 512;
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

    private final OutputStream out;
    private final Function<T, String> format;
    private final int capacity;
    private final ConcurrentLinkedQueue<T> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean stopping;
    private Thread thread;

    public AccessLogWriter(OutputStream out, int capacity, Function<T, String> format) {
        this.out = new BufferedOutputStream(out, 64 * 1024);
        this.format = format;
        this.capacity = capacity;
    }

    public void write(T entry) {
        if (size.incrementAndGet() > capacity) {
            size.decrementAndGet();
            dropped.incrementAndGet();
            return;
        }
        queue.offer(entry);
    }

    @Override
    protected void doStart() {
        thread = new Thread(this::drain, "berth-access-log");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    protected void doStop() throws InterruptedException {
        stopping = true;
        LockSupport.unpark(thread);
        thread.join(TimeUnit.SECONDS.toMillis(5));
    }

    private void drain() {
        StringBuilder text = new StringBuilder(16 * 1024);
        try {
            while (true) {
                boolean last = stopping;
                int taken = 0;
                for (T entry = queue.poll(); entry != null; entry = taken < BATCH ? queue.poll() : null) {
                    taken++;
                    text.append(format.apply(entry)).append('\n');
                }
                size.addAndGet(-taken);
                long lost = dropped.getAndSet(0);
                if (lost > 0) {
                    text.append(lost).append(" access log lines dropped: the log could not keep up\n");
                }
                if (text.length() > 0) {
                    out.write(text.toString().getBytes(StandardCharsets.UTF_8));
                    text.setLength(0);
                }
                if (taken < BATCH) {
                    out.flush();
                    if (last) {
                        return;
                    }
                    LockSupport.parkNanos(this, IDLE_NANOS);
                }
            }
        } catch (IOException e) {
            // standard output is gone (the collector closed it): nothing left to log to
        }
    }
}
