package dev.berth.migrate;

import dev.berth.testing.BerthProcess;
import dev.berth.testing.Http;
import dev.berth.testing.Wars;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real Java EE 8 WARs from Maven Central (copied to target/third-party-wars by the build), each run by the
 * real jar with no extra flag: converted on the fly, the removed Servlet calls bridged, Weld's reflection
 * opened by the manifest, JSPs given the container's JSTL; and a Jakarta WAR that carries an old Jetty's websocket
 * jars and expects the container's JSTL.
 */
class JavaxThirdPartyWarsIT {

    private static final Path WARS = Path.of("target", "third-party-wars").toAbsolutePath();

    @TempDir
    Path dir;

    private BerthProcess serving(String war, String... more) {
        return serving(WARS.resolve(war), more);
    }

    private BerthProcess serving(Path war, String... more) {
        return BerthProcess.builder().loopback().jvm("-Duser.home=" + dir)
                .args("--startup.hold=2m", "--work-dir=" + dir.resolve("work"), "--migrate.cache-dir=" + dir.resolve("cache"))
                .args(more).args(war.toString()).serving(war.getFileName() + " deployed in");
    }

    /**
     * The ActiveMQ console as published, except that its embedded broker listens on ports the kernel chooses
     * (its activemq.xml says 61616 and 61613): two of these on one machine, as two test suites side by side
     * start them, would otherwise fight over those ports.
     */
    private static Path activeMqConsole() throws IOException {
        Path war = WARS.resolve("activemq-web-console.war");
        String config;
        try (FileSystem zip = FileSystems.newFileSystem(war)) {
            config = Files.readString(zip.getPath("/WEB-INF/activemq.xml"));
        }
        String anyPort = config.replace("tcp://localhost:61616", "tcp://localhost:0").replace("stomp://localhost:61613", "stomp://localhost:0");
        assertThat(anyPort).isNotEqualTo(config);
        return Wars.with(war, "WEB-INF/activemq.xml", anyPort);
    }

    @Test
    void aJspDemoIsConvertedAndItsPagesCompileAndTheNextStartTakesTheCache() {
        try (BerthProcess berth = serving("demo-jsp-webapp.war")) {
            assertThat(berth.output()).contains("demo-jsp-webapp.war is a Java EE 8 (javax.servlet) WAR", "converted to Jakarta");
            assertThat(Http.get(berth.port(), "/").body()).contains("Eclipse Jetty JSP Demo Webapp");
            assertThat(Http.get(berth.port(), "/dump.jsp").body()).contains("JSP Dump");
            // its JSTL page uses the old java.sun.com URI and the container's JSTL
            HttpResponse<String> jstl = Http.get(berth.port(), "/jstl.jsp");
            assertThat(jstl.statusCode()).isEqualTo(200);
            assertThat(jstl.body()).containsPattern("(?s)JSTL Example.*\\b1\\s*<br />\\s*2\\s*<br />.*\\b10\\s*<br />")
                    .doesNotContain("c:forEach", "c:out");
        }
        try (BerthProcess berth = serving("demo-jsp-webapp.war")) {
            assertThat(berth.output()).contains("its Jakarta conversion was in the cache");
            assertThat(Http.get(berth.port(), "/dump.jsp").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aJersey2RestAppAnswersItsResourceBecauseSetStatusWithAMessageIsBridged() {
        try (BerthProcess berth = serving("helloworld-webapp.war")) {
            HttpResponse<String> hello = Http.get(berth.port(), "/helloworld");
            assertThat(hello.statusCode()).isEqualTo(200);
            assertThat(hello.body()).isEqualTo("Hello World!");
            assertThat(berth.output()).doesNotContain("NoSuchMethodError");
        }
    }

    @Test
    void webGoatServesItsLoginPageWithItsLoaderUnderTomcatsName() {
        try (BerthProcess berth = serving("webgoat-container.war", "--context-path=/WebGoat")) {
            HttpResponse<String> login = Http.get(berth.port(), "/WebGoat/login.mvc");
            assertThat(login.statusCode()).isEqualTo(200);
            assertThat(login.body()).contains("<title>Login Page");
            // getRealPath of a folder it creates later, and the cast of its loader to Tomcat's, both hold
            assertThat(berth.output()).contains("its classes name Tomcat's class loader")
                    .doesNotContain("NullPointerException", "org/apache/catalina/loader/WebappClassLoader", "Copying plugins failed");
        }
    }

    @Test
    void jamonsJspsRenderWithItsJavaxJarOnTheClassPathConvertedAsTheWarIs() {
        try (BerthProcess berth = serving("jamon_war.war", "--classpath=" + WARS.resolve("jamon.jar"))) {
            assertThat(berth.output()).contains("berth.classpath: jamon.jar is Java EE 8 (javax.servlet) code")
                    .doesNotContain("ClassNotFoundException");
            // the pages a visitor opens first; the others expect what those put in the session
            for (String page : List.of("/jamonadmin.jsp", "/menu.jsp", "/exceptions.jsp", "/sql.jsp", "/query.jsp", "/sleep.jsp")) {
                HttpResponse<String> response = Http.get(berth.port(), page);
                assertThat(response.statusCode()).as(page).isEqualTo(200);
                assertThat(response.body()).as(page).contains("</html>").doesNotContain("<%@", "<jsp:");
            }
            assertThat(Http.get(berth.port(), "/jamonadmin.jsp").body()).contains("<title>JAMon - Administration/Reporting");
        }
    }

    @Test
    void aWarThatBundlesSlf4j2WithoutAProviderFindsNoneOfBerths() {
        try (BerthProcess berth = serving("mockserver-war.war")) {
            HttpResponse<String> status = Http.send(HttpRequest.newBuilder(Http.uri(berth.port(), "/mockserver/status"))
                    .PUT(HttpRequest.BodyPublishers.noBody()).build());
            assertThat(status.statusCode()).isEqualTo(200);
            // SLF4J looks for providers when the WAR first logs, and says when it found none (as on Tomcat)
            berth.awaitOutput("No SLF4J providers were found");
            assertThat(berth.output()).doesNotContain("failed to instantiate", "not a subtype", "BerthLoggingProvider");
        }
    }

    @Test
    void aJspWikiThatBundlesItsOwnJstlServesItsMainPage() {
        try (BerthProcess berth = serving("jspwiki-war.war")) {
            HttpResponse<String> main = Http.get(berth.port(), "/Wiki.jsp?page=Main");
            assertThat(main.statusCode()).isEqualTo(200);
            assertThat(main.body()).contains("JSPWiki v2.11.2");
        }
    }

    @Test
    void aWicketAppThatStartsWeldRunsUnderPlainJavaJar() {
        try (BerthProcess berth = serving("wicket-examples.war")) {
            assertThat(berth.output()).contains("WELD-000900").doesNotContain("InaccessibleObjectException");
            HttpResponse<String> hello = Http.get(berth.port(), "/helloworld/");
            assertThat(hello.statusCode()).isEqualTo(200);
            assertThat(hello.body()).contains("Hello World!");
        }
    }

    @Test
    void aJmxOverHttpAgentAnswersWithItsUsers() throws Exception {
        Path users = Files.writeString(dir.resolve("users.properties"), "ops: s3cret,jolokia\n");
        try (BerthProcess berth = serving("jolokia-war.war", "--login.users-file=" + users)) {
            assertThat(Http.get(berth.port(), "/version").statusCode()).isEqualTo(401);
            HttpResponse<String> version = Http.send(HttpRequest.newBuilder(Http.uri(berth.port(), "/version"))
                    .header("Authorization", Http.basic("ops", "s3cret")).build());
            assertThat(version.statusCode()).isEqualTo(200);
            assertThat(version.body()).contains("\"agentType\":\"servlet\"");
        }
    }

    @Test
    void theActiveMqConsoleDeploysWithItsOldJettyWebsocketJarsInitializerSkipped() throws IOException {
        try (BerthProcess berth = serving(activeMqConsole())) {
            assertThat(berth.output()).contains("skips its initializer org.eclipse.jetty.websocket.server.config.JettyWebSocketServletContainerInitializer")
                    .doesNotContain("is a Java EE 8");
            HttpResponse<String> queue = Http.get(berth.port(), "/queueBrowse/TEST.Q");
            assertThat(queue.statusCode()).isEqualTo(200);
            assertThat(queue.body()).contains("<messages queue='queue://TEST.Q'>");
        }
    }

    @Test
    void theActiveMqConsolesJspsRenderWithTheContainersJstl() throws IOException {
        try (BerthProcess berth = serving(activeMqConsole())) {
            // the console starts its own embedded broker (webconsole-embedded.xml) and its JSPs read it through JSTL
            HttpResponse<String> index = Http.get(berth.port(), "/index.jsp");
            assertThat(index.statusCode()).isEqualTo(200);
            assertThat(index.body()).containsPattern("<td>Version</td>\\s*<td><b>6\\.1\\.8</b></td>").doesNotContain("<c:");
            assertThat(Http.get(berth.port(), "/queueBrowse/TEST.Q").statusCode()).isEqualTo(200);
            // a c:forEach over the broker's queues, c:url with c:param, and the filter's fn:containsIgnoreCase
            HttpResponse<String> queues = Http.get(berth.port(), "/queues.jsp?QueueFilter=test");
            assertThat(queues.statusCode()).isEqualTo(200);
            assertThat(queues.body()).contains("browse.jsp", "JMSDestination=TEST.Q").doesNotContain("<c:");
            assertThat(Http.get(berth.port(), "/queues.jsp?QueueFilter=nomatch").body()).doesNotContain("JMSDestination=TEST.Q");
            assertThat(berth.output()).doesNotContain("JasperException");
        }
    }
}
