package dev.berth.deploy;

import dev.berth.config.BerthConfig.MigrateMode;

import jakarta.servlet.ServletException;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.lang.reflect.InaccessibleObjectException;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** After a failed deployment, the last line names the action for the root causes whose fix is not in the code. */
class DiagnosisTest {

    static Stream<Arguments> failures() {
        return Stream.of(
                Arguments.of("a javax class with migration off", new ServletException("init",
                        new ClassNotFoundException("javax.servlet.http.HttpServlet")), MigrateMode.OFF, "leave berth.migrate at auto"),
                Arguments.of("a javax servlet declared in web.xml", new ServletException(
                        "Servlet class app.Legacy is not a jakarta.servlet.Servlet"), MigrateMode.OFF, "berth.migrate=off"),
                Arguments.of("a javax class left in a converted WAR", new NoClassDefFoundError("javax/servlet/Filter"), MigrateMode.AUTO,
                        "--convert IN.war OUT.war"),
                Arguments.of("CDI missing", new IllegalStateException("boot", new NoClassDefFoundError("jakarta/enterprise/inject/spi/Extension")),
                        MigrateMode.AUTO, "bundle Weld in the WAR's WEB-INF/lib"),
                Arguments.of("JSF missing", new ClassNotFoundException("javax.faces.webapp.FacesServlet"), MigrateMode.AUTO,
                        "provides no Jakarta Faces"),
                Arguments.of("a package the JVM does not open", new InaccessibleObjectException("Unable to make field private final "
                        + "java.util.Map java.util.Collections$UnmodifiableMap.m accessible: module java.base does not \"opens java.util\" "
                        + "to unnamed module @1f32e575"), MigrateMode.AUTO, "--add-opens java.base/java.util=ALL-UNNAMED"),
                Arguments.of("a removed Servlet method", new NoSuchMethodError("'void jakarta.servlet.http.HttpSession.putValue(java.lang.String, "
                        + "java.lang.Object)'"), MigrateMode.AUTO, "a Servlet API method that Servlet 6 removed"),
                Arguments.of("a class for a newer Java", new UnsupportedClassVersionError("app/Main has been compiled by a more recent version of "
                        + "the Java Runtime (class file version 69.0), this version of the Java Runtime only recognizes class file versions up to 61.0"),
                        MigrateMode.AUTO, "compiled for Java 25"),
                Arguments.of("a DataSource nothing binds, as JSPWiki reports it", new IllegalStateException("Failed to start. Caused by: Missing "
                        + "property: jspwiki.groupdatabase.datasource: key=JDBCGroupDatabase initialization error: javax.naming.NameNotFoundException: "
                        + "jdbc is not bound; remaining name 'jdbc/GroupDatabase'"), MigrateMode.AUTO, "set berth.datasource.GroupDatabase.url"),
                Arguments.of("anything else", new IllegalStateException("database unreachable"), MigrateMode.AUTO, "fix the application"));
    }

    @ParameterizedTest(name = "{0}: the action says \"{3}\"")
    @MethodSource("failures")
    void eachCommonRootCauseGetsItsAction(String name, Throwable failure, MigrateMode migrate, String action) {
        assertThat(Diagnosis.action(failure, migrate)).contains(action);
    }
}
