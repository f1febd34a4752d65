package dev.berth.resources;

import dev.berth.testing.BerthProcess;
import dev.berth.testing.Http;
import dev.berth.testing.PostgresServer;
import dev.berth.testing.Started;
import dev.berth.testing.Wars;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** WARs written for Tomcat that look their database up in JNDI, on a real PostgreSQL, under the real jar. */
class DataSourcesIT {

    /** Declares jdbc/app as a resource-ref in web.xml, as most Tomcat WARs do. */
    private static final Path WAR = Wars.build("datasource");

    @Started
    private static PostgresServer postgres;

    private static BerthProcess.Builder berth(Path war, String... more) {
        return BerthProcess.builder().loopback().args(more).args(war.toString());
    }

    @Test
    void aWarWithOneResourceRefQueriesTheDatabaseGivenByDatabaseUrlAlone() {
        try (BerthProcess berth = berth(WAR).env("DATABASE_URL", postgres.databaseUrl()).serving("deployed in")) {
            assertThat(Http.get(berth.port(), "/query").body()).isEqualTo("db=berth answer=42");
            assertThat(berth.output()).contains("Binding berth.database-url (jdbc:postgresql://127.0.0.1:" + postgres.port()
                    + "/berth as berth) at java:comp/env/jdbc/app, the one DataSource resource-ref datasource.war declares")
                    .doesNotContain(postgres.password());
        }
    }

    @Test
    void aWarsTomcatContextXmlGivesItsDataSourceEnvironmentEntriesAndParameters() {
        String contextXml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <Context reloadable="true">
                  <Resource name="jdbc/app" auth="Container" type="javax.sql.DataSource"
                            driverClassName="org.postgresql.Driver" url="${APP_DB_URL}"
                            username="${APP_DB_USER}" password="${APP_DB_PASSWORD}"
                            maxTotal="3" maxIdle="2" maxWaitMillis="5000" validationQuery="select 1"/>
                  <Environment name="greeting" value="hello from context.xml" type="java.lang.String"/>
                  <Environment name="limit" value="7" type="java.lang.Integer"/>
                  <Parameter name="shop.mode" value="live"/>
                  <Valve className="org.apache.catalina.valves.RemoteAddrValve" allow="127\\.0\\.0\\.1"/>
                </Context>
                """;
        Path war = Wars.with(WAR, "META-INF/context.xml", contextXml);
        try (BerthProcess berth = berth(war).env("APP_DB_URL", postgres.jdbcUrl()).env("APP_DB_USER", postgres.user())
                .env("APP_DB_PASSWORD", postgres.password()).serving("deployed in")) {
            assertThat(Http.get(berth.port(), "/query").body()).isEqualTo("db=berth answer=42");
            assertThat(Http.get(berth.port(), "/env").body()).isEqualTo("greeting=hello from context.xml limit=7 param=live");
            assertThat(berth.output()).contains("datasource.war!/META-INF/context.xml:2: attributes of <Context> ignored")
                    .contains("<Valve className=\"org.apache.catalina.valves.RemoteAddrValve\"> ignored")
                    .contains("(3 connections at most)")
                    .doesNotContain(postgres.password());
        }
    }

    @Test
    void anExternalContextXmlWinsOverTheWarsOwn(@TempDir Path dir) throws Exception {
        Path war = Wars.with(WAR, "META-INF/context.xml", """
                <Context>
                  <Resource name="jdbc/app" type="javax.sql.DataSource" url="jdbc:postgresql://127.0.0.1:1/nowhere"/>
                </Context>
                """);
        Path external = Files.writeString(dir.resolve("context.xml"), """
                <Context>
                  <Resource name="jdbc/app" type="javax.sql.DataSource" url="%s" username="%s" password="${APP_DB_PASSWORD}"/>
                </Context>
                """.formatted(postgres.jdbcUrl(), postgres.user()));
        try (BerthProcess berth = berth(war, "--context-xml=" + external).env("APP_DB_PASSWORD", postgres.password()).serving("deployed in")) {
            assertThat(Http.get(berth.port(), "/query").body()).isEqualTo("db=berth answer=42");
            assertThat(berth.output()).contains("datasource.war!/META-INF/context.xml: jdbc/app is already defined by a setting or berth.context-xml");
        }
    }

    @Test
    void aDataSourceFromASettingIsBoundEvenWithoutAResourceRef() {
        Path war = Wars.with(WAR, "WEB-INF/web.xml", """
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0"/>
                """);
        try (BerthProcess berth = berth(war, "--datasource.app.url=" + postgres.databaseUrl(), "--datasource.app.pool-size=2")
                .serving("deployed in")) {
            assertThat(Http.get(berth.port(), "/query").body()).isEqualTo("db=berth answer=42");
        }
    }

    @Test
    void aDatabaseDownAtStartKeepsTheWarWaitingWithReadinessDownThenItDeploys() {
        postgres.stop();
        try (BerthProcess berth = berth(WAR).env("DATABASE_URL", postgres.databaseUrl()).start()) {
            int port = berth.awaitPort();
            berth.awaitOutput("datasource-jdbc/app is unreachable");
            assertThat(Http.get(port, "/health/live").statusCode()).isEqualTo(200);
            HttpResponse<String> ready = Http.get(port, "/health/ready");
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).contains("\"name\":\"datasource-jdbc/app\",\"status\":\"DOWN\"");
            assertThat(berth.output()).doesNotContain("deployed in");
            postgres.restart();
            berth.awaitOutput("deployed in");
            await().atMost(Duration.ofSeconds(60)).until(() -> Http.get(port, "/health/ready").statusCode() == 200);
            assertThat(Http.get(port, "/query").body()).isEqualTo("db=berth answer=42");
        } finally {
            postgres.restart();
        }
    }

    @Test
    void withAwaitDatasourcesOffTheWarDeploysAtOnceAndReadinessWaitsForTheDatabase() {
        postgres.stop();
        try (BerthProcess berth = berth(WAR, "--startup.await-datasources=false").env("DATABASE_URL", postgres.databaseUrl())
                .serving("deployed in")) {
            assertThat(Http.get(berth.port(), "/health/ready").statusCode()).isEqualTo(503);
            assertThat(Http.get(berth.port(), "/query").statusCode()).isEqualTo(500);
            postgres.restart();
            await().atMost(Duration.ofSeconds(60)).until(() -> Http.get(berth.port(), "/health/ready").statusCode() == 200);
            assertThat(Http.get(berth.port(), "/query").body()).isEqualTo("db=berth answer=42");
        } finally {
            postgres.restart();
        }
    }

    @Test
    void thePoolsAreClosedWhenBerthStops() throws Exception {
        try (BerthProcess berth = berth(WAR).env("DATABASE_URL", postgres.databaseUrl()).serving("deployed in")) {
            assertThat(Http.get(berth.port(), "/query").statusCode()).isEqualTo(200);
            assertThat(connectionsOtherThanThisOne()).isPositive();
            assertThat(berth.terminate()).isEqualTo(143);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> connectionsOtherThanThisOne() == 0);
    }

    @Test
    void aFailedDeploymentLeavesNoConnectionOpen() {
        Path failing = Wars.with(WAR, "WEB-INF/web.xml", """
                <web-app xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                  <listener><listener-class>no.such.Listener</listener-class></listener>
                  <resource-ref><res-ref-name>jdbc/app</res-ref-name><res-type>javax.sql.DataSource</res-type></resource-ref>
                </web-app>
                """);
        try (BerthProcess berth = berth(failing, "--deploy.on-failure=stay").env("DATABASE_URL", postgres.databaseUrl())
                .serving("failed to deploy")) {
            await().atMost(Duration.ofSeconds(60)).until(() -> connectionsOtherThanThisOne() == 0);
            assertThat(Http.get(berth.port(), "/health/ready").body()).doesNotContain("datasource-jdbc/app");
        }
    }

    @Test
    void aDataSourceUrlBerthCannotReadIsExit64WithThePasswordMasked() {
        BerthProcess.Result result = BerthProcess.builder().args("--datasource.app.url=postgres://app:hunter2@/app", WAR.toString()).run();
        assertThat(result.exitCode()).isEqualTo(64);
        assertThat(result.output()).contains("--datasource.app.url=postgres://app:****@/app from command line: the URL names no host")
                .doesNotContain("hunter2");
    }

    private static int connectionsOtherThanThisOne() throws Exception {
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
             ResultSet row = connection.createStatement().executeQuery(
                     "select count(*) from pg_stat_activity where datname = 'berth' and pid <> pg_backend_pid()")) {
            row.next();
            return row.getInt(1);
        }
    }
}
