package dev.berth.testing;

/**
 * A real server of the test's own ({@link PostgresServer}, {@link RedisServer}) that a test can fail the way
 * production servers fail: stopped, restarted on the same port, frozen.
 */
public interface ExternalServer extends AutoCloseable {

    int port();

    /** The password it asks for; no log or message of Berth's may show it. */
    String password();

    /** Stops the server; {@link #restart()} brings it back on the same port. */
    void stop();

    /** Stops it if it runs, starts it again on the same port and waits until it serves. */
    void restart();

    /** Freezes the server (SIGSTOP) until {@link #resume()}: it holds its connections and answers nothing. */
    void pause();

    void resume();

    /** Stops it and deletes what it wrote. */
    @Override
    void close();
}
