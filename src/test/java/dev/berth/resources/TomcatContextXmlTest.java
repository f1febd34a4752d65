package dev.berth.resources;

import dev.berth.config.DatabaseUrl;

import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.params.provider.Arguments.arguments;

class TomcatContextXmlTest {

    private static final String ORIGIN = "app.war!/META-INF/context.xml";

    /** Tomcat's JNDI DataSource how-to for PostgreSQL, DBCP 2 names, with the parts of context.xml Berth ignores. */
    private static final String TOMCAT_APP = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Context reloadable="true" antiResourceLocking="false">
                <WatchedResource>WEB-INF/web.xml</WatchedResource>
                <WatchedResource>WEB-INF/tomcat-web.xml</WatchedResource>
                <WatchedResource>${catalina.base}/conf/web.xml</WatchedResource>
                <Resource name="jdbc/postgres" auth="Container"
                          type="javax.sql.DataSource" driverClassName="org.postgresql.Driver"
                          url="jdbc:postgresql://127.0.0.1:5432/mydb"
                          username="myuser" password="mypasswd" maxTotal="20" maxIdle="10"
                          maxWaitMillis="-1"/>
                <Resource name="mail/Session" auth="Container" type="javax.mail.Session" mail.smtp.host="localhost"/>
                <Resource name="UserDatabase" auth="Container" type="org.apache.catalina.UserDatabase"
                          factory="org.apache.catalina.users.MemoryUserDatabaseFactory" pathname="conf/tomcat-users.xml"/>
                <Environment name="maxExemptions" value="10" type="java.lang.Integer" override="false"/>
                <Environment name="greeting" value="Hello" type="java.lang.String" description="shown on the home page"/>
                <Parameter name="companyName" value="My Company, Incorporated" override="false"/>
                <Parameter name="theme" value="dark"/>
                <Valve className="org.apache.catalina.valves.RemoteAddrValve"
                       allow="127\\.\\d+\\.\\d+\\.\\d+|::1|0:0:0:0:0:0:0:1"/>
                <Realm className="org.apache.catalina.realm.LockOutRealm">
                    <Realm className="org.apache.catalina.realm.DataSourceRealm" dataSourceName="jdbc/postgres"
                           userTable="users" userNameCol="user_name" userCredCol="user_pass"
                           userRoleTable="user_roles" roleNameCol="role_name" connectionPassword="${REALM_PASSWORD}"/>
                </Realm>
                <Manager pathname=""/>
                <ResourceLink name="jdbc/shared" global="jdbc/shared" type="javax.sql.DataSource"/>
                <JarScanner scanClassPath="false"/>
            </Context>
            """;

    /** Tomcat 5.5-7's how-to for MySQL, DBCP 1 names. */
    private static final String DBCP1_APP = """
            <Context>
              <Resource name="jdbc/TestDB" auth="Container" type="javax.sql.DataSource"
                        factory="org.apache.tomcat.dbcp.dbcp.BasicDataSourceFactory"
                        maxActive="100" maxIdle="30" maxWait="10000" initialSize="5"
                        username="javauser" password="javadude" driverClassName="com.mysql.jdbc.Driver"
                        url="jdbc:mysql://localhost:3306/javatest?useSSL=false&amp;serverTimezone=UTC"
                        validationQuery="SELECT 1" defaultAutoCommit="false" testOnBorrow="true" removeAbandoned="true"/>
            </Context>
            """;

    private final List<String> warnings = new ArrayList<>();

    @TempDir
    Path dir;

    private TomcatContextXml read(String xml) {
        return read(xml, Map.of());
    }

    private TomcatContextXml read(String xml, Map<String, String> placeholders) {
        return TomcatContextXml.read(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), ORIGIN,
                Placeholders.of(placeholders), warnings::add);
    }

    private static String context(String body) {
        return "<Context>\n" + body + "\n</Context>\n";
    }

    private static String dataSource(String attributes) {
        return context("<Resource name=\"jdbc/app\" type=\"javax.sql.DataSource\" url=\"jdbc:postgresql://db/app\" " + attributes + "/>");
    }

    @Test
    void tomcatsPostgresExampleBecomesADataSourceWithTheWaitForeverBoundedTo30Seconds() {
        TomcatContextXml xml = read(TOMCAT_APP);

        assertThat(xml.dataSources()).containsExactly(new DataSourceDefinition("jdbc/postgres",
                new DatabaseUrl("jdbc:postgresql://127.0.0.1:5432/mydb", Optional.of("myuser"), Optional.of("mypasswd")),
                Optional.of("org.postgresql.Driver"), OptionalInt.of(20), OptionalInt.empty(), Optional.of(Duration.ofSeconds(30)),
                Optional.empty(), Optional.empty(), Optional.empty(), OptionalInt.empty(), Map.of()));
    }

    @Test
    void environmentEntriesAndParametersKeepTheirOrderTypeAndOverride() {
        TomcatContextXml xml = read(TOMCAT_APP);

        assertThat(xml.environment()).containsExactly(
                new EnvironmentEntry("maxExemptions", 10, false),
                new EnvironmentEntry("greeting", "Hello", true));
        assertThat(xml.environment().get(0).type()).isEqualTo(Integer.class);
        assertThat(xml.parameters()).containsExactly(
                new ContextParameter("companyName", "My Company, Incorporated", false),
                new ContextParameter("theme", "dark", true));
    }

    @Test
    void everythingBerthDoesNotUseIsOneWarningNamingItsLineAndWatchedResourcesShareOne() {
        read(TOMCAT_APP);

        assertThat(warnings).containsExactly(
                ORIGIN + ":2: attributes of <Context> ignored, Berth does not use them: reloadable, antiResourceLocking",
                ORIGIN + ":3: <WatchedResource> ignored: Berth does not redeploy a WAR when its files change (also at lines 4, 5)",
                ORIGIN + ":6: maxWaitMillis=\"-1\" (wait forever) of <Resource name=\"jdbc/postgres\"> bounded to 30 s:"
                        + " a request waits at most that long for a free connection, then fails",
                ORIGIN + ":6: maxIdle ignored: HikariCP has no maxIdle;"
                        + " connections beyond minIdle close once they have been idle for HikariCP's idle timeout",
                ORIGIN + ":11: <Resource name=\"mail/Session\"> of type javax.mail.Session skipped:"
                        + " Berth binds only javax.sql.DataSource resources, so java:comp/env/mail/Session will not be found",
                ORIGIN + ":12: <Resource name=\"UserDatabase\"> of type org.apache.catalina.UserDatabase skipped:"
                        + " Berth binds only javax.sql.DataSource resources, so java:comp/env/UserDatabase will not be found",
                ORIGIN + ":18: <Valve className=\"org.apache.catalina.valves.RemoteAddrValve\"> ignored: Tomcat valves do not run in Berth",
                ORIGIN + ":20: <Realm className=\"org.apache.catalina.realm.LockOutRealm\"> ignored: Tomcat realms do not run in Berth;"
                        + " users for the WAR's <login-config> come from berth.login.users-file",
                ORIGIN + ":25: <Manager> ignored: sessions are set with the berth.sessions.* settings",
                ORIGIN + ":26: <ResourceLink name=\"jdbc/shared\"> ignored: Berth has no server-wide resources to link to;"
                        + " declare the <Resource> in context.xml instead",
                ORIGIN + ":27: <JarScanner> ignored: Jetty scans the WAR's jars itself");
    }

    @Test
    void dbcp1NamesMaxActiveAndMaxWaitAreReadAndInitialSizeStandsInForMinIdle() {
        TomcatContextXml xml = read(DBCP1_APP);

        DataSourceDefinition dataSource = xml.dataSources().get(0);
        assertThat(dataSource.url()).isEqualTo(new DatabaseUrl("jdbc:mysql://localhost:3306/javatest?useSSL=false&serverTimezone=UTC",
                Optional.of("javauser"), Optional.of("javadude")));
        assertThat(dataSource.maxPoolSize()).hasValue(100);
        assertThat(dataSource.minIdle()).hasValue(5);
        assertThat(dataSource.connectionTimeout()).contains(Duration.ofSeconds(10));
        assertThat(dataSource.validationQuery()).contains("SELECT 1");
        assertThat(dataSource.autoCommit()).contains(false);
        assertThat(dataSource.readOnly()).isEmpty();
        assertThat(warnings).containsExactly(
                ORIGIN + ":2: factory=\"org.apache.tomcat.dbcp.dbcp.BasicDataSourceFactory\" not used:"
                        + " Berth pools connections with HikariCP, set from the same attributes",
                ORIGIN + ":2: maxIdle ignored: HikariCP has no maxIdle;"
                        + " connections beyond minIdle close once they have been idle for HikariCP's idle timeout",
                ORIGIN + ":2: attributes of <Resource name=\"jdbc/TestDB\"> ignored, Berth does not use them: testOnBorrow, removeAbandoned");
    }

    @Test
    void aDbcpFactoryAndMaxIdleWarnOncePerFileWhileAnUnknownFactoryWarnsForItsResource() {
        read(context("""
                <Resource name="jdbc/a" type="javax.sql.DataSource" url="jdbc:h2:mem:a" maxIdle="4"
                          factory="org.apache.tomcat.dbcp.dbcp2.BasicDataSourceFactory"/>
                <Resource name="jdbc/b" type="javax.sql.DataSource" url="jdbc:h2:mem:b" maxIdle="4"
                          factory="org.apache.tomcat.dbcp.dbcp2.BasicDataSourceFactory"/>
                <Resource name="jdbc/c" type="javax.sql.DataSource" url="jdbc:h2:mem:c" factory="com.example.PoolFactory"/>"""));

        assertThat(warnings).containsExactly(
                ORIGIN + ":2: factory=\"org.apache.tomcat.dbcp.dbcp2.BasicDataSourceFactory\" not used:"
                        + " Berth pools connections with HikariCP, set from the same attributes (also at line 4)",
                ORIGIN + ":2: maxIdle ignored: HikariCP has no maxIdle;"
                        + " connections beyond minIdle close once they have been idle for HikariCP's idle timeout (also at line 4)",
                ORIGIN + ":6: factory=\"com.example.PoolFactory\" of <Resource name=\"jdbc/c\"> not used:"
                        + " Berth pools connections with HikariCP, set from the DBCP attributes of this <Resource>");
    }

    static Stream<Arguments> poolSettingsThatAreAdjusted() {
        return Stream.of(
                arguments("maxTotal wins over maxActive given beside it", "maxTotal=\"8\" maxActive=\"50\"",
                        "maxActive of <Resource name=\"jdbc/app\"> ignored: maxTotal, its DBCP 2 name, is also given and wins"),
                arguments("maxWaitMillis wins over maxWait given beside it", "maxWaitMillis=\"500\" maxWait=\"9000\"",
                        "maxWait of <Resource name=\"jdbc/app\"> ignored: maxWaitMillis, its DBCP 2 name, is also given and wins"),
                arguments("maxTotal -1 (no limit) leaves the size to Berth", "maxTotal=\"-1\"",
                        "maxTotal=\"-1\" (no limit) of <Resource name=\"jdbc/app\"> not honoured:"
                                + " a HikariCP pool needs a bound, so Berth's default pool size applies"),
                arguments("an initialSize above minIdle is not kept open", "minIdle=\"2\" initialSize=\"10\"",
                        "initialSize=\"10\" of <Resource name=\"jdbc/app\"> ignored:"
                                + " HikariCP keeps minIdle=\"2\" connections open and opens more only when they are needed"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("poolSettingsThatAreAdjusted")
    void aPoolSettingBerthAdjustsIsOneWarning(String behaviour, String attributes, String warning) {
        read(dataSource(attributes));

        assertThat(warnings).containsExactly(ORIGIN + ":2: " + warning);
    }

    @Test
    void theAdjustedPoolSettingsHaveTheValuesTheWarningsPromise() {
        DataSourceDefinition both = read(dataSource("maxTotal=\"8\" maxActive=\"50\" maxWaitMillis=\"500\" maxWait=\"9000\""))
                .dataSources().get(0);
        DataSourceDefinition unlimited = read(dataSource("maxTotal=\"-1\" minIdle=\"2\" initialSize=\"10\"")).dataSources().get(0);
        DataSourceDefinition noWait = read(dataSource("maxWaitMillis=\"0\" initialSize=\"3\" minIdle=\"4\"")).dataSources().get(0);

        assertThat(both.maxPoolSize()).hasValue(8);
        assertThat(both.connectionTimeout()).contains(Duration.ofMillis(500));
        assertThat(unlimited.maxPoolSize()).isEmpty();
        assertThat(unlimited.minIdle()).hasValue(2);
        assertThat(noWait.connectionTimeout()).contains(Duration.ZERO);
        assertThat(noWait.minIdle()).hasValue(4);
    }

    @Test
    void isolationConnectionPropertiesAndReadOnlyAreCarriedOverAndAuthScopeAndDescriptionAreAcceptedQuietly() {
        DataSourceDefinition dataSource = read(dataSource("""
                auth="Container" scope="Shareable" description="the app's database"
                defaultTransactionIsolation="read_committed" defaultReadOnly="TRUE"
                connectionProperties="ssl=true; sslmode=require;;ApplicationName=berth=app\"""")).dataSources().get(0);

        assertThat(dataSource.transactionIsolation()).hasValue(Connection.TRANSACTION_READ_COMMITTED);
        assertThat(dataSource.readOnly()).contains(true);
        assertThat(dataSource.connectionProperties())
                .containsExactly(Map.entry("ssl", "true"), Map.entry("sslmode", "require"), Map.entry("ApplicationName", "berth=app"));
        assertThat(warnings).isEmpty();
    }

    @Test
    void anElementInsideAResourceIsOneWarning() {
        read(context("""
                <Resource name="jdbc/app" type="javax.sql.DataSource" url="jdbc:h2:mem:app">
                    <Parameter name="maxTotal" value="5"/>
                </Resource>"""));

        assertThat(warnings).containsExactly(ORIGIN + ":3: <Parameter name=\"maxTotal\"> inside <Resource name=\"jdbc/app\"> ignored:"
                + " Berth reads only the attributes of <Resource>");
    }

    static Stream<Arguments> environmentValues() {
        return Stream.of(
                arguments("java.lang.String", " padded ", " padded "),
                arguments("java.lang.Integer", " 42", 42),
                arguments("java.lang.Long", "9000000000", 9_000_000_000L),
                arguments("java.lang.Boolean", "TRUE", true),
                arguments("java.lang.Double", "2.5", 2.5d),
                arguments("java.lang.Float", "0.25", 0.25f),
                arguments("java.lang.Short", "-7", (short) -7),
                arguments("java.lang.Byte", "127", (byte) 127),
                arguments("java.lang.Character", "Y", 'Y'));
    }

    @ParameterizedTest(name = "a {0} entry holds a {0}")
    @MethodSource("environmentValues")
    void anEnvironmentValueIsConvertedToItsType(String type, String value, Object expected) {
        EnvironmentEntry entry = read(context("<Environment name=\"x\" type=\"" + type + "\" value=\"" + value + "\"/>"))
                .environment().get(0);

        assertThat(entry.value()).isEqualTo(expected);
        assertThat(entry.type().getName()).isEqualTo(type);
    }

    static Stream<Arguments> badDeclarations() {
        return Stream.of(
                arguments("an Integer that is not a number",
                        "<Environment name=\"maxExemptions\" type=\"java.lang.Integer\" value=\"ten\"/>",
                        "value=\"ten\" of <Environment name=\"maxExemptions\"> is not a java.lang.Integer"),
                arguments("a Byte out of range", "<Environment name=\"b\" type=\"java.lang.Byte\" value=\"300\"/>",
                        "value=\"300\" of <Environment name=\"b\"> is not a java.lang.Byte"),
                arguments("a Boolean that is not true or false", "<Environment name=\"on\" type=\"java.lang.Boolean\" value=\"yes\"/>",
                        "value=\"yes\" of <Environment name=\"on\"> is not a java.lang.Boolean"),
                arguments("a Character of two characters", "<Environment name=\"c\" type=\"java.lang.Character\" value=\"ab\"/>",
                        "value=\"ab\" of <Environment name=\"c\"> is not a java.lang.Character"),
                arguments("a type Berth does not convert to", "<Environment name=\"d\" type=\"java.math.BigDecimal\" value=\"1\"/>",
                        "type=\"java.math.BigDecimal\" of <Environment name=\"d\"> is not a type Berth converts to; use one of"
                                + " java.lang.String, java.lang.Integer, java.lang.Long, java.lang.Boolean, java.lang.Double,"
                                + " java.lang.Float, java.lang.Short, java.lang.Byte, java.lang.Character"),
                arguments("an Environment without a type", "<Environment name=\"e\" value=\"1\"/>",
                        "<Environment name=\"e\"> has no type"),
                arguments("an Environment without a value", "<Environment name=\"e\" type=\"java.lang.String\"/>",
                        "<Environment name=\"e\"> has no value"),
                arguments("a Parameter without a value", "<Parameter name=\"p\"/>", "<Parameter name=\"p\"> has no value"),
                arguments("an override that is not true or false", "<Parameter name=\"p\" value=\"v\" override=\"no\"/>",
                        "override=\"no\" of <Parameter name=\"p\"> is not true or false"),
                arguments("a DataSource without a url", "<Resource name=\"jdbc/app\" type=\"javax.sql.DataSource\" username=\"app\"/>",
                        "<Resource name=\"jdbc/app\"> has no url"),
                arguments("a Resource without a name", "<Resource type=\"javax.sql.DataSource\" url=\"jdbc:h2:mem:x\"/>",
                        "<Resource> has no name"),
                arguments("a maxTotal that is not a number", "<Resource name=\"jdbc/app\" type=\"javax.sql.DataSource\""
                        + " url=\"jdbc:h2:mem:x\" maxTotal=\"lots\"/>", "maxTotal=\"lots\" of <Resource name=\"jdbc/app\"> is not a whole number"),
                arguments("a maxTotal of zero", "<Resource name=\"jdbc/app\" type=\"javax.sql.DataSource\" url=\"jdbc:h2:mem:x\""
                        + " maxTotal=\"0\"/>", "maxTotal=\"0\" of <Resource name=\"jdbc/app\"> allows no connection at all; give 1 or more"),
                arguments("a negative minIdle", "<Resource name=\"jdbc/app\" type=\"javax.sql.DataSource\" url=\"jdbc:h2:mem:x\""
                        + " minIdle=\"-1\"/>", "minIdle=\"-1\" of <Resource name=\"jdbc/app\"> is negative; give 0 or more"),
                arguments("a defaultAutoCommit that is not true or false", "<Resource name=\"jdbc/app\" type=\"javax.sql.DataSource\""
                        + " url=\"jdbc:h2:mem:x\" defaultAutoCommit=\"ture\"/>",
                        "defaultAutoCommit=\"ture\" of <Resource name=\"jdbc/app\"> is not true or false"),
                arguments("an unknown isolation level", "<Resource name=\"jdbc/app\" type=\"javax.sql.DataSource\" url=\"jdbc:h2:mem:x\""
                        + " defaultTransactionIsolation=\"SNAPSHOT\"/>", "defaultTransactionIsolation=\"SNAPSHOT\" of"
                        + " <Resource name=\"jdbc/app\"> is not NONE, READ_UNCOMMITTED, READ_COMMITTED, REPEATABLE_READ or SERIALIZABLE"),
                arguments("a url that is neither JDBC nor postgres://, its password masked", "<Resource name=\"jdbc/app\""
                        + " type=\"javax.sql.DataSource\" url=\"mongodb://app:S3cret@db/app\"/>", "url=\"mongodb://app:****@db/app\" of"
                        + " <Resource name=\"jdbc/app\"> is not usable: not a JDBC URL (jdbc:...) nor a postgres://, mysql:// or mariadb:// URL"),
                arguments("a name declared twice in java:comp/env", "<Environment name=\"jdbc/app\" type=\"java.lang.String\""
                        + " value=\"x\"/>\n<Resource name=\"jdbc/app\" type=\"javax.sql.DataSource\" url=\"jdbc:h2:mem:x\"/>",
                        "<Resource name=\"jdbc/app\">: jdbc/app is already declared at line 2"));
    }

    @ParameterizedTest(name = "{0} is an error")
    @MethodSource("badDeclarations")
    void aBadDeclarationIsAnErrorNamingLineElementAndAttribute(String behaviour, String body, String message) {
        // the body starts on line 2; a declaration that clashes with an earlier one is on the last line
        int line = (int) body.lines().count() + 1;

        assertThatThrownBy(() -> read(context(body))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(ORIGIN + ":" + line + ": " + message);
    }

    @Test
    void placeholdersResolveInEveryAttributeBerthReadsAndTomcatsDefaultSyntaxWorks() {
        TomcatContextXml xml = read(context("""
                <Resource name="jdbc/${APP}" type="javax.sql.DataSource" url="jdbc:postgresql://${DB_HOST}:${DB_PORT:-5432}/app"
                          username="${DB_USER}" password="${DB_PASSWORD}" maxTotal="${POOL_SIZE:-10}"/>
                <Environment name="region" type="java.lang.String" value="${REGION:-}"/>
                <Parameter name="banner" value="${BANNER}"/>"""),
                Map.of("APP", "app", "DB_HOST", "db.internal", "DB_USER", "app", "DB_PASSWORD", "pa$${x}",
                        "BANNER", "${NOT_A_PLACEHOLDER_AGAIN}"));

        DataSourceDefinition dataSource = xml.dataSources().get(0);
        assertThat(dataSource.name()).isEqualTo("jdbc/app");
        assertThat(dataSource.url()).isEqualTo(new DatabaseUrl("jdbc:postgresql://db.internal:5432/app", Optional.of("app"),
                Optional.of("pa$${x}")));
        assertThat(dataSource.maxPoolSize()).hasValue(10);
        assertThat(xml.environment()).containsExactly(new EnvironmentEntry("region", "", true));
        assertThat(xml.parameters()).containsExactly(new ContextParameter("banner", "${NOT_A_PLACEHOLDER_AGAIN}", true));
    }

    @Test
    void aPlatformsPostgresDatabaseUrlInAPlaceholderBecomesAJdbcUrlWithItsCredentialsBeside() {
        TomcatContextXml xml = read(dataSourceNamed("url=\"${DATABASE_URL}\" username=\"\" password=\"\""),
                Map.of("DATABASE_URL", "postgres://app:S3cret@dpg-abc.oregon-postgres.render.com/app?sslmode=require"));

        assertThat(xml.dataSources().get(0).url()).isEqualTo(new DatabaseUrl(
                "jdbc:postgresql://dpg-abc.oregon-postgres.render.com:5432/app?sslmode=require", Optional.of("app"), Optional.of("S3cret")));
    }

    private static String dataSourceNamed(String attributes) {
        return context("<Resource name=\"jdbc/app\" type=\"javax.sql.DataSource\" " + attributes + "/>");
    }

    @Test
    void aPlaceholderWithoutAValueIsAnErrorNamingItOriginAndLine() {
        assertThatThrownBy(() -> read(dataSourceNamed("\n url=\"jdbc:postgresql://db/app\"\n password=\"${DB_PASSWORD}\"")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(ORIGIN + ":2: ${DB_PASSWORD} in password of <Resource name=\"jdbc/app\"> is not set;"
                        + " set it, or give a default: ${DB_PASSWORD:-value}");
    }

    @Test
    void aPlaceholderInSomethingBerthIgnoresIsNotResolvedSoItNeedsNoValue() {
        read(context("<Realm className=\"org.apache.catalina.realm.JDBCRealm\" connectionPassword=\"${REALM_PASSWORD}\"/>"));

        assertThat(warnings).containsExactly(ORIGIN + ":2: <Realm className=\"org.apache.catalina.realm.JDBCRealm\"> ignored:"
                + " Tomcat realms do not run in Berth; users for the WAR's <login-config> come from berth.login.users-file");
    }

    @Test
    void aPasswordAppearsInNoWarningNoErrorAndNotInTheDefinitionsText() {
        String secret = "S3cret-Pa55";
        TomcatContextXml xml = read(dataSource("password=\"" + secret + "\" connectionProperties=\"password=" + secret
                + "\" maxTotal=\"-1\" maxWait=\"-1\" maxIdle=\"1\" testOnBorrow=\"" + secret + "\""));
        Throwable badProperties = catchThrowable(() -> read(dataSource("connectionProperties=\"" + secret + "\"")));
        Throwable badUrl = catchThrowable(() -> read(dataSourceNamed("url=\"jdbc:postgresql://db/app?password=" + secret
                + "\" maxTotal=\"x\"")));
        Throwable urlInUserInfo = catchThrowable(() -> read(dataSourceNamed("url=\"mongodb://app:" + secret + "@db/app\"")));

        assertThat(warnings).hasSize(4).noneMatch(warning -> warning.contains(secret));
        assertThat(xml.dataSources().get(0).toString()).doesNotContain(secret)
                .isEqualTo("DataSource jdbc/app at jdbc:postgresql://db/app with connection properties [password]");
        assertThat(List.of(badProperties, badUrl, urlInUserInfo)).allSatisfy(error ->
                assertThat(error).isInstanceOf(IllegalArgumentException.class).message().doesNotContain(secret));
    }

    static Stream<Arguments> malformedFiles() {
        return Stream.of(
                arguments("an attribute without quotes", "<Context>\n<Resource name=jdbc/app/>\n</Context>", 2),
                arguments("a missing end tag", "<Context>\n<Parameter name=\"a\" value=\"b\">\n</Context>", 3),
                arguments("an undeclared entity", "<Context>\n\n<Parameter name=\"a\" value=\"&nbsp;\"/>\n</Context>", 3),
                arguments("a second root", "<Context/>\n<Context/>", 2),
                arguments("an empty file", "", 1),
                arguments("a DOCTYPE the JDK's parser throws an unchecked exception on", "<!DOCTYPE Context [\u0005]>\n<Context/>", 1));
    }

    @ParameterizedTest(name = "{0} is malformed")
    @MethodSource("malformedFiles")
    void malformedXmlIsAnErrorWithOriginLineAndTheParsersReason(String behaviour, String xml, int line) {
        assertThatThrownBy(() -> read(xml)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(ORIGIN + ":" + line + ": not well-formed XML: ")
                .hasMessageNotContaining("ParseError");
    }

    @Test
    void aRootOtherThanContextIsAnError() {
        assertThatThrownBy(() -> read("<?xml version=\"1.0\"?>\n<!-- a web.xml by mistake -->\n\n<web-app/>"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(ORIGIN + ":4: the root element is <web-app>, not <Context>: this is not a Tomcat context.xml");
    }

    static Stream<Arguments> entityReferences() {
        return Stream.of(
                arguments("in an attribute Berth reads", "<Parameter name=\"leak\" value=\"&xxe;\"/>"),
                arguments("in an attribute Berth ignores", "<Valve className=\"x\" pattern=\"&xxe;\"/>"),
                arguments("in the text of an element Berth ignores", "<WatchedResource>&xxe;</WatchedResource>"));
    }

    @ParameterizedTest(name = "an external entity {0} is never read: the file is an error")
    @MethodSource("entityReferences")
    void anExternalEntityIsNeverRead(String where, String body) throws IOException {
        Path secret = Files.writeString(dir.resolve("secret.txt"), "TOP-SECRET");
        String xml = "<!DOCTYPE Context [<!ENTITY xxe SYSTEM \"" + secret.toUri() + "\">]>\n" + context(body);

        assertThatThrownBy(() -> read(xml)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage(ORIGIN + ":3: not well-formed XML: The entity \"xxe\" was referenced, but not declared.");
        assertThat(warnings).isEmpty();
    }

    @Test
    void aDoctypeWithADtdUrlIsReadWithoutFetchingIt() throws IOException {
        HttpServer dtdServer = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        AtomicInteger requests = new AtomicInteger();
        dtdServer.createContext("/", exchange -> {
            requests.incrementAndGet();
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
        });
        dtdServer.start();
        try {
            String dtdUrl = "http://127.0.0.1:" + dtdServer.getAddress().getPort() + "/context.dtd";
            TomcatContextXml xml = read("<!DOCTYPE Context SYSTEM \"" + dtdUrl + "\">\n" + context("<Parameter name=\"p\" value=\"v\"/>"));

            assertThat(xml.parameters()).hasSize(1);
            assertThat(requests).hasValue(0);
        } finally {
            dtdServer.stop(0);
        }
    }
}
