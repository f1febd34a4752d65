package dev.berth.migrate;

import dev.berth.testing.BerthProcess;
import dev.berth.testing.Http;
import dev.berth.testing.Wars;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.regex.Pattern;

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
