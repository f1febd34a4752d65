package dev.berth.sessions;

import dev.berth.testing.BerthProcess;
import dev.berth.testing.RedisServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** berth.sessions.store=redis on a real Redis with a password and persistence, given as Render gives it: REDIS_URL=redis://... */
class RedisSessionsIT extends SharedSessionsContract {

    private static RedisServer redis;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.startPersistent();
    }

    @AfterAll
    static void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @Override
    BerthProcess.Builder berth(Path war, String... more) {
        return super.berth(war, more).env("REDIS_URL", redis.url());
    }

    @Override
    List<String> storeFlags() {
        return List.of("--sessions.store=redis");
    }

    @Override
    String checkName() {
        return "sessions-redis";
    }

    @Override
    void stopStore() {
        redis.stop();
    }

    @Override
    void restartStore() {
        redis.restart();
    }

    @Override
    void pauseStore() {
        redis.pause();
    }

    @Override
    void resumeStore() {
        redis.resume();
    }

    /** The test's Redis writes every change to disk before it answers, as a Key Value instance with persistence. */
    @Override
    boolean keepsSessionsAcrossItsRestart() {
        return true;
    }

    @Test
    void theStartLineNamesTheServerWithItsPasswordMasked() {
        try (BerthProcess berth = serving()) {
            assertThat(berth.output()).contains("Sessions are kept in Redis at redis://:****@127.0.0.1:" + redis.port() + "/0")
                    .doesNotContain(redis.password());
        }
    }
}
