package dev.berth.deploy;

import dev.berth.testing.Http;
import dev.berth.testing.ServingBerth;
import dev.berth.testing.Wars;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ServletContext.getRealPath} as Tomcat answers it: a path in the unpacked WAR has a real path whether or not a
 * file is there yet (WebGoat 7.1 creates its plugin folder there); a path that leaves the WAR has none.
 */
class RealPathTest {

    private static final Pattern REAL = Pattern.compile(" real=(\\S+)$");

    @RegisterExtension
    static final ServingBerth berth = new ServingBerth(Wars::hello, "berth.access-log", "off");

    @Test
    void aPathThatDoesNotExistYetIsWhereItWouldBeInTheUnpackedWar() throws Exception {
        Path existing = Path.of(realPath("/WEB-INF/web.xml"));
        assertThat(existing).isRegularFile();
        Path root = existing.getParent().getParent();
        assertThat(Path.of(realPath("plugin_extracted"))).isEqualTo(root.resolve("plugin_extracted"));
        assertThat(Path.of(realPath("/plugin_extracted/lib/a.jar"))).isEqualTo(root.resolve("plugin_extracted/lib/a.jar"));
        Path created = Files.createDirectories(Path.of(realPath("plugin_extracted")));
        assertThat(Path.of(realPath("plugin_extracted"))).as("once made, the same place").isEqualTo(created);
    }

    @Test
    void aPathThatLeavesTheWarHasNone() {
        assertThat(Http.get(berth.port(), "/info?real=../../etc/passwd").body()).endsWith(" real=null");
        assertThat(Http.get(berth.port(), "/info?real=/a/../../etc").body()).endsWith(" real=null");
    }

    private static String realPath(String path) {
        String body = Http.get(berth.port(), "/info?real=" + path).body();
        Matcher real = REAL.matcher(body);
        assertThat(real.find()).as(body).isTrue();
        assertThat(real.group(1)).isNotEqualTo("null");
        return real.group(1);
    }
}
