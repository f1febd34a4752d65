package dev.berth.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The README's configuration reference lists every property with its flag and environment variable. */
class ReadmeTest {

    @Test
    void everyPropertyIsInTheConfigurationTable() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        for (Catalog.Entry entry : Catalog.get().entries()) {
            String row = "| `" + entry.name() + "` | ";
            assertThat(readme).as(entry.name()).contains(row);
            String line = readme.lines().filter(l -> l.startsWith(row)).findFirst().orElseThrow();
            assertThat(line).as(entry.name()).contains("`" + entry.envVar() + "`");
            if (!entry.name().equals("berth.war")) {
                assertThat(line).as(entry.name()).contains("`" + entry.flag() + "`");
            }
        }
    }
}
