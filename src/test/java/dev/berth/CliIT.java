package dev.berth;

import dev.berth.testing.BerthProcess;
import dev.berth.testing.Http;
import dev.berth.testing.Ports;
import dev.berth.testing.Wars;

import org.eclipse.jetty.util.security.Password;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The real jar as a subprocess: what a user types, what it prints, how it exits. */
class CliIT {

    @TempDir
    Path dir;

    @Test
    void servesTheFixtureWarEndToEnd() {
        Path war = Wars.hello();
        try (BerthProcess berth = BerthProcess.builder().loopback().args(war.toString()).serving("hello.war deployed in ")) {
            int port = berth.port();
            assertThat(Http.get(port, "/declared").body()).isEqualTo("declared servlet, greeting=hello-from-web-xml");
            assertThat(Http.get(port, "/annotated").body()).isEqualTo("annotated servlet at /annotated");
            assertThat(Http.get(port, "/hello.jsp").body()).contains("jsp says 55");
            assertThat(berth.output()).contains("configured: port 0 from command line");
            assertThat(berth.terminate()).isEqualTo(143);
            assertThat(berth.output()).containsPattern("Stopped in \\d+ ms");
        }
    }

    @Test
    void thePlatformsPortIsBoundAndServesTheStatusPage() throws Exception {
        // the test holds the platform's port until Berth has tried it, then lets go and Berth binds it on its
        // next try: a port found free before the JVM starts could be taken by then
        try (ServerSocket held = Ports.hold();
             BerthProcess berth = BerthProcess.builder().env("PORT", String.valueOf(held.getLocalPort()))
                     .args("--host=127.0.0.1", "--fallback-ports=", "--bind.attempts=12", "--bind.backoff=50ms").start()) {
            int platformPort = held.getLocalPort();
            berth.releaseWhenTried(held);
            assertThat(berth.awaitPort()).isEqualTo(platformPort);
            berth.awaitOutput("Status page deployed");
            assertThat(Http.get(platformPort, "/").body()).contains("Berth is running");
            assertThat(berth.output()).contains("port " + platformPort + " from environment variable PORT");
        }
    }

    @Test
    void aBadPortIsExit64NamingTheSourceWithoutAStackTrace() {
        BerthProcess.Result result = BerthProcess.builder().env("PORT", "abc").run();
        assertThat(result.exitCode()).isEqualTo(64);
        assertThat(result.output()).contains("PORT=abc from environment variable PORT: not a port number (1-65535)")
                .doesNotContain("Exception", "\tat ");
    }

    @Test
    void anUnknownFlagIsExit64WithASuggestion() {
        BerthProcess.Result result = BerthProcess.run("--fallback-port=9000");
        assertThat(result.exitCode()).isEqualTo(64);
        assertThat(result.output()).contains("unknown option --fallback-port", "did you mean --fallback-ports?");
    }

    @Test
    void anUnknownEnvironmentVariableIsExit64WithASuggestion() {
        BerthProcess.Result result = BerthProcess.builder().env("BERTH_CONTEXTPATH", "/x").run();
        assertThat(result.exitCode()).isEqualTo(64);
        assertThat(result.output()).contains("BERTH_CONTEXTPATH", "did you mean BERTH_CONTEXT_PATH?");
    }

    @Test
    void aMissingWarIsExit66NamingThePath() {
        Path missing = dir.resolve("missing.war");
        BerthProcess.Result result = BerthProcess.builder().loopback().args(missing.toString()).run();
        assertThat(result.exitCode()).isEqualTo(66);
        assertThat(result.output()).contains(missing.toString(), "does not exist").doesNotContain("\tat ");
    }

    @Test
    void aSpringBootExecutableJarIsExit66SayingWhatItIsAndWhatToDoInsteadBeforeAnythingIsBound() throws Exception {
        Path jar = dir.resolve("shop-0.0.1.jar");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
            for (String entry : List.of("META-INF/MANIFEST.MF", "org/springframework/boot/loader/launch/JarLauncher.class",
                    "BOOT-INF/classes/application.properties", "BOOT-INF/lib/spring-core.jar")) {
                zip.putNextEntry(new ZipEntry(entry));
                zip.write("spring.datasource.password=hunter2\n".getBytes(StandardCharsets.UTF_8));
            }
        }
        BerthProcess.Result result = BerthProcess.builder().loopback().args(jar.toString()).run();
        assertThat(result.exitCode()).isEqualTo(66);
        assertThat(result.output()).contains(jar + " is a Spring Boot executable jar (it has BOOT-INF/, no WEB-INF/), not a WAR",
                "run it with java -jar shop-0.0.1.jar, or build the application as a WAR")
                .doesNotContain("hunter2", "\tat ", "Started ");
    }

    /** Before, a million entries were an OutOfMemoryError stack trace from main (exit 1) at -Xmx128m. */
    @Test
    void aWarOfAMillionEntriesIsExit66InTwoLinesWithinASmallHeapAndTheLimitIsASetting() throws Exception {
        Path war = dir.resolve("huge.war");
        try (ZipOutputStream zip = new ZipOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(war), 1 << 16))) {
            zip.putNextEntry(new ZipEntry("WEB-INF/web.xml"));
            zip.write("<web-app/>".getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < 1_000_000; i++) {
                zip.putNextEntry(new ZipEntry("f/" + i));
            }
        }
        BerthProcess.Result result = BerthProcess.builder().loopback().jvm("-Xmx64m").args(war.toString()).run();
        assertThat(result.exitCode()).as(result.output()).isEqualTo(66);
        assertThat(result.output()).contains("berth: the WAR " + war + " has more entries than berth.deploy.max-entries=100000 allows",
                "berth: check that this is the WAR your build made; if it is, raise berth.deploy.max-entries")
                .doesNotContain("OutOfMemoryError", "\tat ", "Started ");
        // the end record's counts are not what a reader goes by: one that says 1000 changes nothing
        byte[] bytes = Files.readAllBytes(war);
        java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN).putShort(bytes.length - 22 + 8, (short) 1000)
                .putShort(bytes.length - 22 + 10, (short) 1000);
        Path lying = Files.write(dir.resolve("lying.war"), bytes);
        BerthProcess.Result stated = BerthProcess.builder().loopback().jvm("-Xmx64m").args(lying.toString()).run();
        assertThat(stated.exitCode()).as(stated.output()).isEqualTo(66);
        assertThat(stated.output()).contains("has more entries than berth.deploy.max-entries=100000").doesNotContain("OutOfMemoryError");
        BerthProcess.Result directory = BerthProcess.builder().loopback()
                .args("--deploy.max-entries=2000000", "--deploy.max-directory-mib=1", war.toString()).run();
        assertThat(directory.exitCode()).isEqualTo(66);
        assertThat(directory.output()).contains("has a central directory larger than berth.deploy.max-directory-mib=1 MiB allows",
                "raise berth.deploy.max-directory-mib").doesNotContain("\tat ");
    }

    /**
     * A WAR whose entries say they unpack to 4 TB (sizes patched in its central directory) cannot fit in any work
     * directory here: exit 73 before anything is bound, naming the folder and both sizes (was exit 70 "fix the
     * application", naming no path, midway through unpacking).
     */
    @Test
    void aWorkDirectoryWithLessRoomThanTheWarUnpacksToIsExit73BeforeAnythingIsBound() throws Exception {
        Path war = dir.resolve("vast.war");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(war))) {
            zip.putNextEntry(new ZipEntry("WEB-INF/web.xml"));
            zip.write("<web-app/>".getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < 1000; i++) {
                zip.putNextEntry(new ZipEntry("static/f" + i + ".txt"));
                zip.write('x');
            }
        }
        byte[] bytes = Files.readAllBytes(war);
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (int at = 0; at + 46 <= bytes.length; at++) {
            if (buffer.getInt(at) == 0x02014b50) {
                buffer.putInt(at + 24, 0xF0000000); // uncompressed size: 4,026,531,840 bytes, 1001 times
            }
        }
        Files.write(war, bytes);
        Path work = Files.createDirectories(dir.resolve("work"));
        BerthProcess.Result result = BerthProcess.builder().loopback().args("--work-dir=" + work, war.toString()).run();
        assertThat(result.exitCode()).as(result.output()).isEqualTo(73);
        assertThat(result.output()).containsPattern("berth: Berth's work directory " + Pattern.quote(work.toString())
                        + " has [0-9.]+ MB free; unpacking vast.war needs 4030558.4 MB")
                .contains("berth: free space there, or point berth.work-dir at a file system with room")
                .doesNotContain("Bound port", "\tat ");
    }

    @Test
    void printConfigAndTheExit64LineMaskEveryFormOfPasswordInAUrl() {
        BerthProcess.Result config = BerthProcess.builder().env("DATABASE_URL", "postgres://app:PW/s3cret1@db:5432/app")
                .args("--datasource.pg.url=jdbc:postgresql://db/app?user=app&sslpassword=s3cret2",
                        "--datasource.ora.url=jdbc:oracle:thin:scott/s3cret3@db:1521/orcl", "--print-config").run();
        assertThat(config.exitCode()).as(config.output()).isZero();
        assertThat(config.output()).contains("postgres://app:****@db:5432/app", "sslpassword=****", "jdbc:oracle:thin:scott/****@db")
                .doesNotContain("s3cret");
        BerthProcess.Result typo = BerthProcess.builder().env("DATABASE_URL", "postgresql:/app:s3cret4@db/app")
                .args("--sessions.store=jdbc", "--print-config").run();
        assertThat(typo.exitCode()).isEqualTo(64);
        assertThat(typo.output()).contains("postgresql:/app:****@db/app").doesNotContain("s3cret");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "--classpath=DIR/lib/postgresql.jar | names DIR/lib/postgresql.jar, which does not exist | list jar files or class folders that exist",
        "--context-xml=DIR/conf/context.xml | DIR/conf/context.xml is not a readable file | give the path of a Tomcat context.xml",
        "--login.users-file=DIR/users.properties | DIR/users.properties is not a readable file | give a readable Jetty users file",
        "--sessions.file.dir=DIR/a-file | DIR/a-file is a file, not a folder | give a folder"})
    void aPathSettingThatNamesNothingUsableIsExit64NamingKeyAndSourceBeforeAnythingIsBound(String flag, String what, String todo) throws Exception {
        Files.writeString(dir.resolve("a-file"), "not a folder");
        String given = flag.replace("DIR", dir.toString());
        List<String> args = new java.util.ArrayList<>(List.of(given, Wars.hello().toString()));
        if (given.startsWith("--sessions.")) {
            args.add(0, "--sessions.store=file");
        }
        BerthProcess.Result result = BerthProcess.builder().loopback().args(args.toArray(String[]::new)).run();
        assertThat(result.exitCode()).isEqualTo(64);
        assertThat(result.output()).contains("berth: " + given + " from command line: " + what.replace("DIR", dir.toString()), "berth: " + todo)
                .doesNotContain("\tat ", "Bound port");
    }

    @Test
    void aBasicAuthPasswordInJettysObfuscatedFormIsReadAsJettyReadsItAndABrokenOneIsExit64() {
        BerthProcess.Result broken = BerthProcess.builder().loopback().env("BERTH_BASIC_AUTH_PASSWORD", "OBF:abc")
                .args("--basic-auth.user=stage").run();
        assertThat(broken.exitCode()).isEqualTo(64);
        assertThat(broken.output()).contains("BERTH_BASIC_AUTH_PASSWORD=**** from environment variable BERTH_BASIC_AUTH_PASSWORD: OBF: is not followed by")
                .doesNotContain("OBF:abc", "\tat ", "Exception");
        try (BerthProcess berth = BerthProcess.builder().loopback().env("BERTH_BASIC_AUTH_PASSWORD", Password.obfuscate("s3cret"))
                .args("--basic-auth.user=stage").serving("Status page deployed")) {
            String basic = "Basic " + Base64.getEncoder().encodeToString("stage:s3cret".getBytes(StandardCharsets.UTF_8));
            assertThat(Http.send(HttpRequest.newBuilder(Http.uri(berth.port(), "/")).header("Authorization", basic).build()).statusCode())
                    .isEqualTo(200);
            assertThat(Http.get(berth.port(), "/").statusCode()).isEqualTo(401);
        }
    }

    @Test
    void anUnreadableWarIsExit66() throws Exception {
        Path war = Files.copy(Wars.hello(), dir.resolve("locked.war"));
        Files.setPosixFilePermissions(war, Set.of());
        Assumptions.assumeFalse(Files.isReadable(war), "running as a user who reads everything");
        BerthProcess.Result result = BerthProcess.run("--port=0", "--fallback-ports=", war.toString());
        assertThat(result.exitCode()).isEqualTo(66);
    }

    @Test
    void helpListsEverySettingWithFlagEnvironmentVariableAndDefault() {
        BerthProcess.Result result = BerthProcess.run("--help");
        assertThat(result.exitCode()).isZero();
        assertThat(result.output()).contains("--fallback-ports=FALLBACK_PORTS", "env BERTH_FALLBACK_PORTS, default 8080,8000",
                "--port=PORT", "default value of PORT", "--shutdown.timeout=TIMEOUT", "env BERTH_SHUTDOWN_TIMEOUT, default 25s",
                "--print-config", "--check-ports");
    }

    @Test
    void versionPrintsTheVersionTheJarWasBuiltAs() {
        String built = System.getProperty("berth.project-version");
        Assumptions.assumeTrue(built != null, "run through Maven (failsafe passes the project's version)");
        BerthProcess.Result result = BerthProcess.run("--version");
        assertThat(result.exitCode()).isZero();
        assertThat(result.output().strip()).isEqualTo("Berth " + built)
                .as("a semantic version").matches("Berth \\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?");
    }

    @Test
    void printConfigShowsEachSettingFromItsHighestSourceAndNamesThatSource() throws Exception {
        // startup.hold, host, shutdown.timeout and context-path are each set in two or three sources: the row names the winner
        Files.createDirectories(dir.resolve("config"));
        Files.writeString(dir.resolve("config/berth.properties"), """
                berth.context-path=/local
                berth.shutdown.timeout=9s
                berth.bind.attempts=7
                """);
        Path extra = Files.writeString(dir.resolve("extra.properties"), """
                berth.host=127.0.0.3
                berth.shutdown.timeout=8s
                berth.context-path=/extra
                """);
        BerthProcess.Result result = BerthProcess.builder().directory(dir)
                .env("PORT", "9123").env("BERTH_HOST", "127.0.0.1").env("BERTH_SHUTDOWN_TIMEOUT", "5s")
                .jvm("-Dberth.host=127.0.0.2", "-Dberth.startup.hold=20s")
                .args("--print-config", "--config=" + extra, "--startup.hold", "10s")
                .run();
        assertThat(result.exitCode()).isZero();
        assertThat(result.output())
                .containsPattern("berth\\.startup\\.hold\\s+10s\\s+command line")
                .containsPattern("berth\\.host\\s+127\\.0\\.0\\.2\\s+system property")
                .containsPattern("berth\\.shutdown\\.timeout\\s+5s\\s+environment variable BERTH_SHUTDOWN_TIMEOUT")
                .containsPattern("berth\\.context-path\\s+/extra\\s+file " + Pattern.quote(extra + ", line 3"))
                .containsPattern("berth\\.bind\\.attempts\\s+7\\s+file config/berth\\.properties, line 3")
                .containsPattern("berth\\.port\\s+9123\\s+environment variable PORT")
                .containsPattern("berth\\.fallback-ports\\s+8080,8000\\s+default");
    }
}
