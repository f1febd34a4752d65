package dev.berth.sessions;

import dev.berth.testing.BerthProcess;
import dev.berth.testing.ExternalServer;
import dev.berth.testing.PostgresServer;
import dev.berth.testing.Started;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** berth.sessions.store=jdbc on a real PostgreSQL, given as Render gives it: DATABASE_URL=postgres://... */
class JdbcSessionsIT extends SharedSessionsContract {

    @Started
    private static PostgresServer postgres;

    @Override
    BerthProcess.Builder berth(Path war, String... more) {
        return super.berth(war, more).env("DATABASE_URL", postgres.databaseUrl());
    }

    @Override
    List<String> storeFlags() {
        return List.of("--sessions.store=jdbc");
    }

    @Override
    String checkName() {
        return "sessions-jdbc";
    }

    @Override
    ExternalServer store() {
        return postgres;
    }

    @Override
    boolean keepsSessionsAcrossItsRestart() {
        return true;
    }

    @Test
    void printConfigShowsTheStoreAndWhereItsUrlCameFromWithThePasswordMasked() {
        BerthProcess.Result result = BerthProcess.builder().env("DATABASE_URL", postgres.databaseUrl())
                .args("--sessions.store=jdbc", "--print-config").run();
        assertThat(result.exitCode()).isZero();
        assertThat(result.output()).containsPattern("berth.sessions.store +jdbc +command line")
                .containsPattern("berth.sessions.jdbc.url +postgres://berth:\\*\\*\\*\\*@127.0.0.1:\\d+/berth +environment variable DATABASE_URL")
                .doesNotContain(postgres.password());
    }

    @Test
    void aUrlBerthCannotReadIsExit64NamingTheKeyTheMaskedValueAndTheSource() {
        BerthProcess.Result result = BerthProcess.builder().env("DATABASE_URL", "postgres://berth:hunter2@/berth")
                .args("--sessions.store=jdbc", "--print-config").run();
        assertThat(result.exitCode()).isEqualTo(64);
        assertThat(result.output()).contains("DATABASE_URL=postgres://berth:****@/berth from environment variable DATABASE_URL")
                .doesNotContain("hunter2");
    }
}
