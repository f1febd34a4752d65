package dev.berth.deploy;

import dev.berth.base.BerthException;
import dev.berth.base.ExitCode;
import dev.berth.config.ConfigLoader;
import dev.berth.testing.Wars;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** berth.war as one WAR or as several at their paths, and a WAR whose own path looks like the list form. */
class ApplicationTest {

    @TempDir
    Path dir;

    @Test
    void severalWarsEachGetTheirPathAndFoldersAndOneKeepsTheContextPath() throws Exception {
        String hello = Wars.hello().toString();
        List<Application> several = Application.all(ConfigLoader.fromMap(Map.of("berth.war", "/shop=" + hello + ",/api/=" + hello)));
        assertThat(several).extracting(Application::contextPath).containsExactly("/shop", "/api");
        assertThat(several).extracting(Application::folder).containsExactly("", "-2");
        assertThat(several).extracting(Application::qualifier).containsExactly("@/shop", "@/api");

        List<Application> one = Application.all(ConfigLoader.fromMap(Map.of("berth.war", hello, "berth.context-path", "/x")));
        assertThat(one).singleElement().satisfies(app -> {
            assertThat(app.contextPath()).isEqualTo("/x");
            assertThat(app.qualifier()).isEmpty();
        });
    }

    @Test
    void aWarWhosePathHasACommaOrAnEqualsSignIsOneWar() throws Exception {
        Path odd = Files.createDirectories(dir.resolve("label=linux,jdk17"));
        Path war = Files.copy(Wars.hello(), odd.resolve("app.war"));
        List<Application> apps = Application.all(ConfigLoader.fromMap(Map.of("berth.war", war.toString())));
        assertThat(apps).singleElement().satisfies(app -> {
            assertThat(app.war()).isEqualTo(war);
            assertThat(app.contextPath()).isEqualTo("/");
        });
    }

    @Test
    void aPathThatIsNotAContextPathIsAUsageError() {
        assertThatThrownBy(() -> Application.all(ConfigLoader.fromMap(Map.of("berth.war", "/a b=" + Wars.hello() + ",/c=" + Wars.hello()))))
                .isInstanceOfSatisfying(BerthException.class, e -> {
                    assertThat(e.exitCode()).isEqualTo(ExitCode.USAGE);
                    assertThat(e.description()).isEqualTo("berth.war: /a b is not a context path (examples: /, /shop)");
                });
    }
}
