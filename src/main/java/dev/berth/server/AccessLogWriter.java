package dev.berth.server;

import org.eclipse.jetty.util.component.AbstractLifeCycle;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;

/**
 * Formats and writes log entries from a thread of its own, so a request thread only enqueues a small
 * record: it never formats, never waits on a slow log collector and never makes a system call.
 * Entries are formatted as bytes into one buffer and written in batches, one system call each.
 * The queue is lock-free and, while requests come, the writer polls it every few milliseconds, so
 * enqueuing is a compare-and-set with no wake-up and a line appears at most a few milliseconds late. After
 * a second without an entry the writer sleeps until the next one wakes it (one wake-up, for the first
 * request after a quiet spell), so an idle Berth does not wake 200 times a second. Order is kept: entries are written as they were
 * enqueued, so the lines of one connection keep the order of its requests.
 * <p>
 * No line is dropped to keep up: when the queue holds {@code capacity} entries (the collector reads
 * slower than requests arrive), the request threads wait for room, as they would on a synchronous log.
 * Only a log whose output is gone (the collector closed standard output) drops its lines: there is
 * nowhere left to write them.
 */
final class AccessLogWriter<T> extends AbstractLifeCycle {

    private static final int BATCH = 512;
    private static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final long FULL_NANOS = TimeUnit.MICROSECONDS.toNanos(100);
    /** Idle this long, the writer stops polling and sleeps until an entry comes. */
    private static final long SLEEP_AFTER_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final OutputStream out;
    private final BiConsumer<T, LineBuffer> format;
    private final int capacity;
    private final ConcurrentLinkedQueue<T> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private volatile boolean stopping;
    private volatile boolean broken;
    /** The writer is asleep, or about to be: an entry must wake it. */
    private volatile boolean asleep;
    private volatile Thread thread;

    public AccessLogWriter(OutputStream out, int capacity, BiConsumer<T, LineBuffer> format) {
        this.out = out;
        this.format = format;
        this.capacity = capacity;
    }

    public void write(T entry) {
        if (broken) {
            return;
        }
        while (size.get() >= capacity && !stopping && !broken && thread != null) {
            // the collector is behind: wait for room rather than lose the line
            LockSupport.unpark(thread);
            LockSupport.parkNanos(this, FULL_NANOS);
        }
        size.incrementAndGet();
        queue.offer(entry);
        Thread writer = thread;
        if (asleep && writer != null) {
            LockSupport.unpark(writer);
        }
    }

    /** How many entries wait to be written. */
    int backlog() {
        return size.get();
    }

    @Override
    protected void doStart() {
        stopping = false;
        Thread writer = new Thread(this::drain, "berth-access-log");
        writer.setDaemon(true);
        thread = writer;
        writer.start();
    }

    @Override
    protected void doStop() throws InterruptedException {
        stopping = true;
        Thread writer = thread;
        LockSupport.unpark(writer);
        writer.join(TimeUnit.SECONDS.toMillis(5));
        thread = null;
    }

    private void drain() {
        LineBuffer lines = new LineBuffer(64 * 1024);
        long lastEntry = System.nanoTime();
        try {
            while (true) {
                boolean last = stopping;
                int taken = 0;
                for (T entry = queue.poll(); entry != null; entry = taken < BATCH ? queue.poll() : null) {
                    taken++;
                    format.accept(entry, lines);
                    lines.put('\n');
                }
                size.addAndGet(-taken);
                if (!lines.isEmpty()) {
                    lines.writeTo(out);
                }
                if (taken < BATCH) {
                    out.flush();
                    if (last) {
                        return;
                    }
                    long now = System.nanoTime();
                    if (taken > 0) {
                        lastEntry = now;
                    } else if (now - lastEntry >= SLEEP_AFTER_NANOS) {
                        sleepUntilAnEntry();
                        lastEntry = System.nanoTime();
                        continue;
                    }
                    LockSupport.parkNanos(this, IDLE_NANOS);
                }
            }
        } catch (IOException e) {
            // standard output is gone (the collector closed it): nothing left to log to
            broken = true;
            queue.clear();
        }
    }

    /**
     * Parks until {@link #write} or {@link #doStop} unparks this thread. The flag is set before the queue is
     * looked at once more, and a writer reads it after its offer: so either this sees the entry, or the
     * writer sees the flag and unparks (a permit given before the park makes it return at once).
     */
    private void sleepUntilAnEntry() {
        asleep = true;
        try {
            if (queue.isEmpty() && !stopping) {
                LockSupport.park(this);
            }
        } finally {
            asleep = false;
        }
    }
}
