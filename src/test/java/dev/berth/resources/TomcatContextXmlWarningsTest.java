package dev.berth.resources;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static dev.berth.resources.ContextXmlReading.DBCP1_APP;
import static dev.berth.resources.ContextXmlReading.ORIGIN;
import static dev.berth.resources.ContextXmlReading.TOMCAT_APP;
import static dev.berth.resources.ContextXmlReading.at;
import static dev.berth.resources.ContextXmlReading.context;
import static dev.berth.resources.ContextXmlReading.dataSource;
import static dev.berth.resources.ContextXmlReading.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * What Berth does not use is reported, never dropped in silence: one warning per ignored element or set of
 * attributes, naming its line, the element and the attribute; a kind that a file repeats is one warning with the
 * other lines. The tests assert those parts; {@link #theWholeWordingOfAWarning()} pins the words once.
 */
class TomcatContextXmlWarningsTest {

    /** The one test of a whole sentence: where, what was found, what Berth does instead, and what follows for the app. */
    @Test
    void theWholeWordingOfAWarning() {
        assertThat(read(dataSource("maxWaitMillis=\"-1\"")).lines()).containsExactly(ORIGIN + ":2: maxWaitMillis=\"-1\" (wait forever)"
                + " of <Resource name=\"jdbc/app\"> bounded to 30 s: a request waits at most that long for a free connection, then fails");
    }

    @Test
    void everythingBerthDoesNotUseIsOneWarningNamingItsLineAndWatchedResourcesShareOne() {
        assertThat(read(TOMCAT_APP).warnings()).satisfiesExactly(
                at(2, "attributes of <Context> ignored", "reloadable, antiResourceLocking"),
                at(3, "<WatchedResource> ignored", "(also at lines 4, 5)"),
                at(6, "maxWaitMillis=\"-1\"", "<Resource name=\"jdbc/postgres\">", "bounded to 30 s"),
                at(6, "maxIdle ignored"),
                at(11, "<Resource name=\"mail/Session\">", "javax.mail.Session", "skipped", "java:comp/env/mail/Session"),
                at(12, "<Resource name=\"UserDatabase\">", "org.apache.catalina.UserDatabase", "skipped", "java:comp/env/UserDatabase"),
                at(18, "<Valve className=\"org.apache.catalina.valves.RemoteAddrValve\"> ignored"),
                at(20, "<Realm className=\"org.apache.catalina.realm.LockOutRealm\"> ignored", "berth.login.users-file"),
                at(25, "<Manager> ignored", "berth.sessions.*"),
                at(26, "<ResourceLink name=\"jdbc/shared\"> ignored", "declare the <Resource> in context.xml"),
                at(27, "<JarScanner> ignored"));
    }

    @Test
    void dbcp1sFactoryMaxIdleAndTheAttributesHikariCpHasNoMatchForAreWarnedAbout() {
        assertThat(read(DBCP1_APP).warnings()).satisfiesExactly(
                at(2, "factory=\"org.apache.tomcat.dbcp.dbcp.BasicDataSourceFactory\" not used", "HikariCP"),
                at(2, "maxIdle ignored"),
                at(2, "attributes of <Resource name=\"jdbc/TestDB\"> ignored", "testOnBorrow, removeAbandoned"));
    }

    @Test
    void aDbcpFactoryAndMaxIdleWarnOncePerFileWhileAnUnknownFactoryWarnsForItsResource() {
        ContextXmlReading.Read read = read(context("""
                <Resource name="jdbc/a" type="javax.sql.DataSource" url="jdbc:h2:mem:a" maxIdle="4"
                          factory="org.apache.tomcat.dbcp.dbcp2.BasicDataSourceFactory"/>
                <Resource name="jdbc/b" type="javax.sql.DataSource" url="jdbc:h2:mem:b" maxIdle="4"
                          factory="org.apache.tomcat.dbcp.dbcp2.BasicDataSourceFactory"/>
                <Resource name="jdbc/c" type="javax.sql.DataSource" url="jdbc:h2:mem:c" factory="com.example.PoolFactory"/>"""));

        assertThat(read.warnings()).satisfiesExactly(
                at(2, "factory=\"org.apache.tomcat.dbcp.dbcp2.BasicDataSourceFactory\" not used", "(also at line 4)"),
                at(2, "maxIdle ignored", "(also at line 4)"),
                at(6, "factory=\"com.example.PoolFactory\" of <Resource name=\"jdbc/c\"> not used"));
    }

    static Stream<Arguments> poolSettingsThatAreAdjusted() {
        return Stream.of(
                arguments("maxTotal wins over maxActive given beside it", "maxTotal=\"8\" maxActive=\"50\"",
                        new String[] {"maxActive of <Resource name=\"jdbc/app\"> ignored", "maxTotal", "wins"}),
                arguments("maxWaitMillis wins over maxWait given beside it", "maxWaitMillis=\"500\" maxWait=\"9000\"",
                        new String[] {"maxWait of <Resource name=\"jdbc/app\"> ignored", "maxWaitMillis", "wins"}),
                arguments("maxTotal -1 (no limit) leaves the size to Berth", "maxTotal=\"-1\"",
                        new String[] {"maxTotal=\"-1\" (no limit) of <Resource name=\"jdbc/app\"> not honoured", "Berth's default pool size"}),
                arguments("an initialSize above minIdle is not kept open", "minIdle=\"2\" initialSize=\"10\"",
                        new String[] {"initialSize=\"10\" of <Resource name=\"jdbc/app\"> ignored", "minIdle=\"2\""}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("poolSettingsThatAreAdjusted")
    void aPoolSettingBerthAdjustsIsOneWarning(String behaviour, String attributes, String[] parts) {
        assertThat(read(dataSource(attributes)).warnings()).singleElement().satisfies(at(2, parts));
    }

    @Test
    void anElementInsideAResourceIsOneWarning() {
        ContextXmlReading.Read read = read(context("""
                <Resource name="jdbc/app" type="javax.sql.DataSource" url="jdbc:h2:mem:app">
                    <Parameter name="maxTotal" value="5"/>
                </Resource>"""));

        assertThat(read.warnings()).singleElement()
                .satisfies(at(3, "<Parameter name=\"maxTotal\"> inside <Resource name=\"jdbc/app\"> ignored"));
    }
}
