package dev.berth.deploy;

import dev.berth.testing.BerthProcess;
import dev.berth.testing.Http;
import dev.berth.testing.Wars;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a WAR sees of berth.jar, through the real jar: every package and every service file of the jar is asked for
 * from inside the hello WAR, and only what a container provides answers. A library added to Berth is hidden unless
 * it is named here, so this test fails on the day a new one would leak or a provided one would vanish.
 */
class ContainerClassesIT {

    /** What a WAR may see of berth.jar: the Jakarta APIs and what its pages run on, and the documented driver. */
    private static final List<String> PROVIDED = List.of("jakarta.", "org.apache.jasper.", "org.apache.el.",
            "org.apache.juli.", "org.apache.taglibs.", "org.eclipse.tags.shaded.", "org.apache.tomcat.InstanceManager",
            "org.apache.tomcat.SimpleInstanceManager", "org.apache.tomcat.InstanceManagerBindings", "org.apache.tomcat.util.",
            "org.postgresql.", "dev.berth.migrate.ServletBridges");

    private static final List<String> PROVIDED_SERVICES = List.of("jakarta.servlet.ServletContainerInitializer",
            "jakarta.el.ExpressionFactory", "jakarta.websocket.ContainerProvider",
            "jakarta.websocket.server.ServerEndpointConfig$Configurator", "java.sql.Driver", "org.apache.juli.logging.Log");

    @Test
    void aWarSeesTheContainersApisAndNoneOfBerthsLibrariesOrTheirServiceFiles() throws IOException {
        Map<String, String> onePerPackage = new TreeMap<>();
        List<String> services;
        try (ZipFile jar = new ZipFile(BerthProcess.JAR.toFile())) {
            services = jar.stream().map(ZipEntry::getName)
                    .filter(name -> name.startsWith("META-INF/services/") && !name.endsWith("/"))
                    .map(name -> name.substring("META-INF/services/".length())).toList();
            jar.stream().map(ZipEntry::getName)
                    .filter(name -> name.endsWith(".class") && !name.contains("$") && !name.startsWith("META-INF/")
                            && !name.endsWith("module-info.class") && !name.endsWith("package-info.class"))
                    .map(name -> name.substring(0, name.length() - ".class".length()).replace('/', '.'))
                    .filter(ContainerClassesIT::loads)
                    .forEach(name -> onePerPackage.putIfAbsent(name.substring(0, name.lastIndexOf('.')), name));
        }
        // the ones a user would name, and the migration bridge, whose package is otherwise hidden
        onePerPackage.put("dev.berth.migrate!", "dev.berth.migrate.ServletBridges");
        onePerPackage.put("org.apache.tomcat!", "org.apache.tomcat.InstanceManager");
        onePerPackage.put("org.apache.tomcat.jakartaee!", "org.apache.tomcat.jakartaee.Migration");
        onePerPackage.put("dev.berth!", "dev.berth.Berth");
        onePerPackage.put("org.slf4j!", "org.slf4j.LoggerFactory");
        onePerPackage.put("org.postgresql!", "org.postgresql.Driver");
        onePerPackage.put("jakarta.servlet.http!", "jakarta.servlet.http.HttpServlet");
        assertThat(onePerPackage).hasSizeGreaterThan(100);
        assertThat(services).contains("org.slf4j.spi.SLF4JServiceProvider", "jakarta.enterprise.inject.spi.Extension",
                "org.eclipse.microprofile.config.spi.ConfigProviderResolver", "jakarta.servlet.ServletContainerInitializer");

        try (BerthProcess berth = BerthProcess.builder().loopback().args(Wars.hello().toString()).serving("deployed in")) {
            Map<String, String> seen = new TreeMap<>();
            Map<String, String> expected = new TreeMap<>();
            for (String name : onePerPackage.values()) {
                // Jetty's own rule decides for its classes, and exposes a few on purpose
                if (name.startsWith("org.eclipse.jetty.")) {
                    continue;
                }
                seen.put(name, ask(berth.port(), "class", name));
                expected.put(name, PROVIDED.stream().anyMatch(name::startsWith) ? "visible" : "hidden");
            }
            for (String service : services) {
                String resource = "META-INF/services/" + service;
                seen.put(resource, ask(berth.port(), "resources", resource));
                expected.put(resource, PROVIDED_SERVICES.contains(service) || service.startsWith("org.eclipse.jetty.") ? "1" : "0");
            }
            assertThat(seen).isEqualTo(expected);
            assertThat(seen).containsEntry("dev.berth.Berth", "hidden").containsEntry("org.slf4j.LoggerFactory", "hidden")
                    .containsEntry("jakarta.servlet.http.HttpServlet", "visible").containsEntry("org.postgresql.Driver", "visible");
        }
    }

    /** Some classes of the jar name an optional library it does not carry (Hikari's Prometheus collector, say). */
    private static boolean loads(String name) {
        try {
            Class.forName(name, false, ContainerClassesIT.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static String ask(int port, String parameter, String name) {
        String body = Http.get(port, "/info?" + parameter + "=" + URLEncoder.encode(name, StandardCharsets.UTF_8)).body();
        String answer = " " + name + "=";
        assertThat(body).contains(answer);
        return body.substring(body.lastIndexOf(answer) + answer.length());
    }
}
