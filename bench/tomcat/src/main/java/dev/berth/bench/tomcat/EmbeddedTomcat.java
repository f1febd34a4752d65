package dev.berth.bench.tomcat;

import org.apache.catalina.LifecycleException;
import org.apache.catalina.startup.Tomcat;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Embedded Tomcat 11 deploying a WAR at the root context with {@link Tomcat#addWebapp}, the way webapp-runner
 * does: {@code java -jar tomcat-embedded.jar HOST PORT app.war [BASEDIR]}. Tomcat's defaults otherwise (NIO
 * connector, 200 max threads, JSP servlet and default servlet from the built-in defaults, annotation and jar
 * scanning on). SIGTERM stops Tomcat through a shutdown hook, as Jetty's stop-at-shutdown does.
 */
public final class EmbeddedTomcat {

    private EmbeddedTomcat() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3 || args.length > 4) {
            System.err.println("usage: tomcat-embedded HOST PORT app.war [BASEDIR]");
            System.exit(64);
        }
        Path base = args.length == 4 ? Path.of(args[3]) : Files.createTempDirectory("tomcat-bench");
        Files.createDirectories(base.resolve("webapps"));
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(base.toAbsolutePath().toString());
        tomcat.setPort(Integer.parseInt(args[1]));
        tomcat.getConnector().setProperty("address", args[0]);
        tomcat.getHost().setAppBase(base.resolve("webapps").toAbsolutePath().toString());
        tomcat.addWebapp("", Path.of(args[2]).toAbsolutePath().toString());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                tomcat.stop();
                tomcat.destroy();
            } catch (LifecycleException e) {
                e.printStackTrace();
            }
        }, "tomcat-shutdown"));
        tomcat.start();
        tomcat.getServer().await();
    }
}
