package dev.berth.logging;

import org.eclipse.jetty.util.component.AbstractLifeCycle;

import java.io.PrintStream;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes lines to a stream from a thread of its own, so a request thread never waits on a slow log
 * collector. When the queue is full, lines are dropped and counted rather than slowing requests down.
 */
public final class LineWriter extends AbstractLifeCycle {

    private static final String STOP = new String("stop");

    private final PrintStream out;
    private final BlockingQueue<String> queue;
    private final AtomicLong dropped = new AtomicLong();
    private Thread thread;

    public LineWriter(PrintStream out, int capacity) {
        this.out = out;
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    public void write(String line) {
        if (!queue.offer(line)) {
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
        queue.put(STOP);
        thread.join(TimeUnit.SECONDS.toMillis(5));
    }

    private void drain() {
        try {
            while (true) {
                String line = queue.take();
                if (line == STOP) {
                    break;
                }
                out.println(line);
                long lost = dropped.getAndSet(0);
                if (lost > 0) {
                    out.println(lost + " access log lines dropped: the log could not keep up");
                }
                if (queue.isEmpty()) {
                    out.flush();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            out.flush();
        }
    }
}
