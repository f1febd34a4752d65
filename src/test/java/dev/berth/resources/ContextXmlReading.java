package dev.berth.resources;

import org.assertj.core.api.ThrowingConsumer;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Reads a context.xml given as text, as if it were {@value #ORIGIN}; each read collects its own warnings, so no
 * test sees another's. Warnings and errors are lines {@code origin:line: text}: tests assert the line and the
 * parts of the text that matter ({@link #at}), and one test pins a whole wording.
 */
final class ContextXmlReading {

    static final String ORIGIN = "app.war!/META-INF/context.xml";

    /** Tomcat's JNDI DataSource how-to for PostgreSQL, DBCP 2 names, with the parts of context.xml Berth ignores. */
    static final String TOMCAT_APP = """
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
    static final String DBCP1_APP = """
            <Context>
              <Resource name="jdbc/TestDB" auth="Container" type="javax.sql.DataSource"
                        factory="org.apache.tomcat.dbcp.dbcp.BasicDataSourceFactory"
                        maxActive="100" maxIdle="30" maxWait="10000" initialSize="5"
                        username="javauser" password="javadude" driverClassName="com.mysql.jdbc.Driver"
                        url="jdbc:mysql://localhost:3306/javatest?useSSL=false&amp;serverTimezone=UTC"
                        validationQuery="SELECT 1" defaultAutoCommit="false" testOnBorrow="true" removeAbandoned="true"/>
            </Context>
            """;

    private ContextXmlReading() {
    }

    /** A file that was read: what it declares, and the warning lines it handed on. */
    record Read(TomcatContextXml xml, List<String> lines) {

        List<Located> warnings() {
            return lines.stream().map(Located::parse).toList();
        }
    }

    /** A file that was refused: the error, and the warning lines handed on before it. */
    record Refused(IllegalArgumentException exception, List<String> lines) {

        Located error() {
            return Located.parse(exception.getMessage());
        }
    }

    /** A warning or an error: where it was found, and what it says. */
    record Located(String origin, int line, String text) {

        private static final Pattern LINE = Pattern.compile("(.+?):(\\d+): (.*)", Pattern.DOTALL);

        static Located parse(String message) {
            Matcher m = LINE.matcher(message);
            assertThat(m.matches()).as("'%s' starts with origin:line:", message).isTrue();
            return new Located(m.group(1), Integer.parseInt(m.group(2)), m.group(3));
        }
    }

    static Read read(String xml) {
        return read(xml, Map.of());
    }

    /** Reads {@code xml} with {@code placeholders} as the values of {@code ${NAME}}. */
    static Read read(String xml, Map<String, String> placeholders) {
        List<String> lines = new ArrayList<>();
        TomcatContextXml read = TomcatContextXml.read(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), ORIGIN,
                Placeholders.of(placeholders), lines::add);
        return new Read(read, lines);
    }

    static Refused refused(String xml) {
        return refused(xml, Map.of());
    }

    /** Reads {@code xml}, which must fail with an {@link IllegalArgumentException}. */
    static Refused refused(String xml, Map<String, String> placeholders) {
        List<String> lines = new ArrayList<>();
        IllegalArgumentException error = catchThrowableOfType(IllegalArgumentException.class, () -> TomcatContextXml.read(
                new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), ORIGIN, Placeholders.of(placeholders), lines::add));
        assertThat(error).as("the error of reading:\n%s", xml).isNotNull();
        return new Refused(error, lines);
    }

    /** A warning or error of this file at {@code line} whose text names each of {@code parts}. */
    static ThrowingConsumer<Located> at(int line, String... parts) {
        return located -> {
            assertThat(located.origin()).isEqualTo(ORIGIN);
            assertThat(located.line()).as("the line of '%s'", located.text()).isEqualTo(line);
            if (parts.length > 0) {
                assertThat(located.text()).contains(parts);
            }
        };
    }

    /** {@code body} as the content of {@code <Context>}: its first line is line 2. */
    static String context(String body) {
        return "<Context>\n" + body + "\n</Context>\n";
    }

    /** A DataSource {@code jdbc/app} on line 2, with a url and {@code attributes}. */
    static String dataSource(String attributes) {
        return context("<Resource name=\"jdbc/app\" type=\"javax.sql.DataSource\" url=\"jdbc:postgresql://db/app\" " + attributes + "/>");
    }

    /** A DataSource {@code jdbc/app} on line 2 with only {@code attributes} besides its name and type. */
    static String dataSourceNamed(String attributes) {
        return context("<Resource name=\"jdbc/app\" type=\"javax.sql.DataSource\" " + attributes + "/>");
    }
}
