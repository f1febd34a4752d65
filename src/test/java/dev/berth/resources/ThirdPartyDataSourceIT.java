package dev.berth.resources;

import dev.berth.testing.BerthProcess;
import dev.berth.testing.Http;
import dev.berth.testing.Ports;
import dev.berth.testing.PostgresServer;
import dev.berth.testing.Started;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real WARs from Maven Central (copied to target/third-party-wars by the build) that look their database up in
 * JNDI, run by the real jar against a real PostgreSQL. Apache JSPWiki 2.11.2, a Java EE 8 WAR converted on the
 * fly, keeps its users and groups in the database when told to use its JDBCUserDatabase and JDBCGroupDatabase,
 * which look up java:comp/env/jdbc/UserDatabase and jdbc/GroupDatabase; Berth binds both from settings, as the
 * WAR's resource-refs are commented out. Cargo's datasource-war, the WAR Cargo checks every container's
 * DataSources with, declares one resource-ref, so DATABASE_URL alone is enough.
 */
class ThirdPartyDataSourceIT {

    private static final Path WARS = Path.of("target", "third-party-wars").toAbsolutePath();

    /** JSPWiki ships no schema that PostgreSQL accepts (its postgresql.ddl is HSQLDB's), so here is one for its default names. */
    private static final List<String> JSPWIKI_SCHEMA = List.of(
            "CREATE TABLE users (uid varchar(100), email varchar(100), full_name varchar(100), login_name varchar(100) PRIMARY KEY,"
                    + " password varchar(100), wiki_name varchar(100), created timestamp, modified timestamp, lock_expiry timestamp,"
                    + " attributes text)",
            "CREATE TABLE roles (login_name varchar(100) NOT NULL, role varchar(100) NOT NULL)",
            "CREATE TABLE groups (name varchar(100) PRIMARY KEY, creator varchar(100), created timestamp, modifier varchar(100),"
                    + " modified timestamp)",
            "CREATE TABLE group_members (name varchar(100) NOT NULL, member varchar(100) NOT NULL, PRIMARY KEY (name, member))");

    @Started
    private static PostgresServer postgres;

    /** Where JSPWiki sends its mail: a port reserved for the whole class, so every connection to it is refused. */
    private static Socket closedMailPort;

    /** One conversion of the javax WAR for the whole class. */
    @TempDir
    static Path migrated;

    @TempDir
    Path dir;

    @BeforeAll
    static void reserveTheMailPortAndCreateJspWikisTables() {
        closedMailPort = Ports.reserve();
        JSPWIKI_SCHEMA.forEach(ThirdPartyDataSourceIT::execute);
    }

    @AfterAll
    static void releaseTheMailPort() {
        Ports.close(closedMailPort);
    }

    /**
     * JSPWiki as its documentation configures it: a jspwiki-custom.properties on the class path, here a folder
     * given to Berth with --classpath. Its mail goes to a closed loopback port (registration mails every new user),
     * one nothing can listen on, so a mail is refused at once instead of meeting whatever took a port found free.
     */
    private BerthProcess jspWiki() {
        Path conf = dir.resolve("conf");
        try {
            Files.createDirectories(conf);
            Files.writeString(conf.resolve("jspwiki-custom.properties"), String.join("\n",
                    "jspwiki.userdatabase = org.apache.wiki.auth.user.JDBCUserDatabase",
                    "jspwiki.groupdatabase = org.apache.wiki.auth.authorize.JDBCGroupDatabase",
                    "jspwiki.fileSystemProvider.pageDir = " + dir.resolve("pages"),
                    "jspwiki.workDir = " + dir.resolve("wiki-work"),
                    "mail.smtp.host = 127.0.0.1",
                    "mail.smtp.port = " + closedMailPort.getLocalPort()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return BerthProcess.builder().loopback()
                .args("--startup.hold=2m", "--work-dir=" + dir.resolve("work"), "--migrate.cache-dir=" + migrated, "--classpath=" + conf,
                        "--datasource.UserDatabase.url=" + postgres.databaseUrl(), "--datasource.GroupDatabase.url=" + postgres.databaseUrl(),
                        WARS.resolve("jspwiki-war.war").toString())
                .serving("jspwiki-war.war deployed in");
    }

    @Test
    void aJspWikiUserWhoIsOnlyARowInPostgresLogsInAndSeesTheGroupsKeptThere() {
        execute("INSERT INTO users (uid, full_name, login_name, password, wiki_name, created, modified) VALUES"
                + " ('-1', 'Olive Ops', 'ops', '{SHA}" + sha1("harbour-pilot") + "', 'OliveOps', now(), now())");
        execute("INSERT INTO groups (name, creator, created, modifier, modified) VALUES ('Harbour', 'dba', now(), 'dba', now())");
        execute("INSERT INTO group_members (name, member) VALUES ('Harbour', 'Olive Ops'), ('Harbour', 'Quinn Quay')");
        try (BerthProcess berth = jspWiki()) {
            Browser browser = new Browser(berth.port());
            HttpResponse<String> refused = browser.logIn("ops", "not-it");
            assertThat(refused.body()).as(berth::output).contains("Could not login:&nbsp;Not a valid login.");

            HttpResponse<String> login = browser.logIn("ops", "harbour-pilot");
            assertThat(login.statusCode()).as(berth::output).isEqualTo(302);
            assertThat(browser.get("/Wiki.jsp?page=Main").body()).contains("G&#8217;day, Olive Ops (authenticated)");
            // the wiki upgraded the old unsalted hash it had read, through the same pool
            assertThat(query("SELECT password FROM users WHERE login_name = 'ops'")).hasSize(1)
                    .allSatisfy(hash -> assertThat(hash).startsWith("{SHA-256}"));

            HttpResponse<String> group = browser.get("/Group.jsp?group=Harbour");
            assertThat(group.statusCode()).isEqualTo(200);
            assertThat(group.body()).containsPattern("<td>Harbour</td>\\s*<td>[^<]*Quinn Quay");
            assertThat(berth.output())
                    .contains("DataSource jdbc/UserDatabase at jdbc:postgresql://127.0.0.1:" + postgres.port()
                            + "/berth as berth at java:comp/env/jdbc/UserDatabase")
                    .contains("JDBCGroupDatabase initialized from JNDI DataSource: jdbc/GroupDatabase")
                    .doesNotContain(postgres.password());
        }
    }

    @Test
    void aUserRegisteredAndAGroupCreatedInJspWikiAreRowsInPostgresThatOutliveTheProcess() {
        try (BerthProcess berth = jspWiki()) {
            Browser visitor = new Browser(berth.port());
            // the e-mail address is required: without one JDBCUserDatabase fails ("Index type not recognized!")
            HttpResponse<String> registered = visitor.post("/Login.jsp?tab=register", form("loginname", "jdoe", "password", "deck-hand-7",
                    "password2", "deck-hand-7", "fullname", "Jane Doe", "email", "jane@example.org", "action", "saveProfile", "redirect", "Main"));
            assertThat(registered.statusCode()).as(berth::output).isEqualTo(302);
            assertThat(query("SELECT full_name || ' ' || wiki_name || ' ' || email FROM users WHERE login_name = 'jdoe'"))
                    .containsExactly("Jane Doe JaneDoe jane@example.org");
            assertThat(query("SELECT role FROM roles WHERE login_name = 'jdoe'")).containsExactly("Authenticated");

            Browser jane = new Browser(berth.port());
            assertThat(jane.logIn("jdoe", "deck-hand-7").statusCode()).as(berth::output).isEqualTo(302);
            HttpResponse<String> created = jane.post("/NewGroup.jsp", form("action", "save", "group", "Crew", "members", "Jane Doe\nRory Rope"));
            assertThat(created.statusCode()).as(berth::output).isEqualTo(302);
            assertThat(query("SELECT creator FROM groups WHERE name = 'Crew'")).containsExactly("Jane Doe");
            assertThat(query("SELECT member FROM group_members WHERE name = 'Crew' ORDER BY member")).containsExactly("Jane Doe", "Rory Rope");
        }
        try (BerthProcess berth = jspWiki()) {
            Browser jane = new Browser(berth.port());
            assertThat(jane.logIn("jdoe", "deck-hand-7").statusCode()).as(berth::output).isEqualTo(302);
            assertThat(jane.get("/Group.jsp?group=Crew").body()).containsPattern("<td>Crew</td>\\s*<td>[^<]*Rory Rope");
            assertThat(berth.output()).contains("its Jakarta conversion was in the cache");
        }
    }

    @Test
    void cargosDataSourceWarGetsAConnectionFromDatabaseUrlAlone() {
        try (BerthProcess berth = BerthProcess.builder().loopback().env("DATABASE_URL", postgres.databaseUrl())
                .args("--work-dir=" + dir.resolve("work"), "--migrate.cache-dir=" + migrated, WARS.resolve("datasource-war.war").toString())
                .serving("datasource-war.war deployed in")) {
            HttpResponse<String> test = Http.get(berth.port(), "/test");
            assertThat(test.statusCode()).as(berth::output).isEqualTo(200);
            assertThat(test.body()).isEqualTo("Got connection!");
            assertThat(berth.output()).contains("Binding berth.database-url (jdbc:postgresql://127.0.0.1:" + postgres.port()
                    + "/berth as berth) at java:comp/env/jdbc/CargoDS, the one DataSource resource-ref datasource-war.war declares")
                    .doesNotContain(postgres.password());
        }
    }

    /** A browser's cookies (JSPWiki's session and its asserted name) on one Berth, redirects not followed. */
    private static final class Browser {
        private final HttpClient client = HttpClient.newBuilder().connectTimeout(Http.TIMEOUT)
                .cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL)).build();
        private final int port;

        Browser(int port) {
            this.port = port;
        }

        HttpResponse<String> get(String path) {
            return send(HttpRequest.newBuilder(Http.uri(port, path)).GET());
        }

        /** JSPWiki's login form, as its Login.jsp renders it. */
        HttpResponse<String> logIn(String user, String password) {
            return post("/Login.jsp?redirect=Main", form("j_username", user, "j_password", password, "redirect", "Main", "submitlogin", "Login"));
        }

        HttpResponse<String> post(String path, String form) {
            return send(HttpRequest.newBuilder(Http.uri(port, path)).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)));
        }

        private HttpResponse<String> send(HttpRequest.Builder request) {
            try {
                return client.send(request.timeout(Http.TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static String form(String... namesAndValues) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            fields.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return fields.entrySet().stream().map(f -> f.getKey() + "=" + URLEncoder.encode(f.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** The unsalted SHA-1 that JSPWiki before 2.8 stored, and still accepts (then rewrites) as {SHA}hex. */
    private static String sha1(String password) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(password.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void execute(String sql) {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed", e);
        }
    }

    /** The first column of every row. */
    private static List<String> query(String sql) {
        try (Connection connection = connect(); ResultSet rows = connection.createStatement().executeQuery(sql)) {
            List<String> values = new ArrayList<>();
            while (rows.next()) {
                values.add(rows.getString(1));
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException(sql + " failed", e);
        }
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(postgres.jdbcUrl(), postgres.user(), postgres.password());
    }
}
