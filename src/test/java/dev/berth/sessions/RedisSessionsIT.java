package dev.berth.sessions;

import dev.berth.testing.BerthProcess;
import dev.berth.testing.ExternalServer;
import dev.berth.testing.RedisServer;
import dev.berth.testing.Started;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** berth.sessions.store=redis on a real Redis with a password and persistence, given as Render gives it: REDIS_URL=redis://... */
class RedisSessionsIT extends SharedSessionsContract {

    @Started(persistent = true)
    private static RedisServer redis;

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
    ExternalServer store() {
        return redis;
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
