package dev.berth.logging;

import org.eclipse.jetty.util.component.AbstractLifeCycle;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Formats and writes log entries from a thread of its own, so a request thread only enqueues a small
 * record: it never formats a timestamp, never waits on a slow log collector and never makes a system call.
 * Entries are written in batches through one buffer (standard output flushes on every line otherwise).
 * When the queue is full, entries are dropped and counted rather than slowing requests down.
 */
public final class LineWriter<T> extends AbstractLifeCycle {

    private static final int BATCH = 512;

    private final OutputStream out;
    private final Function<T, String> format;
    private final BlockingQueue<Object> queue;
    private final AtomicLong dropped = new AtomicLong();
    private final Object stop = new Object();
    private Thread thread;

    public LineWriter(OutputStream out, int capacity, Function<T, String> format) {
        this.out = new BufferedOutputStream(out, 64 * 1024);
        this.format = format;
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    public void write(T entry) {
        if (!queue.offer(entry)) {
            dropped.incrementAndGet();
        }
    }

    @Override
    protected void doStart() {
        thread = new Thread(this::drain, "berth-access-log");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    protected void doStop() throws InterruptedException {
        queue.put(stop);
        thread.join(TimeUnit.SECONDS.toMillis(5));
    }

    @SuppressWarnings("unchecked")
    private void drain() {
        List<Object> batch = new ArrayList<>(BATCH);
        StringBuilder text = new StringBuilder(16 * 1024);
        try {
            boolean stopping = false;
            while (!stopping) {
                batch.add(queue.take());
                queue.drainTo(batch, BATCH - 1);
                for (Object entry : batch) {
                    if (entry == stop) {
                        stopping = true;
                    } else {
                        text.append(format.apply((T) entry)).append('\n');
                    }
                }
                long lost = dropped.getAndSet(0);
                if (lost > 0) {
                    text.append(lost).append(" access log lines dropped: the log could not keep up\n");
                }
                out.write(text.toString().getBytes(StandardCharsets.UTF_8));
                if (queue.isEmpty()) {
                    out.flush();
                }
                batch.clear();
                text.setLength(0);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // standard output is gone (the collector closed it): nothing left to log to
        } finally {
            try {
                out.flush();
            } catch (IOException ignored) {
                // as above
            }
        }
    }
}
