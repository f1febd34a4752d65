package dev.berth.migrate;

import dev.berth.testing.BerthProcess;
import dev.berth.testing.Http;
import dev.berth.testing.Wars;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Converting ahead of time, for an image build, with the real jar; and what the jar's manifest opens. */
class MigrateCommandIT {

    @TempDir
    Path dir;

    @Test
    void convertConvertsAheadOfTimeAndTheResultDeploysWithoutConverting() throws Exception {
        Path converted = dir.resolve("app-jakarta.war");
        BerthProcess.Result result = BerthProcess.run("--convert", Wars.build("javax").toString(), converted.toString());
        assertThat(result.exitCode()).isZero();
        assertThat(result.output()).contains("Converted ", "1 classes referenced javax.servlet (1 in WEB-INF/classes)");
        try (BerthProcess berth = BerthProcess.builder().loopback().args("--work-dir=" + dir.resolve("work"), converted.toString())
                .serving("app-jakarta.war deployed in")) {
            assertThat(Http.get(berth.port(), "/legacy").statusCode()).isEqualTo(202);
            assertThat(berth.output()).doesNotContain("Java EE 8");
        }
    }

    @Test
    void aConvertedWarsWarningsNameItsOwnFilesAndPages() throws Exception {
        Path war = dir.resolve("legacy.war");
        Path api = Path.of(javax.servlet.Servlet.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        try (ZipFile javax = new ZipFile(Wars.build("javax").toFile()); ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(war))) {
            for (ZipEntry entry : Collections.list(javax.entries())) {
                out.putNextEntry(new ZipEntry(entry.getName()));
                try (InputStream in = javax.getInputStream(entry)) {
                    in.transferTo(out);
                }
            }
            out.putNextEntry(new ZipEntry("WEB-INF/lib/" + api.getFileName()));
            Files.copy(api, out);
        }
        try (BerthProcess berth = BerthProcess.builder().loopback().args("--work-dir=" + dir.resolve("work"), war.toString())
                .serving("legacy.war deployed in")) {
            assertThat(Http.get(berth.port(), "/single.jsp").statusCode()).isEqualTo(200);
            assertThat(berth.output()).contains("legacy.war: WEB-INF/lib/" + api.getFileName() + " is a servlet API jar")
                    .doesNotContain(api.getFileName().toString().replace("javax", "jakarta"))
                    .contains("2 JSP pages used what Jakarta Pages 4 removed", "single.jsp", "applet.jsp");
        }
    }

    @Test
    void convertingAPlainJarSaysWhatItsClassesReferenced() throws Exception {
        Path jar = dir.resolve("legacy-lib.jar");
        try (ZipFile javax = new ZipFile(Wars.build("javax").toFile()); ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(jar))) {
            for (ZipEntry entry : Collections.list(javax.entries())) {
                if (entry.getName().startsWith("WEB-INF/classes/") && entry.getName().endsWith(".class")) {
                    out.putNextEntry(new ZipEntry(entry.getName().substring("WEB-INF/classes/".length())));
                    try (InputStream in = javax.getInputStream(entry)) {
                        in.transferTo(out);
                    }
                }
            }
        }
        BerthProcess.Result result = BerthProcess.run("--convert", jar.toString(), dir.resolve("lib-jakarta.jar").toString());
        assertThat(result.exitCode()).isZero();
        assertThat(result.output()).contains("1 classes referenced javax.servlet (1 in legacy-lib.jar)").doesNotContain("unchanged in substance");
    }

    @Test
    void convertRefusesAFileThatIsNotAWarWith66() throws Exception {
        Path notes = java.nio.file.Files.writeString(dir.resolve("notes.war"), "not a zip\n");
        BerthProcess.Result result = BerthProcess.run("--convert", notes.toString(), dir.resolve("out.war").toString());
        assertThat(result.exitCode()).isEqualTo(66);
        assertThat(result.output()).contains("is not a WAR");
        assertThat(dir.resolve("out.war")).doesNotExist();
    }

    @Test
    void theMigrateFlagTakesItsValueAfterASpaceAsAfterAnEqualsSign() {
        String war = Wars.build("javax").toString();
        for (List<String> form : List.of(List.of("--migrate", "off"), List.of("--migrate=off"))) {
            List<String> args = new ArrayList<>(form);
            args.addAll(List.of("--print-config", war));
            BerthProcess.Result result = BerthProcess.run(args.toArray(String[]::new));
            assertThat(result.exitCode()).as(result.output()).isZero();
            assertThat(result.output()).containsPattern("berth.migrate +off +command line").containsPattern("berth.war +" + Pattern.quote(war));
        }
    }

    @Test
    void convertNeedsTwoArguments() {
        BerthProcess.Result result = BerthProcess.run("--convert", "only-one.war");
        assertThat(result.exitCode()).isEqualTo(64);
        assertThat(result.output()).contains("--convert needs two arguments");
    }

    @Test
    void theJarOpensWhatLegacyFrameworksReflectOn() throws Exception {
        try (JarFile jar = new JarFile(BerthProcess.JAR.toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Add-Opens"))
                    .contains("java.base/java.lang", "java.base/java.io", "java.base/java.util", "java.base/java.util.concurrent",
                            "java.rmi/sun.rmi.transport");
        }
    }
}
